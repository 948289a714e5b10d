"""Keying and rendering one page or one listing: the tasks a render shares with its worker processes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..model import Article, Mention
from .listings import Pager, split_pages
from .markup import make_environment
from .page_keys import PageKeys
from .related import Related, RelatedIndex
from .routes import article_path


@dataclass(frozen=True)
class Listing:
    """One listing of a kind, as render_listing takes it: template, first page, articles in order, values, mentions."""

    template: str
    first_path: str
    articles: list[Article]
    values: dict
    mentions: dict[str, Mention] | None = None


@dataclass(frozen=True)
class RenderJob:
    """What keying and rendering pages needs: one render's corpus, related coverage, keys and
    template values, shared with worker processes (by fork on Linux), which make the article pages
    and the listings of the kinds there are thousands of (keywords)."""

    articles: list[Article]
    related: RelatedIndex
    limit: int
    page_keys: PageKeys | None
    last_keys: dict[str, str] | None  # the last build's page keys: a page with its last key is not rendered
    common: dict  # what every template is given
    worker_listings: tuple[Listing, ...] = ()  # the listings the workers make, after the article pages
    page_size: int = 200
    search_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # keyword_index.search_names
    # Related coverage as the last render ranked it, where it is provably the same (RelatedIndex.reusable).
    reused: dict[int, tuple[list[int], float]] = field(default_factory=dict)


def article_values(job: RenderJob, position: int, related: list[Related]) -> dict:
    """What the article page at position shows: the template's values, in the order its key takes them."""
    articles = job.articles
    return dict(article=articles[position], related=related,
                previous=articles[position - 1] if position else None,
                next=articles[position + 1] if position + 1 < len(articles) else None,
                search_names=job.search_names.get(articles[position].id, ()))


def render_article_page(job: RenderJob, position: int) -> tuple[str | None, str | None, tuple[list[int], float]]:
    """The article page at position: its key (None without page keys), its Markdown (None when the key
    is the last build's), and its related coverage as RelatedIndex.ranked gives it (positions, floor).

    The whole of an article page, which a rebuild needs keyed even when it will not render it:
    done across worker processes.
    """
    ranked = job.reused.get(position) or job.related.ranked(job.articles[position], job.limit)
    return (*finish_article_page(job, position, ranked[0]), ranked)


def key_shown_article_page(job: RenderJob, position: int, shown_only: ShownOnly,
                           unshown_key: Callable[[str, list[Article]], str | None]) -> tuple[str | None, str | None, tuple[list[int], float]]:
    """render_article_page after an edit of what articles show: the related coverage is the last render's,
    and a page that shows no changed article (itself, its neighbours, its related coverage) keeps its
    last key and is not rendered. No floor is known (0.0): such a render leaves no related memo."""
    articles = job.articles
    best = list(shown_only.related[position])
    shown = [articles[i] for i in [position - 1, position, position + 1, *best] if 0 <= i < len(articles)]
    last = unshown_key(article_path(articles[position]), shown)
    if last is not None:
        return last, None, (best, 0.0)
    return (*finish_article_page(job, position, best), (best, 0.0))


def finish_article_page(job: RenderJob, position: int, best: list[int]) -> tuple[str | None, str | None]:
    """The key and Markdown of the article page at position once its related coverage (best) is known."""
    article = job.articles[position]
    return key_and_render(job, "article.md.j2", article_path(article),
                          article_values(job, position, job.related.describe(article, best)))


def key_and_render(job: RenderJob, template: str, path: str, values: dict) -> tuple[str | None, str | None]:
    """A page's key (None without page keys) and its Markdown (None when the key is the last build's)."""
    key = job.page_keys.key(template, path, values) if job.page_keys is not None else None
    if key is not None and job.last_keys is not None and job.last_keys.get(path) == key:
        return key, None
    return key, make_environment().get_template(template).render(page_path=path, **job.common, **values)


def render_listing(job: RenderJob, template: str, first_path: str, articles: list[Article], values: dict,
                   unshown_key: Callable[[str, list[Article]], str | None] | None = None,
                   mentions: dict[str, Mention] | None = None) -> list[tuple[str, str | None, str | None]]:
    """Each page of a listing of articles: (path, key or None, Markdown or None when the key is the last build's).

    The first page is given the whole listing's length as total, and each page the mentions
    (a keyword's, by article id) of its own articles only: a page's key then changes with what it
    shows, not with every mention of the keyword. unshown_key (the preview's shortcut, see ShownOnly): a page
    for which it gives a key keeps that key without being keyed again.
    """
    chunks = split_pages(articles, job.page_size)
    listed: list[tuple[str, str | None, str | None]] = []
    for number, chunk in enumerate(chunks, start=1):
        pager = Pager(first_path, number, len(chunks))
        path = pager.path(number)
        last = unshown_key(path, chunk) if unshown_key is not None else None
        if last is not None:
            listed.append((path, last, None))
            continue
        # Only the first page gives the count: the others then change only when their own articles do.
        total = len(articles) if number == 1 else None
        shown = {} if mentions is None else \
            dict(mentions=({a.id: mentions[a.id] for a in chunk if a.id in mentions}))
        listed.append((path, *key_and_render(job, template, path, dict(articles=chunk, total=total, pager=pager,
                                                                       **values, **shown))))
    return listed


def render_in_worker(job: RenderJob, index: int):
    """Task index of a render's workers: an article page (render_article_page), or past the last
    article, a listing (render_listing) of a kind there are thousands of (kinds.ListingKind.in_workers)."""
    if index < len(job.articles):
        return render_article_page(job, index)
    listing = job.worker_listings[index - len(job.articles)]
    return render_listing(job, listing.template, listing.first_path, listing.articles, listing.values, mentions=listing.mentions)


@dataclass(frozen=True)
class ShownOnly:
    """The corpus differs from the one the last keys were taken from only in what some articles show.

    changed: the ids of those articles; their order, grouping, keywords, text and addresses are as
    they were, so every listing and every article's related coverage is the same (related: the last
    render's). A page none of them appears on then has the last key, and is neither keyed nor rendered.
    """

    changed: frozenset[str]
    related: tuple[tuple[int, ...], ...]
