"""Render every page of the site as Markdown from the templates: {relative path: content}.

The pages and what each template is given are here, the listings of every kind in kinds.py (walked
here generically); the Jinja environment and escaping are in markup.py, grouping and paging in
listings.py, related coverage in related.py, and keying and rendering one page (in this process or
a worker) in render_tasks.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, cast

from ..keywords.extract import worker_count
from ..keywords.index import keywords_by_article, search_names
from ..model import Article, Corpus, Keyword, newest_first
from ..parallel import map_in_order
from ..build.spooled import SpooledFiles
from ..progress import show_progress
from ..settings import Settings
from . import kinds as page_kinds
from .browse import count_facets, render_browse_data
from .charts import chart_keywords, chart_matrix, chart_timeline, stack_matrix
from .kinds import KEYWORD, OUTLET, TOPIC, Groups, ListingKind, render_values
from .page_keys import PageKeys
from .related import RelatedIndex
from .render_tasks import Listing, RenderJob, ShownOnly, key_and_render, key_shown_article_page, render_in_worker, render_listing
from .routes import BROWSE, BROWSE_DATA, HOME, RIGHTS, STATISTICS, article_path, offline_download_url


def render_site(corpus: Corpus, settings: Settings = Settings(Path()), quiet: bool = True) -> dict[str, str]:
    """Every Markdown page of the site, keyed by its path inside site_src/ (quiet off: a progress bar)."""
    pages = render_changed_pages(corpus, settings, None, quiet).pages
    return {path: content for path, content in pages.items() if isinstance(content, str)}


def list_listings(kind: ListingKind, groups: Groups, corpus: Corpus, page_size: int) -> list[Listing]:
    """Every listing of a kind, as render_listing takes it."""
    mentions = kind.mentions(corpus) if kind.mentions is not None else None
    return [Listing(kind.template, kind.path(slug), articles, render_values(kind, record, articles, page_size),
                    None if mentions is None else mentions.get(slug, {}))
            for slug, (record, articles) in groups.items()]


@dataclass(frozen=True)
class RenderedPages:
    """The pages of one render: content, or None where the page's inputs are the last build's."""

    pages: SpooledFiles
    keys: dict[str, str]  # each page's digest of inputs (empty when none were asked for)
    related: tuple[tuple[int, ...], ...] = ()  # each article's related coverage, as positions in the corpus
    related_memo: dict | None = None  # the same for the next render (RelatedIndex.memo); None after shown_only


def render_changed_pages(corpus: Corpus, settings: Settings, last_keys: dict[str, str] | None,
                         quiet: bool = True, shown_only: ShownOnly | None = None, last_related: dict | None = None) -> RenderedPages:
    """Every page of the site; with the last build's page keys, only those whose inputs changed.

    last_keys=None renders every page and takes no keys; {} renders every page and takes them.
    shown_only (the live preview, after an edit of what articles show): listing and article pages
    that show none of the changed articles keep their last keys without being keyed again.
    last_related: the last render's related_memo; the related coverage it provably still holds is
    not ranked again.
    """
    limits = settings.limits
    outlets = {o.id: o for o in corpus.outlets}
    topics = {t.id: t for t in corpus.topics}
    kinds = page_kinds.KINDS
    groups = {kind.name: kind.group(corpus) for kind in kinds}
    # The registries' listings include records no article has: the counts and totals are of those that have some.
    by_topic = {topic: articles for topic, (_record, articles) in groups[TOPIC.name].items() if articles}
    by_outlet = {outlet: articles for outlet, (_record, articles) in groups[OUTLET.name].items() if articles}
    by_keyword = cast(dict[str, tuple[Keyword, list[Article]]], groups[KEYWORD.name])
    chronological = list(corpus.articles)
    timeline = newest_first(chronological)
    related_index = RelatedIndex(corpus, by_keyword)
    listed = keywords_by_article(corpus)  # Browse and search both read it: taken once
    common = dict(outlets=outlets, topics=topics, site_name=settings.name, site_url=settings.url,
                  repo_url=settings.repo_url, offline_download=offline_download_url(settings.name, settings.repo_url, settings.version))

    page_keys = PageKeys(corpus.articles, common, digest_all=shown_only is None) if last_keys is not None else None
    listings_of = {kind.name: list_listings(kind, groups[kind.name], corpus, limits.page_size) for kind in kinds}
    in_workers = tuple(listing for kind in kinds if kind.in_workers for listing in listings_of[kind.name])
    job = RenderJob(chronological, related_index, limits.related_limit, page_keys, last_keys, common,
                    in_workers if shown_only is None else (), limits.page_size, search_names(corpus, listed),
                    related_index.reusable(last_related, limits.related_limit) if shown_only is None else {})
    keys: dict[str, str] = {}

    def unshown_key(page_path: str, shown: list[Article]) -> str | None:
        """The page's last key if it shows none of the changed articles (shown_only): it need not be keyed again."""
        if shown_only is None or last_keys is None or any(article.id in shown_only.changed for article in shown):
            return None
        return last_keys.get(page_path)

    def note_key(page_path: str, key: str | None) -> None:
        if key is not None and last_keys is not None:
            keys[page_path] = key

    def render(template: str, page_path: str, **values) -> str | None:
        key, content = key_and_render(job, template, page_path, values)
        note_key(page_path, key)
        return content

    def render_paged(listing: Listing) -> dict[str, str | None]:
        """A listing of articles over as many pages as it needs (render_listing), its keys noted."""
        paged: dict[str, str | None] = {}
        for path, key, content in render_listing(job, listing.template, listing.first_path, listing.articles, listing.values,
                                                 unshown_key, listing.mentions):
            note_key(path, key)
            paged[path] = content
        return paged

    # Article pages (related coverage, key, Markdown) and keyword listings (in_workers) are the costliest part:
    # the workers start on them first, and this process renders the other pages meanwhile.
    tasks = len(chronological) + len(job.worker_listings)
    keyed: Iterator
    if shown_only is not None:
        keyed = (key_shown_article_page(job, position, shown_only, unshown_key) for position in range(len(chronological)))
    else:
        workers = worker_count(None, 0, len(chronological))
        keyed = map_in_order(render_in_worker, job, tasks, workers, max(1, tasks // (workers * 64)))
    matrix = chart_matrix(corpus)
    pages = SpooledFiles({
        # The home page gets the totals it prints, not the corpus: its key then costs nothing to take.
        HOME: render("home.md.j2", HOME, latest=timeline[:limits.latest_limit], totals=dict(
            articles=len(chronological), outlets=len(by_outlet), topics=len(by_topic), keywords=len(by_keyword),
            first_date=chronological[0].date if chronological else None, last_date=chronological[-1].date if chronological else None)),
        RIGHTS: render("rights.md.j2", RIGHTS),
        # Each kind's index page gets counts, not the articles, for the same reason (kinds.IndexPage).
        **{kind.index.path: render(kind.index.template, kind.index.path, **kind.index.values(groups[kind.name]))
           for kind in kinds if kind.index is not None},
        BROWSE: render("browse.md.j2", BROWSE, facets=count_facets(corpus, listed)),
        BROWSE_DATA: render_browse_data(corpus, article_path, listed),
        STATISTICS: render("statistics.md.j2", STATISTICS, timeline=chart_timeline(corpus),
                           timeline_narrow=chart_timeline(corpus, narrow=True), matrix=matrix,
                           matrix_stacked=stack_matrix(matrix), keywords=chart_keywords(corpus, by_keyword),
                           keywords_narrow=chart_keywords(corpus, by_keyword, narrow=True)),
    })
    listings = pages.sibling()  # after the articles, as they were always listed
    for kind in kinds:
        if not kind.in_workers or shown_only is not None:  # the preview's shortcut renders every listing in this process
            for listing in listings_of[kind.name]:
                listings.update(render_paged(listing))
    ranked: list[tuple[list[int], float]] = []
    for index, result in enumerate(show_progress(keyed, "Pages", total=tasks, quiet=quiet)):
        if index >= len(chronological):  # a listing the workers make
            for path, key, content in result:
                note_key(path, key)
                listings[path] = content
            continue
        key, content, ranking = result
        path = article_path(chronological[index])
        ranked.append(ranking)
        note_key(path, key)
        pages[path] = content
    pages.update(listings)
    memo = None if shown_only is not None else related_index.memo(ranked, limits.related_limit)
    return RenderedPages(pages, keys, tuple(tuple(best) for best, _floor in ranked), memo)
