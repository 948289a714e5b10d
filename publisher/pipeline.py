"""Load, validate, clean, extract keywords, render; then write once, atomically."""
from __future__ import annotations

import datetime
from pathlib import Path

from .clean import clean_article, merge_rules
from .keywords import add_keywords
from .load import load_project
from .model import Corpus, InputError
from .render import raw_path, render_site
from .site import build_with_mkdocs
from .validate import validate_project
from .write import make_work_dir, remove_quietly, replace_dir, write_tree

SITE_SRC = "site_src"
SITE = "site"
CONFIG = "mkdocs.yml"
KEYWORD_CACHE = ".cache/keywords"  # untracked (.gitignore); safe to delete at any time


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


def build_site(root: Path, run_mkdocs: bool = True, quiet: bool = True) -> Corpus:
    """Build site_src/ and site/ under root; on any failure both stay as they were."""
    corpus = prepare_corpus(check_corpus(root), root / KEYWORD_CACHE, quiet)
    files = render_files(root, corpus)
    new_src = make_work_dir(root, "site_src-")
    new_site = make_work_dir(root, "site-")
    try:
        write_tree(files, new_src / "docs")
        if run_mkdocs:
            build_with_mkdocs(root / CONFIG, new_src / "docs", new_site / "site")
        replace_dir(new_src / "docs", root / SITE_SRC)
        if run_mkdocs:
            replace_dir(new_site / "site", root / SITE)
    finally:
        remove_quietly(new_src, new_site)
    return corpus
