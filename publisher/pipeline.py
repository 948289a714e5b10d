"""Load, validate, clean, extract keywords, render; then write once, atomically."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .build import incremental
from .build.input_record import stat_inputs, unchanged_build, write_input_record
from .build.publish import Record, Swap, Transaction, open_transaction
from .build.spooled import SpooledFiles
from .build.stopwatch import Stopwatch
from .build.write import Changes, write_tree, write_tree_since
from .intake.clean_stage import clean_all
from .intake.load import FURNITURE_FILE, OUTLETS_FILE, load_project, read_yaml_file
from .intake.text import MarkerTimeout
from .intake.validate import slow_marker_problem, validate_project
from .keywords.extract import ExtractionStats
from .keywords.index import page_moves
from .keywords.stage import KeywordStage, run_keyword_stage
from .model import Corpus, InputError, Problem
from .pages.data import data_pieces
from .pages.feeds import render_feed_sitemaps, render_feeds, render_stand_ins
from .pages.manifest import find_unrecorded, index_pages, plan_redirects, read_manifest, redirect_files, render_manifest
from .pages.markup import make_environment
from .pages.render import render_changed_pages
from .pages.render_tasks import ShownOnly
from .pages.routes import raw_path
from .parallel import fewer_collections, give_back_freed_memory
from .search.site_index import index_site
from .settings import (CLEAN_MEMO, INPUT_RECORD, KEYWORD_CACHE, KEYWORD_MEMO, MANIFEST_FILE, PAGE_KEYS, RELATED_MEMO, SITE, SITE_RECORD, SITE_SPARE, SITE_SRC, SITE_SRC_RECORD, Settings,
                       find_linked_paths, read_settings)
from .website.mkdocs_build import build_mkdocs_only



def today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


@dataclass(frozen=True)
class Inputs:
    """The validated corpus, and each seed's bytes as the load stage read them (the raw texts published)."""

    corpus: Corpus
    sources: Mapping[str, bytes]  # by the seed's path (Article.source_path)


def read_inputs(root: Path) -> Inputs:
    """Read and validate everything under root, each file once; raise InputError listing every problem."""
    refuse_links(root)
    project = load_project(root)
    corpus, problems = validate_project(project, today())
    if problems:
        raise InputError(problems)
    return Inputs(corpus, {seed.path: seed.data for seed in project.seeds})


def check_corpus(root: Path) -> Corpus:
    """Validate everything under root; raise InputError listing every problem."""
    return read_inputs(root).corpus


def refuse_links(root: Path) -> None:
    """Raise InputError naming each link at the build's own paths, before anything is read through one."""
    links = find_linked_paths(root)
    if links:
        raise InputError(links)


@contextlib.contextmanager
def report_slow_markers(root: Path, source: str = ""):
    """Turn a furniture marker that ran past its time bound into a path:line problem naming it."""
    try:
        yield
    except MarkerTimeout as error:
        docs = [read_yaml_file(root, rel)[0] for rel in (FURNITURE_FILE, OUTLETS_FILE)]
        raise InputError([slow_marker_problem(docs, error.pattern, error.source or source)]) from None


def clean_corpus(corpus: Corpus) -> Corpus:
    """Clean every article."""
    return clean_all(corpus)


def prepare_corpus(corpus: Corpus, cache_file: Path | None = None, quiet: bool = True, read_only: bool = False,
                   watch: Stopwatch | None = None, memo_file: Path | None = None, clean_memo: Path | None = None,
                   last: Corpus | None = None) -> Corpus:
    """Clean every article and add its keywords (through the keyword cache and the stages' memos when given).

    A stopwatch given gets the time of each stage and what the cache and the extractor did. last:
    the corpus this function returned before, kept in memory (the preview's): each stage reuses
    its work where what that work is made of is unchanged (clean_all, run_keyword_stage).
    """
    watch = watch or Stopwatch()
    cleaned = clean_all(corpus, clean_memo, read_only, last)
    empty = [Problem(article.source_path, 0, "no text to read: every block of it is the headline or page furniture. "
                     "A block runs to the next blank line: put a blank line between the paragraphs, or narrow "
                     "the furniture markers that hide them (metadata/outlets.yml, metadata/furniture.yml)")
             for article in cleaned.articles if not article.reading_blocks]
    if empty:
        raise InputError(empty)
    watch.lap("clean")
    last_stage = KeywordStage(last.articles, last.keyword_index, ExtractionStats(), last.keyword_rules) if last else None
    stage = run_keyword_stage(cleaned.articles, corpus.keyword_rules, cache_file, memo_file, quiet, read_only, last=last_stage)
    watch.extraction = stage.extraction
    watch.lap("keywords")
    return dataclasses.replace(corpus, articles=stage.articles, keyword_index=stage.index)


