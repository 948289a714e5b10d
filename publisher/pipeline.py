"""Load, validate, clean, extract keywords, render; then write once, atomically."""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import time
from pathlib import Path

from . import incremental
from .addresses import read_site_settings
from .clean import clean_article, merge_rules
from .data import render_data
from .feeds import render_feeds
from .keyword_index import index_keywords, keyword_moves
from .keywords import ExtractionStats, add_keywords_with_stats
from .load import load_project
from .lock import hold_build_lock
from .model import Corpus, InputError
from .render import make_environment, raw_path, render_site
from .site import build_mkdocs_only, index_with_pagefind
from .urls import (MANIFEST_FILE, find_unrecorded, index_pages, plan_redirects, read_manifest, redirect_files,
                   render_manifest, write_manifest)
from .validate import validate_project
from .write import WORK_DIR, defer_interrupts, make_work_dir, remove_leftovers, remove_quietly, replace_dir, write_tree

SITE_SRC = "site_src"
SITE = "site"
CONFIG = "mkdocs.yml"
KEYWORD_CACHE = ".cache/keywords.sqlite"  # untracked (.gitignore); safe to delete at any time
SITE_SRC_RECORD = ".cache/site_src.key"  # which build made site_src/, so a rebuild with no change reuses it
SITE_RECORD = ".cache/site.key"  # which build made site/, so a rebuild with no change at all keeps it
PAGEFIND_CACHE = ".cache/pagefind"


def today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def check_corpus(root: Path) -> Corpus:
    """Validate everything under root; raise InputError listing every problem."""
    corpus, problems = validate_project(load_project(root), today())
    if problems:
        raise InputError(problems)
    return corpus


def clean_corpus(corpus: Corpus) -> Corpus:
    """Clean every article."""
    outlets = {o.id: o for o in corpus.outlets}
    cleaned = tuple(clean_article(a, merge_rules(outlets.get(a.outlet), corpus.general_rules)) for a in corpus.articles)
    return dataclasses.replace(corpus, articles=cleaned)


def prepare_corpus(corpus: Corpus, cache_file: Path | None = None, quiet: bool = True,
                   read_only: bool = False) -> Corpus:
    """Clean every article and add its keywords (through the keyword cache when one is given)."""
    return prepare_corpus_with_stats(corpus, cache_file, quiet, read_only)[0]


def prepare_corpus_with_stats(corpus: Corpus, cache_file: Path | None = None, quiet: bool = True,
                              read_only: bool = False, watch: Stopwatch | None = None) -> tuple[Corpus, ExtractionStats]:
    """prepare_corpus, and what the keyword cache and the extractor did."""
    watch = watch or Stopwatch()
    cleaned = clean_corpus(corpus)
    watch.lap("clean")
    articles, stats = add_keywords_with_stats(cleaned.articles, cache_file=cache_file, quiet=quiet, read_only=read_only,
                                              rules=corpus.keyword_rules)
    index = index_keywords(articles, corpus.keyword_rules)
    watch.lap("keywords")
    return dataclasses.replace(corpus, articles=articles, keyword_index=index), stats


def render_files(root: Path, corpus: Corpus, quiet: bool = True) -> dict[str, str | bytes]:
    """Every file of site_src/: the Markdown pages, feeds, data downloads and the raw texts, byte for byte."""
    site = read_site_settings(root / CONFIG)
    files: dict[str, str | bytes] = dict(render_site(corpus, site.name, site.url, quiet))
    files.update(render_feeds(corpus, site.url, site.name))
    files.update(render_data(corpus, site.url, site.name))
    for article in corpus.articles:
        files[raw_path(article)] = (root / article.source_path).read_bytes()
    return files


class Stopwatch:
    """Seconds spent per stage and what the build reused; the build is the same with or without one."""

    def __init__(self):
        self.stages: dict[str, float] = {}
        self.extraction = ExtractionStats()
        self.up_to_date = False  # site_src/ and site/ were already what this build would make
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(self.stages.get(stage, 0.0) + now - self._last, 3)
        self._last = now


def _with_manifest(key: str, manifest_text: str) -> str:
    """The build key plus the published-pages list, whose redirects are part of site_src/."""
    return hashlib.sha256(f"{key}\n{manifest_text}".encode("utf-8")).hexdigest()


