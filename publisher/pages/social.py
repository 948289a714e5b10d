"""What an article page tells link previews, reference managers and search engines about itself.

Open Graph and Twitter card tags (link previews), Highwire `citation_*` tags (Zotero and other
reference managers) and schema.org NewsArticle JSON-LD. All describe the original publication:
its publisher is the original publisher where the outlet republished the text, and its date is
only as precise as the text supports.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from ..model import Article, Outlet, PartialDate
from .escaping import escape_script_json

@dataclass(frozen=True)
class HeadTag:
    """One <meta> element: property="..." (Open Graph) or name="..." (the others)."""

    attribute: str  # "property" or "name"
    key: str
    content: str


def highwire_date(date: PartialDate) -> str:
    """A date as citation_publication_date wants it: YYYY/MM/DD, YYYY/MM or YYYY."""
    return date.iso.replace("-", "/")


def describe_article_tags(article: Article, outlet: Outlet, site_name: str, permalink: str) -> tuple[HeadTag, ...]:
    """The <meta> tags of an article page, in a fixed order."""
    description = article.summary or article.title
    language = article.text_language(outlet)
    tags = [
        HeadTag("property", "og:type", "article"),
        HeadTag("property", "og:title", article.title),
        HeadTag("property", "og:description", description),
        HeadTag("property", "og:url", permalink),
        HeadTag("property", "og:site_name", site_name),
        HeadTag("property", "article:published_time", article.date.iso),
        *(HeadTag("property", "article:author", name) for name in article.authors),
        HeadTag("name", "twitter:card", "summary"),
        HeadTag("name", "twitter:title", article.title),
        HeadTag("name", "twitter:description", description),
        HeadTag("name", "citation_title", article.title),
        *(HeadTag("name", "citation_author", name) for name in article.authors),
        HeadTag("name", "citation_publication_date", highwire_date(article.date)),
        HeadTag("name", "citation_publisher", article.publisher_name(outlet)),
        HeadTag("name", "citation_language", language),
        HeadTag("name", "citation_public_url", permalink),
    ]
    if article.keywords:
        tags.append(HeadTag("name", "citation_keywords", "; ".join(k.label for k in article.keywords)))
    return tuple(tags)


def render_article_jsonld(article: Article, outlet: Outlet, site_name: str, permalink: str) -> str:
    """schema.org NewsArticle as JSON that is safe inside a <script> element."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.iso,
        "publisher": {"@type": "Organization", "name": article.publisher_name(outlet)},
        "inLanguage": article.text_language(outlet),
        "url": permalink,
        "mainEntityOfPage": permalink,
    }
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.summary:
        data["description"] = article.summary
    if article.original_publisher:
        data["provider"] = {"@type": "Organization", "name": outlet.name}  # the outlet that republished it
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.keywords:
        data["keywords"] = [k.label for k in article.keywords]
    data["isPartOf"] = {"@type": "WebSite", "name": site_name}
    return escape_script_json(json.dumps(data, ensure_ascii=False, indent=None))


def describe_article_meta(article: Article, outlet: Outlet, site_name: str, permalink: str) -> dict:
    """The front-matter field that carries an article's head tags and JSON-LD to the theme."""
    tags = describe_article_tags(article, outlet, site_name, permalink)
    return {"head": [[tag.attribute, tag.key, tag.content] for tag in tags],
            "jsonld": Markup(render_article_jsonld(article, outlet, site_name, permalink))}