@dataclass(frozen=True)
class SiteFiles:
    """Every file of a new site_src/; None marks a page whose inputs are the last build's (its file is kept)."""

    files: SpooledFiles  # long texts wait in a scratch file until they are written
    page_keys: dict[str, str]  # what each page was made of (empty unless asked for)
    related: tuple[tuple[int, ...], ...] = ()  # each article's related coverage (positions), for the preview's next render
    related_memo: dict | None = None  # the same for the next build (pages.related.RelatedIndex.memo)


def render_files(settings: Settings, corpus: Corpus, sources: Mapping[str, bytes], quiet: bool = True,
                 last_keys: dict[str, str] | None = None, shown_only: ShownOnly | None = None, last_related: dict | None = None) -> SiteFiles:
    """Every file of site_src/: the Markdown pages, feeds, data downloads and the raw texts (sources), byte for byte.

    Given the last build's page keys ({} for none), pages whose inputs are unchanged are not rendered
    (shown_only, last_related: see render_changed_pages).
    """
    rendered = render_changed_pages(corpus, settings, last_keys, quiet, shown_only, last_related)
    files = rendered.pages
    feeds = render_feeds(corpus, settings)
    files.update(feeds)
    files.update(render_feed_sitemaps(feeds))
    for path, pieces in data_pieces(corpus, settings).items():
        files.put_pieces(path, pieces)
    for article in corpus.articles:
        files[raw_path(article)] = sources[article.source_path]
    return SiteFiles(files, rendered.keys, rendered.related, rendered.related_memo)


def render_published(settings: Settings, corpus: Corpus, sources: Mapping[str, bytes], quiet: bool = True,
                     last_keys: dict[str, str] | None = None, shown_only: ShownOnly | None = None,
                     last_related: dict | None = None) -> tuple[SiteFiles, str]:
    """render_files plus an answer at every address published-pages.txt keeps, and the list's new text."""
    site = render_files(settings, corpus, sources, quiet, last_keys, shown_only, last_related)
    files = site.files
    entries, problems = read_manifest(settings.root)
    pages = index_pages(corpus, files)
    redirects, missing = plan_redirects(entries, pages, *page_moves(corpus))
    if problems or missing:
        raise InputError(problems + missing)
    files.update(redirect_files(redirects, make_environment()))
    files.update(render_stand_ins(redirects, files, corpus, settings))
    return site, render_manifest(entries, pages)


