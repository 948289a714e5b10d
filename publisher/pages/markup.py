"""Markdown from the templates: the Jinja environment, its filters and globals (escaping.py escapes every value printed)."""
from __future__ import annotations

import functools
import html
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import routes
from .escaping import escape_text, escape_url
from .listings import group_by_month
from .provenance import cite_article
from .routes import ALL_FEED, article_path, feed_path, keyword_path, link_path, outlet_path, page_url, raw_path, topic_path, url_path
from .social import describe_article_meta

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


def front_matter(fields: dict) -> Markup:
    """YAML front matter; text values are HTML-escaped once, as the theme prints them raw (Markup as it is)."""
    def prepare(value):
        if isinstance(value, Markup):
            return str(value)
        if isinstance(value, list):
            return [prepare(v) for v in value]
        if isinstance(value, str):
            return html.escape(value, quote=True)
        if isinstance(value, dict):
            return {k: prepare(v) for k, v in value.items()}
        return value
    body = yaml.safe_dump(prepare(fields), allow_unicode=True, sort_keys=False, width=10_000)
    return Markup(f"---\n{body}---\n")


def name_language(code: str) -> str:
    """The English name of a language code ("en" -> "English"); the code itself when unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


@functools.lru_cache(maxsize=1)  # compiled templates are reused; the loader reloads any that change
def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        # Templates write Markdown, so HTML autoescaping does not apply; every value printed is
        # escaped for Markdown and HTML at once instead, unless it is Markup made by us.
        autoescape=False,
        finalize=escape_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["url"] = escape_url
    env.filters["front_matter"] = front_matter
    env.filters["language_name"] = name_language
    env.globals["link_to"] = link_to
    env.globals["url_to"] = url_to
    env.globals.update(cite_article=cite_article, describe_article_meta=describe_article_meta, feed_path=feed_path, page_url=page_url, all_feed=ALL_FEED,
                       article_path=article_path, raw_path=raw_path, topic_path=topic_path, outlet_path=outlet_path,
                       keyword_path=keyword_path, routes=routes)
    env.globals["group_by_month"] = group_by_month
    return env


@jinja2.pass_context
def link_to(context, target: str) -> Markup:
    """The relative link from the page being rendered to another file of the site."""
    return Markup(link_path(target, context["page_path"]))


@jinja2.pass_context
def url_to(context, target: str) -> Markup:
    """The relative address from the page being rendered to another page, for a link written as HTML."""
    return Markup(url_path(target, context["page_path"]))
