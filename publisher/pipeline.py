"""Load, validate, clean, extract keywords, render; then write once, atomically."""
from __future__ import annotations

import datetime
from pathlib import Path

from .clean import clean_article, merge_rules
from .data import render_data
from .feeds import render_feeds
from .keywords import add_keywords
from .load import load_project
from .lock import hold_build_lock
from .model import Corpus, InputError
from .render import make_environment, raw_path, render_site
from .site import build_with_mkdocs
from .addresses import read_site_settings
from .urls import find_unrecorded, index_pages, plan_redirects, read_manifest, redirect_files, render_manifest, write_manifest
from .validate import validate_project
from .write import WORK_DIR, defer_interrupts, make_work_dir, remove_leftovers, remove_quietly, replace_dir, write_tree

SITE_SRC = "site_src"
SITE = "site"
CONFIG = "mkdocs.yml"


def today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def check_corpus(root: Path) -> Corpus:
    """Validate everything under root; raise InputError listing every problem."""
    corpus, problems = validate_project(load_project(root), today())
    if problems:
        raise InputError(problems)
    return corpus


def prepare_corpus(corpus: Corpus) -> Corpus:
    """Clean every article and add its keywords."""
    outlets = {o.id: o for o in corpus.outlets}
    cleaned = tuple(clean_article(a, merge_rules(outlets.get(a.outlet), corpus.general_rules)) for a in corpus.articles)
    return Corpus(add_keywords(cleaned), corpus.outlets, corpus.topics, corpus.general_rules)


def render_files(root: Path, corpus: Corpus) -> dict[str, str | bytes]:
    """Every file of site_src/: the Markdown pages, feeds, data downloads and the raw texts, byte for byte."""
    site = read_site_settings(root / CONFIG)
    files: dict[str, str | bytes] = dict(render_site(corpus, site.name, site.url))
    files.update(render_feeds(corpus, site.url, site.name))
    files.update(render_data(corpus, site.url, site.name))
    for article in corpus.articles:
        files[raw_path(article)] = (root / article.source_path).read_bytes()
    return files


def build_site(root: Path, run_mkdocs: bool = True) -> Corpus:
    """Build site_src/ and site/ under root; on any failure both stay as they were."""
    corpus = check_corpus(root)  # bad input is reported before anything, even the lock, is written
    with hold_build_lock(root / WORK_DIR):
        remove_leftovers(root)
        corpus = prepare_corpus(corpus)
        files = render_files(root, corpus)
        entries, problems = read_manifest(root)
        pages = index_pages(corpus, files)
        redirects, missing = plan_redirects(entries, pages)
        if problems or missing:
            raise InputError(problems + missing)
        files.update(redirect_files(redirects, make_environment()))
        new_src = make_work_dir(root, "site_src-")
        new_site = make_work_dir(root, "site-")
        try:
            write_tree(files, new_src / "docs")
            if run_mkdocs:
                build_with_mkdocs(root / CONFIG, new_src / "docs", new_site / "site")
            with defer_interrupts():
                replace_dir(new_src / "docs", root / SITE_SRC)
                if run_mkdocs:
                    replace_dir(new_site / "site", root / SITE)
                write_manifest(root, render_manifest(entries, pages))
        finally:
            remove_quietly(new_src, new_site)
    return corpus


def check_project(root: Path) -> Corpus:
    """Validate everything the build would, addresses included, writing nothing; raise InputError."""
    entries, problems = read_manifest(root)
    corpus, found = validate_project(load_project(root), today())
    problems += found
    if not found:
        prepared = prepare_corpus(corpus)
        pages = index_pages(prepared, render_files(root, prepared))
        problems += plan_redirects(entries, pages)[1] + find_unrecorded(entries, pages)
    if problems:
        raise InputError(problems)
    return corpus
