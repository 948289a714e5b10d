"""Atom feeds of the newest articles: the whole archive, each outlet and each topic."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import jinja2

from ..model import Article, Corpus, PartialDate, Topic, newest_first
from ..settings import Settings
from .listings import index_by_outlet, index_by_topic
from .markup import TEMPLATES_DIR
from .routes import ALL_FEED, HOME, article_path, feed_path, outlet_path, page_url, raw_path, topic_path

SUMMARY_LIMIT = 300
EMPTY_SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
# Characters XML 1.0 forbids even as references; validation keeps most out, this keeps all out.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Entry:
    article: Article
    url: str
    raw_url: str
    updated: str
    publisher: str
    topics: tuple[Topic, ...]
    summary: str


@dataclass(frozen=True)
class Feed:
    path: str  # inside site_src/
    url: str
    page_url: str
    title: str
    subtitle: str
    updated: str
    entries: tuple[Entry, ...]


def atom_date(date: PartialDate) -> str:
    """RFC 3339 at midnight UTC; a month or year alone stands for its first day."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def summarise(article: Article, limit: int = SUMMARY_LIMIT) -> str:
    """The article's summary, or the start of its reading text cut at a word."""
    if article.summary:
        return article.summary
    text = " ".join(article.clean_text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def make_feed(path: str, page: str, title: str, subtitle: str, articles: list[Article], corpus: Corpus, site_url: str,
              limit: int) -> Feed:
    """One feed of the newest articles given; `updated` is the newest article's date, never the build's."""
    outlets = {o.id: o for o in corpus.outlets}
    topics = {t.id: t for t in corpus.topics}
    newest = newest_first(articles)[:limit]
    entries = tuple(
        Entry(article=a, url=page_url(article_path(a), site_url), raw_url=page_url(raw_path(a), site_url),
              updated=atom_date(a.date), publisher=a.publisher_name(outlets[a.outlet]),
              topics=tuple(topics[t] for t in a.topics), summary=summarise(a))
        for a in newest)
    # An empty feed still needs a date that does not move: the archive's newest article, else the epoch.
    latest = newest[0].date if newest else corpus.articles[-1].date if corpus.articles else PartialDate(1970, 1, 1)
    return Feed(path, page_url(path, site_url), page_url(page, site_url), title, subtitle, atom_date(latest), entries)


def list_feeds(corpus: Corpus, settings: Settings) -> list[Feed]:
    """The archive's feed, then one per outlet and one per topic, in id order."""
    site_url, site_name, limit = settings.url, settings.name, settings.limits.feed_limit
    by_outlet = index_by_outlet(corpus)
    by_topic = index_by_topic(corpus)
    feeds = [make_feed(ALL_FEED, HOME, site_name, f"The newest articles in the {site_name}.",
                       list(corpus.articles), corpus, site_url, limit)]
    for outlet in corpus.outlets:
        feeds.append(make_feed(feed_path("outlets", outlet.id), outlet_path(outlet.id), f"{outlet.name} – {site_name}",
                               outlet.description, by_outlet.get(outlet.id, []), corpus, site_url, limit))
    for topic in corpus.topics:
        feeds.append(make_feed(feed_path("topics", topic.id), topic_path(topic.id), f"{topic.title} – {site_name}",
                               topic.description, by_topic.get(topic.id, []), corpus, site_url, limit))
    return feeds


def xml_text(value):
    """Drop the characters XML cannot carry; the environment's autoescape does the rest."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def make_xml_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # XML escaping of &, <, >, " and ' for text and attributes alike
        finalize=xml_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_feeds(corpus: Corpus, settings: Settings) -> dict[str, str]:
    """Every Atom feed, keyed by its path inside site_src/."""
    template = make_xml_environment().get_template("feed.xml.j2")
    return {feed.path: template.render(feed=feed, site_url=settings.url, site_name=settings.name)
            for feed in list_feeds(corpus, settings)}


def render_feed_sitemaps(feeds: dict[str, str]) -> dict[str, str]:
    """An empty sitemap.xml in every folder that holds a feed.

    The theme's script fetches sitemap.xml beside every <link rel=alternate>, and every page links
    a feed: without these, each page logged a 404 (feeds/sitemap.xml, feeds/outlets/sitemap.xml...).
    """
    return {f"{folder}/sitemap.xml": EMPTY_SITEMAP for folder in sorted({p.rsplit("/", 1)[0] for p in feeds})}


def render_stand_ins(gone: dict[str, str | None], files: Mapping, corpus: Corpus, settings: Settings) -> dict:
    """An answer at each published raw text or feed that is gone: the file it is sent to, or a notice.

    A static host cannot redirect a feed reader or a download, so the address keeps serving a file.
    """
    env = make_xml_environment()
    updated = atom_date(max((a.date for a in corpus.articles), default=PartialDate(1970, 1, 1)))
    stand_ins: dict = {}
    for path, target in sorted(gone.items()):
        if path.endswith(".md"):
            continue
        if target is not None:
            stand_ins[path] = files[target]
        elif path.endswith(".xml"):
            stand_ins[path] = env.get_template("feed-gone.xml.j2").render(path=path, updated=updated, site_url=settings.url, site_name=settings.name)
        else:
            stand_ins[path] = env.get_template("raw-gone.txt.j2").render(path=path, site_url=settings.url)
    return stand_ins
