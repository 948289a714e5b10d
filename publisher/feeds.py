"""Atom feeds of the newest articles: the whole archive, each outlet and each topic."""
from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from .model import Article, Corpus, PartialDate, Topic
from .render import TEMPLATES_DIR, article_path, index_by_outlet, index_by_topic, newest_first, raw_path
from .addresses import ALL_FEED, feed_path, page_url

FEED_LIMIT = 50  # entries per feed; readers poll for what is new, the listings hold the rest
SUMMARY_LIMIT = 300
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


def make_feed(path: str, page: str, title: str, subtitle: str, articles: list[Article], corpus: Corpus, site_url: str) -> Feed:
    """One feed of the newest articles given; `updated` is the newest article's date, never the build's."""
    outlets = {o.id: o for o in corpus.outlets}
    topics = {t.id: t for t in corpus.topics}
    newest = newest_first(articles)[:FEED_LIMIT]
    entries = tuple(
        Entry(article=a, url=page_url(site_url, article_path(a)), raw_url=site_url + raw_path(a),
              updated=atom_date(a.date), publisher=a.original_publisher or outlets[a.outlet].name,
              topics=tuple(topics[t] for t in a.topics), summary=summarise(a))
        for a in newest)
    # An empty feed still needs a date that does not move: the archive's newest article, else the epoch.
    latest = newest[0].date if newest else corpus.articles[-1].date if corpus.articles else PartialDate(1970, 1, 1)
    return Feed(path, site_url + path, page_url(site_url, page), title, subtitle, atom_date(latest), entries)


def list_feeds(corpus: Corpus, site_url: str, site_name: str) -> list[Feed]:
    """The archive's feed, then one per outlet and one per topic, in id order."""
    by_outlet = index_by_outlet(corpus)
    by_topic = index_by_topic(corpus)
    feeds = [make_feed(ALL_FEED, "index.md", site_name, f"The newest articles in the {site_name}.",
                       list(corpus.articles), corpus, site_url)]
    for outlet in corpus.outlets:
        feeds.append(make_feed(feed_path("outlets", outlet.id), f"outlets/{outlet.id}.md", f"{outlet.name} – {site_name}",
                               outlet.description, by_outlet.get(outlet.id, []), corpus, site_url))
    for topic in corpus.topics:
        feeds.append(make_feed(feed_path("topics", topic.id), f"topics/{topic.id}.md", f"{topic.title} – {site_name}",
                               topic.description, by_topic.get(topic.id, []), corpus, site_url))
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


def render_feeds(corpus: Corpus, site_url: str, site_name: str) -> dict[str, str]:
    """Every Atom feed, keyed by its path inside site_src/."""
    template = make_xml_environment().get_template("feed.xml.j2")
    return {feed.path: template.render(feed=feed, site_url=site_url, site_name=site_name)
            for feed in list_feeds(corpus, site_url, site_name)}


def render_stand_ins(gone: dict[str, str | None], files: dict, corpus: Corpus, site_url: str, site_name: str) -> dict:
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
            stand_ins[path] = env.get_template("feed-gone.xml.j2").render(path=path, updated=updated, site_url=site_url, site_name=site_name)
        else:
            stand_ins[path] = env.get_template("raw-gone.txt.j2").render(path=path, site_url=site_url)
    return stand_ins
