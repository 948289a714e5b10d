"""The listing page kinds as data: every page that lists articles, grouped by a record or all of them.

A kind names its template, its folder, how the corpus groups into its listings, and which article
fields decide a listing's membership or order. The rest follows from the declarations:
render.py renders every listing of every kind and its index page (paged, keyed, in workers where
there are thousands), intake checks the addresses of a registry's ids (validate.list_claims),
mkdocs.yml leaves every page in a folder out of `nav:`, a gone listing page redirects to its
folder's or its kind's index (manifest.py, gone_page_target), and the preview's shortcut skips
only fields no kind groups by (shown_fields). A new kind is a declaration in KINDS and its
template (DEVELOPING.md, "How to add a page kind").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from ..model import Article, Corpus, Mention, newest_first
from .listings import count_mentions_by_keyword, index_by_keyword, index_by_outlet, index_by_topic, split_pages
from .routes import ARTICLES_INDEX, KEYWORDS_INDEX, OUTLETS_INDEX, TIMELINE, TOPICS_INDEX, keyword_path, outlet_path, topic_path

# What each listing of a kind is made of: its slug -> (its record, or None; its articles, in order).
Groups = Mapping[str, tuple[object, list[Article]]]


@dataclass(frozen=True)
class IndexPage:
    """A kind's index page: every listing of the kind. Its template is given counts, not the articles,
    so its key costs little to take."""

    path: str
    template: str
    values: Callable[[Groups], dict]  # from the kind's groups


@dataclass(frozen=True)
class ListingKind:
    """One kind of listing page. Its template is given `articles` (one page's), `total`, `pager`,
    the record as `<name>` (`topic`, `outlet`...) and whatever `values` adds."""

    name: str  # the kind, and the name its template is given the record by
    template: str
    folder: str  # where its pages live: <folder>/<slug>.md and <folder>/<slug>/page/<n>.md
    group: Callable[[Corpus], Groups]  # every listing of the kind, in the order they render
    path: Callable[[str], str]  # a listing's first page, from its slug (routes.py)
    reads: tuple[str, ...] = ()  # the Article fields besides date and id that group or order its listings
    values: Callable[[list[Article], int], dict] | None = None  # more for the template, from the listing and the page size
    mentions: Callable[[Corpus], dict[str, dict[str, Mention]]] | None = None  # per listing, how each article names it
    in_workers: bool = False  # thousands of listings: the render's worker processes make them
    index: IndexPage | None = None  # where a gone page of the kind redirects; without one, the list of all articles
    registry: str | None = None  # the registry whose ids are its slugs ("topics"): intake checks their addresses


def group_all(corpus: Corpus) -> Groups:
    """One listing of every article, newest first."""
    return {"": (None, newest_first(list(corpus.articles)))}


def group_by_topic(corpus: Corpus) -> Groups:
    """Every topic of the registry, with its articles (none, for a topic no article has)."""
    by_topic = index_by_topic(corpus)
    return {topic.id: (topic, by_topic.get(topic.id, [])) for topic in corpus.topics}


def group_by_outlet(corpus: Corpus) -> Groups:
    """Every outlet of the registry, with its articles."""
    by_outlet = index_by_outlet(corpus)
    return {outlet.id: (outlet, by_outlet.get(outlet.id, [])) for outlet in corpus.outlets}


def year_starts(articles: list[Article], page_size: int) -> dict:
    """The timeline's page on which each year begins."""
    starts: dict[int, int] = {}
    for number, chunk in enumerate(split_pages(articles, page_size), start=1):
        for article in chunk:
            starts.setdefault(article.date.year, number)
    return dict(year_starts=starts)


def count_listed(groups: Groups) -> dict:
    """The number of articles of each listing that has any."""
    return dict(counts={slug: len(articles) for slug, (_record, articles) in groups.items() if articles})


def rank_listed(groups: Groups) -> dict:
    """The keywords with their number of articles, the most first."""
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1][1]), item[0]))
    return dict(keywords=[(record, len(articles)) for _slug, (record, articles) in ranked])


ARTICLES = ListingKind("articles", "articles.md.j2", "articles", group_all, lambda _slug: ARTICLES_INDEX)
TIMELINE_KIND = ListingKind("timeline", "timeline.md.j2", "timeline", group_all, lambda _slug: TIMELINE, values=year_starts)
TOPIC = ListingKind("topic", "topic.md.j2", "topics", group_by_topic, topic_path, reads=("topics",),
                    index=IndexPage(TOPICS_INDEX, "topics.md.j2", count_listed), registry="topics")
OUTLET = ListingKind("outlet", "outlet.md.j2", "outlets", group_by_outlet, outlet_path, reads=("outlet",),
                     index=IndexPage(OUTLETS_INDEX, "outlets.md.j2", count_listed), registry="outlets")
KEYWORD = ListingKind("keyword", "keyword.md.j2", "keywords", index_by_keyword, keyword_path, reads=("keywords",),
                      mentions=count_mentions_by_keyword, in_workers=True,
                      index=IndexPage(KEYWORDS_INDEX, "keywords.md.j2", rank_listed))

KINDS: tuple[ListingKind, ...] = (ARTICLES, TIMELINE_KIND, TOPIC, OUTLET, KEYWORD)

# What an article shows: the fields the preview's shortcut may skip when they alone changed, unless a
# kind groups or orders by one. Not its order (date, id), its groups (outlet, topics, keywords), its
# text or blocks (its title and authors also clean it, so a changed title that changes the blocks is
# not shown-only), nor its address (slug).
SHOWN = ("title", "summary", "authors", "source_url", "archive_url", "original_publisher", "collected")


def shown_fields(kinds: tuple[ListingKind, ...] | None = None) -> tuple[str, ...]:
    """The article fields that only show on pages: SHOWN less any field a kind reads (by default KINDS)."""
    read = {field for kind in (KINDS if kinds is None else kinds) for field in kind.reads}
    return tuple(field for field in SHOWN if field not in read)


def gone_page_target(path: str) -> str | None:
    """Where a gone page in a kind's folder sends its readers when nothing closer does (manifest.py):
    the kind's index page, or the list of all articles for a kind without one; None outside the kinds' folders."""
    folder, _, rest = path.partition("/")
    for kind in KINDS:
        if rest and kind.folder == folder:
            return kind.index.path if kind.index is not None else ARTICLES_INDEX
    return None


def render_values(kind: ListingKind, record: object, articles: list[Article], page_size: int) -> dict:
    """What a listing's template is given besides its page of articles: its record and the kind's values."""
    values = {} if record is None else {kind.name: record}
    if kind.values is not None:
        values.update(kind.values(articles, page_size))
    return values