def _with_manifest(key: str, manifest_text: str) -> str:
    """The build key plus the published-pages list, whose redirects are part of site_src/."""
    return hashlib.sha256(f"{key}\n{manifest_text}".encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LastBuild:
    """What the last build left that this one may build on: it is intact and made by the same code."""

    page_keys: dict[str, str]  # what each page of site_src/ was made of
    site_current: bool  # site/ is what MkDocs made of that site_src/, untouched
    site_key: str  # what that site/ was made of
    related: dict | None = None  # each article's related coverage in it (pages.related.RelatedIndex.memo)


@dataclass(frozen=True)
class Plan:
    """What a build may reuse: site_src/ as it is (its key says it is current), and site/ too."""

    base_key: str  # the inputs, code, configuration and tools
    key: str  # base_key with the published-pages list: what site_src/ is made of
    reuse_src: bool
    up_to_date: bool  # site_src/ and site/ are both what this build would make
    code: str  # the code key: what every page is made of besides the corpus
    last: LastBuild | None  # None: nothing to build on, every page renders and MkDocs builds all


@dataclass(frozen=True)
class Produced:
    """A new site_src/ written into the work folder, with the published-pages list that goes with it."""

    corpus: Corpus
    docs: Path
    key: str
    manifest_text: str
    page_keys: dict[str, str]
    related_memo: dict | None  # each article's related coverage, for the next build
    changes: Changes | None  # against the last site_src/ (None: written from nothing)


def plan_build(settings: Settings, corpus: Corpus, run_mkdocs: bool) -> Plan:
    """Decide what can be reused, from the build key and the records of the last build."""
    # Cleaning and keywords are pure functions of the validated corpus and the code, so the key
    # can be taken before them, and a build with nothing changed skips them.
    manifest = settings.path(MANIFEST_FILE)
    code = incremental.code_key(settings)
    base_key = incremental.build_key(corpus, code)
    key = _with_manifest(base_key, manifest.read_text(encoding="utf-8") if manifest.exists() else "")
    last_key = incremental.current_key(settings.path(SITE_SRC), settings.path(SITE_SRC_RECORD))
    reuse_src = last_key == key
    site_current = last_key is not None and incremental.is_current(settings.path(SITE), settings.path(SITE_RECORD),
                                                                   incremental.site_key(last_key))
    up_to_date = reuse_src and run_mkdocs and site_current
    last = None
    if last_key is not None and not reuse_src:
        page_keys = incremental.read_page_keys(settings.path(PAGE_KEYS), last_key, code)
        if page_keys is not None:
            last = LastBuild(page_keys, site_current, incremental.site_key(last_key),
                             incremental.read_noted(settings.path(RELATED_MEMO), last_key, code))
    return Plan(base_key, key, reuse_src, up_to_date, code, last)


def produce_site_src(settings: Settings, inputs: Inputs, plan: Plan, docs: Path, quiet: bool,
                     watch: Stopwatch) -> Produced:
    """Clean, extract, render and write a new site_src/ into docs, redirects for the old addresses included.

    Building on the last build, only pages whose inputs changed are rendered, and every file that
    comes out the same is a hard link to the last one.
    """
    with report_slow_markers(settings.root):
        corpus = prepare_corpus(inputs.corpus, settings.path(KEYWORD_CACHE), quiet, watch=watch, memo_file=settings.path(KEYWORD_MEMO),
                                clean_memo=settings.path(CLEAN_MEMO))
    with fewer_collections():
        site, manifest_text = render_published(settings, corpus, inputs.sources, quiet, plan.last.page_keys if plan.last else {},
                                               last_related=plan.last.related if plan.last else None)
    watch.pages_rendered = sum(1 for path in site.files if path.endswith(".md") and not site.files.is_kept(path))
    watch.lap("render")
    changes = None
    if plan.last is None:
        write_tree(site.files, docs)
    else:
        changes = write_tree_since(site.files, docs, settings.path(SITE_SRC))
        watch.files_changed = len(changes.written) + len(changes.removed)
    watch.lap("write")
    return Produced(corpus, docs, _with_manifest(plan.base_key, manifest_text), manifest_text, site.page_keys, site.related_memo, changes)


# What an option of the build line adds to its publish (the export's zip): given the transaction and
# the site/ about to be published (site/ itself when it is current), the outputs it staged to swap in too.
Finish = Callable[[Transaction, Path], list[Swap]]


def build_site(root: Path, run_mkdocs: bool = True, quiet: bool = True, stopwatch: Stopwatch | None = None,
               settings: Settings | None = None, finish: Finish | None = None) -> Corpus | None:
    """Build site_src/ and site/ under root; on any failure both stay as they were.

    A rebuild whose inputs, code, configuration and published-pages list are unchanged reuses
    site_src/ and the Pagefind index as they are, after checking that nobody has touched them: it
    neither cleans, extracts nor renders; and when site/ too is as the last build left it, MkDocs
    does not run either. The corpus returned is then the validated one, without clean text or
    keywords. settings: root's, when the caller has read them already (the export). finish: outputs
    made from the new site/ (the export's zip), swapped in with it in the same commit, or none of them.

    When not an input file has changed since the last build (by its size and times, as git's index
    tells), nor the code, settings or day, and both folders are as it left them, nothing is read at
    all, and None is returned (the stopwatch has the number of articles).
    """
    if finish is not None and not run_mkdocs:
        raise ValueError("finish needs the site/ that MkDocs makes")
    watch = stopwatch or Stopwatch()
    if finish is None and run_mkdocs:
        settings, articles = unchanged_since_last_build(root, settings)
        if articles is not None:
            watch.up_to_date, watch.articles = True, articles
            watch.lap("plan")
            return None
    stats = stat_inputs(root)  # before anything is read: a file changed meanwhile differs next time
    inputs = read_inputs(root)  # bad input is reported before anything, even the lock, is written
    corpus = inputs.corpus
    watch.articles = len(corpus.articles)
    settings = settings or read_settings(root)
    watch.lap("load_validate")
    with open_transaction(settings) as publish:
        plan = plan_build(settings, corpus, run_mkdocs)
        watch.lap("plan")
        if plan.up_to_date:
            watch.up_to_date = True
            if finish is not None:
                publish.commit(finish(publish, settings.path(SITE)))
            if run_mkdocs:
                write_input_record(settings.path(INPUT_RECORD), stats, plan.base_key, plan.code, today().isoformat(), len(corpus.articles))
            return corpus
        swaps, records = [], []
        docs, key = settings.path(SITE_SRC), plan.key
        produced = None
        if not plan.reuse_src:
            produced = produce_site_src(settings, inputs, plan, publish.make_folder(SITE_SRC), quiet, watch)
            corpus, docs, key = produced.corpus, produced.docs, produced.key
            swaps.append(Swap(docs, settings.path(SITE_SRC)))
            records.append(Record(settings.path(SITE_SRC), settings.path(SITE_SRC_RECORD), key))
            swaps += publish.stage_file(settings.path(MANIFEST_FILE), produced.manifest_text)
        del inputs  # the seeds' bytes: site_src/ has what MkDocs needs
        if run_mkdocs:
            give_back_freed_memory()  # what rendering freed, before MkDocs forks its workers
            changes = produced.changes if produced and plan.last and plan.last.site_current else None
            if changes is None:
                site = built = publish.make_folder(SITE)
            else:  # MkDocs builds the changed pages apart; they are moved into the new site
                watch.mkdocs_pages = len(changes.written)
                built = publish.make_folder(f"{SITE}.changed")
                site = publish.take(settings.path(SITE_SPARE), SITE) or publish.make_folder(SITE)
            build_mkdocs_only(settings.config_file, docs, built, quiet=quiet, changes=changes, config_bytes=settings.config_bytes,
                              last_site=settings.path(SITE), into=site)
            watch.lap("mkdocs")
            watch.search_shards = index_site(settings, site, key, publish.work,
                                             plan.last.site_key if plan.last and plan.last.site_current else None)
            watch.lap("pagefind")
            swaps.insert(1 if not plan.reuse_src else 0, Swap(site, settings.path(SITE)))
            records.append(Record(settings.path(SITE), settings.path(SITE_RECORD), incremental.site_key(key)))
        if finish is not None:
            swaps += finish(publish, site)
        if produced is not None:
            for noted in (PAGE_KEYS, RELATED_MEMO):
                incremental.forget(settings.path(noted))
        replaced = publish.commit(swaps, records)
        if run_mkdocs:
            publish.keep(replaced.get(settings.path(SITE)), settings.path(SITE_SPARE))  # the next build's site, updated
        if produced is not None:
            incremental.write_noted(settings.path(PAGE_KEYS), key, plan.code, produced.page_keys)
            incremental.write_noted(settings.path(RELATED_MEMO), key, plan.code, produced.related_memo)
        if run_mkdocs:
            write_input_record(settings.path(INPUT_RECORD), stats, plan.base_key, plan.code, today().isoformat(), len(corpus.articles))
        watch.lap("write")
    return corpus


def unchanged_since_last_build(root: Path, settings: Settings | None) -> tuple[Settings | None, int | None]:
    """The settings as read, and the number of articles if no input, code or setting changed since the last
    build and site_src/ and site/ are as it left them (build/input_record.py); None: the build reads its inputs."""
    refuse_links(root)
    try:
        settings = settings or read_settings(root)
    except InputError:
        return None, None  # the build reports it, after any problem of the inputs
    site_src, site, manifest = settings.path(SITE_SRC), settings.path(SITE), settings.path(MANIFEST_FILE)

    def made_from(base_key: str) -> bool:
        # The published-pages list is part of what site_src/ is made of (plan_build), by its text.
        key = _with_manifest(base_key, manifest.read_text(encoding="utf-8") if manifest.exists() else "")
        return (incremental.current_key(site_src, settings.path(SITE_SRC_RECORD)) == key
                and incremental.is_current(site, settings.path(SITE_RECORD), incremental.site_key(key)))

    return settings, unchanged_build(settings.path(INPUT_RECORD), root, lambda: incremental.code_key(settings), today().isoformat(), made_from)


@dataclass(frozen=True)
class Checked:
    """What `check` found good: the corpus, and the new pages the next build will record."""

    corpus: Corpus
    new_pages: tuple[str, ...] = ()


def check_project(root: Path) -> Checked:
    """Validate everything the build would, addresses included, writing nothing; raise InputError.

    A page not yet in published-pages.txt is no problem: a new article brings new pages, and the
    build records them. A published address that would be lost is.
    """
    refuse_links(root)
    entries, problems = read_manifest(root)
    project = load_project(root)
    corpus, found = validate_project(project, today())
    problems += found
    new_pages: list[str] = []
    if not found:
        # The keyword cache is read, never written: `check` writes nothing.
        with report_slow_markers(root):
            prepared = prepare_corpus(corpus, root / KEYWORD_CACHE, read_only=True, memo_file=root / KEYWORD_MEMO,
                                  clean_memo=root / CLEAN_MEMO)
        sources = {seed.path: seed.data for seed in project.seeds}
        pages = index_pages(prepared, render_files(read_settings(root), prepared, sources).files)
        problems += plan_redirects(entries, pages, *page_moves(prepared))[1]
        new_pages = find_unrecorded(entries, pages)
    if problems:
        raise InputError(problems)
    return Checked(corpus, tuple(new_pages))
