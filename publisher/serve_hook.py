"""MkDocs hook for `build.py serve`: render site_src/ again from the inputs before each rebuild.

It renders what the build does, redirects and stand-ins for gone addresses included, so that
serving never leaves site_src/ different from what a build commits. Like a build, it renders only
the pages whose inputs changed since the last render, and `serve` runs MkDocs' dirty build, told
here exactly which files of site_src/ changed: one edited metadata file rebuilds a few pages.

MkDocs loads a hook as a file, not as part of the package, hence the absolute imports.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from publisher import incremental
from publisher.model import InputError
# `serve` names this hook in place of mkdocs.yml's hooks: take the navigation hook's events along.
from publisher.nav_hook import on_page_context, on_post_page  # noqa: F401
from publisher.pipeline import check_corpus, prepare_corpus, render_published, report_slow_markers
from publisher.settings import KEYWORD_CACHE, PAGE_KEYS, SITE_SRC, SITE_SRC_RECORD, read_settings
from publisher.site import DirtyNotice
from publisher.write import sync_tree

log = logging.getLogger("mkdocs.archive")
logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice())


class _Preview:
    """What the preview knows between rebuilds: each page's inputs as site_src/ holds it, and what changed."""

    page_keys: dict[str, str] | None = None
    changed: set[str] | None = None  # None: MkDocs decides (the first build makes every page)


_preview = _Preview()


def last_page_keys(root: Path) -> dict[str, str]:
    """The page keys of the build that made site_src/, when it is untouched; {} renders every page."""
    if _preview.page_keys is not None:
        return _preview.page_keys
    settings = read_settings(root)
    src_key = incremental.current_key(root / SITE_SRC, root / SITE_SRC_RECORD)
    code = incremental.code_key(root, settings.config_file)
    return (incremental.read_page_keys(root / PAGE_KEYS, src_key, code) if src_key else None) or {}


def on_pre_build(config):
    root = Path(config.config_file_path).parent
    try:
        with report_slow_markers(root):
            site = render_published(read_settings(root), prepare_corpus(check_corpus(root), root / KEYWORD_CACHE),
                                    last_keys=last_page_keys(root))[0]
    except InputError as error:
        for problem in error.problems:
            log.error(str(problem))
        log.error("The preview shows the last good build until these are fixed.")
        _preview.changed = set()
        return
    changed = sync_tree(site.files, root / SITE_SRC)
    if _preview.page_keys is not None:
        _preview.changed = changed
    _preview.page_keys = site.page_keys
    if changed:
        log.info(f"Rendered {len(changed)} changed file(s) into {SITE_SRC}/")


def on_files(files, config):
    """After the first build, MkDocs builds again only the files of site_src/ that on_pre_build changed."""
    if _preview.changed is None:
        return files
    docs_dir = os.path.realpath(config.docs_dir)
    for file in files:
        if os.path.realpath(file.src_dir or "") == docs_dir:
            changed = file.src_uri in _preview.changed or not os.path.exists(file.abs_dest_path)
            file.is_modified = (lambda changed=changed: changed)
    return files
