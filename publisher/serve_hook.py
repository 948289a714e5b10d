"""MkDocs hook for `build.py serve`: render site_src/ again from the inputs before each rebuild.

It renders what the build does, redirects and stand-ins for gone addresses included, so that
serving never leaves site_src/ different from what a build commits.

MkDocs loads a hook as a file, not as part of the package, hence the absolute imports.
"""
from __future__ import annotations

import logging
from pathlib import Path

from publisher.model import InputError
# `serve` names this hook in place of mkdocs.yml's hooks: take the navigation hook's events along.
from publisher.nav_hook import on_page_context, on_post_page  # noqa: F401
from publisher.pipeline import check_corpus, prepare_corpus, render_published, report_slow_markers
from publisher.settings import KEYWORD_CACHE, SITE_SRC, read_settings
from publisher.write import sync_tree

log = logging.getLogger("mkdocs.archive")


def on_pre_build(config):
    root = Path(config.config_file_path).parent
    try:
        with report_slow_markers(root):
            files = render_published(read_settings(root), prepare_corpus(check_corpus(root), root / KEYWORD_CACHE))[0]
    except InputError as error:
        for problem in error.problems:
            log.error(str(problem))
        log.error("The preview shows the last good build until these are fixed.")
        return
    changed = sync_tree(files, root / SITE_SRC)
    if changed:
        log.info(f"Rendered {changed} changed file(s) into {SITE_SRC}/")
