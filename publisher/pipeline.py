"""Load, validate, clean, extract keywords, render; then write once, atomically."""
from __future__ import annotations

import datetime
import time
from pathlib import Path

from . import incremental
from .clean import clean_article, merge_rules
from .keywords import add_keywords
from .load import load_project
from .model import Corpus, InputError
from .render import raw_path, render_site
from .site import build_mkdocs_only, index_with_pagefind
from .validate import validate_project
from .write import make_work_dir, remove_quietly, replace_dir, write_tree

SITE_SRC = "site_src"
SITE = "site"
CONFIG = "mkdocs.yml"
KEYWORD_CACHE = ".cache/keywords"  # untracked (.gitignore); safe to delete at any time
SITE_SRC_RECORD = ".cache/site_src.key"  # which build made site_src/, so a rebuild with no change reuses it
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
    return Corpus(cleaned, corpus.outlets, corpus.topics, corpus.general_rules)


def prepare_corpus(corpus: Corpus, cache_dir: Path | None = None, quiet: bool = True) -> Corpus:
    """Clean every article and add its keywords (through the keyword cache when one is given)."""
    cleaned = clean_corpus(corpus)
    return Corpus(add_keywords(cleaned.articles, cache_dir=cache_dir, quiet=quiet), corpus.outlets, corpus.topics,
                  corpus.general_rules)


def render_files(root: Path, corpus: Corpus) -> dict[str, str | bytes]:
    """Every file of site_src/: the Markdown pages and the raw texts, byte for byte."""
    files: dict[str, str | bytes] = dict(render_site(corpus))
    for article in corpus.articles:
        files[raw_path(article)] = (root / article.source_path).read_bytes()
    return files


class Stopwatch:
    """Seconds spent per stage, for the benchmark; the build is the same with or without one."""

    def __init__(self):
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(self.stages.get(stage, 0.0) + now - self._last, 3)
        self._last = now


def build_site(root: Path, run_mkdocs: bool = True, quiet: bool = True, stopwatch: Stopwatch | None = None) -> Corpus:
    """Build site_src/ and site/ under root; on any failure both stay as they were.

    A rebuild whose corpus, code and configuration are unchanged reuses site_src/ and the Pagefind
    index as they are, after checking that nobody has touched them.
    """
    watch = stopwatch or Stopwatch()
    corpus = check_corpus(root)
    watch.lap("load_validate")
    corpus = clean_corpus(corpus)
    watch.lap("clean")
    corpus = Corpus(add_keywords(corpus.articles, cache_dir=root / KEYWORD_CACHE, quiet=quiet), corpus.outlets,
                    corpus.topics, corpus.general_rules)
    watch.lap("keywords")
    key = incremental.build_key(root, corpus, root / CONFIG)
    reuse_src = incremental.is_current(root / SITE_SRC, root / SITE_SRC_RECORD, key)
    files = {} if reuse_src else render_files(root, corpus)
    watch.lap("render")
    new_src = make_work_dir(root, "site_src-")
    new_site = make_work_dir(root, "site-")
    try:
        docs = root / SITE_SRC if reuse_src else new_src / "docs"
        if not reuse_src:
            write_tree(files, docs)
        watch.lap("write")
        if run_mkdocs:
            offline = build_mkdocs_only(root / CONFIG, docs, new_site / "site", quiet=quiet)
            watch.lap("mkdocs")
            if not offline:
                index_site(root, new_site / "site", key)
            watch.lap("pagefind")
        if not reuse_src:
            incremental.forget(root / SITE_SRC_RECORD)
            replace_dir(docs, root / SITE_SRC)
            incremental.record_current(root / SITE_SRC, root / SITE_SRC_RECORD, key)
        if run_mkdocs:
            replace_dir(new_site / "site", root / SITE)
    finally:
        remove_quietly(new_src, new_site)
    watch.lap("write")
    return corpus


def index_site(root: Path, site_dir: Path, key: str) -> None:
    """Pagefind's index of the hosted site: copied from the last build when that was made from key."""
    cache = root / PAGEFIND_CACHE
    record = cache.with_name("pagefind.key")
    if incremental.is_current(cache, record, key):
        incremental.copy_folder(cache, site_dir / "pagefind")
        return
    incremental.forget(record)
    index_with_pagefind(site_dir)
    incremental.copy_folder(site_dir / "pagefind", cache)
    incremental.record_current(cache, record, key)