def _site_key(key: str) -> str:
    """What site/ is made of: site_src/'s key, and the date MkDocs stamps on the sitemap when one is given."""
    return hashlib.sha256(f"{key}\nSOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode()).hexdigest()


def build_site(root: Path, run_mkdocs: bool = True, quiet: bool = True, stopwatch: Stopwatch | None = None) -> Corpus:
    """Build site_src/ and site/ under root; on any failure both stay as they were.

    A rebuild whose inputs, code, configuration and published-pages list are unchanged reuses
    site_src/ and the Pagefind index as they are, after checking that nobody has touched them: it
    neither cleans, extracts nor renders; and when site/ too is as the last build left it, MkDocs
    does not run either. The corpus returned is then the validated one, without clean text or
    keywords.
    """
    watch = stopwatch or Stopwatch()
    corpus = check_corpus(root)  # bad input is reported before anything, even the lock, is written
    watch.lap("load_validate")
    with hold_build_lock(root / WORK_DIR):
        remove_leftovers(root)
        manifest = root / MANIFEST_FILE
        # Cleaning and keywords are pure functions of the validated corpus and the code, so the key
        # can be taken before them, and a build with nothing changed skips them.
        base_key = incremental.build_key(root, corpus, root / CONFIG)
        key = _with_manifest(base_key, manifest.read_text(encoding="utf-8") if manifest.exists() else "")
        reuse_src = incremental.is_current(root / SITE_SRC, root / SITE_SRC_RECORD, key)
        if reuse_src and run_mkdocs and incremental.is_current(root / SITE, root / SITE_RECORD, _site_key(key)):
            watch.up_to_date = True
            watch.lap("render")
            return corpus
        watch.lap("render")
        manifest_text = None
        if not reuse_src:
            corpus, watch.extraction = prepare_corpus_with_stats(corpus, root / KEYWORD_CACHE, quiet, watch=watch)
            files = render_files(root, corpus, quiet)
            entries, problems = read_manifest(root)
            pages = index_pages(corpus, files)
            redirects, missing = plan_redirects(entries, pages, keyword_moves(corpus.keyword_index))
            if problems or missing:
                raise InputError(problems + missing)
            files.update(redirect_files(redirects, make_environment()))
            manifest_text = render_manifest(entries, pages)
            key = _with_manifest(base_key, manifest_text)
            watch.lap("render")
        new_src = make_work_dir(root, "site_src-")
        new_site = make_work_dir(root, "site-")
        try:
            docs = root / SITE_SRC if reuse_src else new_src / "docs"
            if not reuse_src:
                write_tree(files, docs)
                del files  # on disk now: free the copy in memory (hundreds of MB at 10,000) before MkDocs
            watch.lap("write")
            if run_mkdocs:
                offline = build_mkdocs_only(root / CONFIG, docs, new_site / "site", quiet=quiet)
                watch.lap("mkdocs")
                if not offline:
                    index_site(root, new_site / "site", key)
                watch.lap("pagefind")
            with defer_interrupts():
                if not reuse_src:
                    incremental.forget(root / SITE_SRC_RECORD)
                    replace_dir(docs, root / SITE_SRC)
                if run_mkdocs:
                    incremental.forget(root / SITE_RECORD)
                    replace_dir(new_site / "site", root / SITE)
                if manifest_text is not None:
                    write_manifest(root, manifest_text)
            if not reuse_src:
                incremental.record_current(root / SITE_SRC, root / SITE_SRC_RECORD, key)
            if run_mkdocs:
                incremental.record_current(root / SITE, root / SITE_RECORD, _site_key(key))
        finally:
            remove_quietly(new_src, new_site)
        watch.lap("write")
    return corpus


def index_site(root: Path, site_dir: Path, key: str) -> None:
    """Pagefind's index of the hosted site: copied from the last build when that was made from key."""
    cache = root / PAGEFIND_CACHE
    record = cache.with_name("pagefind.key")
    if incremental.is_current(cache, record, key):
        incremental.link_folder(cache, site_dir / "pagefind")
        return
    incremental.forget(record)
    index_with_pagefind(site_dir)
    incremental.link_folder(site_dir / "pagefind", cache)
    incremental.record_current(cache, record, key)


def check_project(root: Path) -> Corpus:
    """Validate everything the build would, addresses included, writing nothing; raise InputError."""
    entries, problems = read_manifest(root)
    corpus, found = validate_project(load_project(root), today())
    problems += found
    if not found:
        # The keyword cache is read, never written: `check` writes nothing.
        prepared = prepare_corpus(corpus, root / KEYWORD_CACHE, read_only=True)
        pages = index_pages(prepared, render_files(root, prepared))
        problems += plan_redirects(entries, pages, keyword_moves(prepared.keyword_index))[1] + find_unrecorded(entries, pages)
    if problems:
        raise InputError(problems)
    return corpus
