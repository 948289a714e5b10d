"""Run MkDocs on a rendered site_src/ folder."""
from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from .progress import page_progress_plugin
from .routes import SEARCH_SCOPE

class MkDocsError(Exception):
    """MkDocs refused the site; the message is MkDocs' own."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")



class PagefindError(Exception):
    """Pagefind could not index the built site; the message is Pagefind's own."""


def build_with_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = True,
                      offline: bool | None = None, **overrides) -> None:
    """Build docs_dir into site_dir with the project's mkdocs.yml; raise MkDocsError on failure.

    The one switch between the two kinds of site: the hosted site (offline=False) searches with
    Pagefind, whose index a query downloads only in part; the offline copy (offline=True) keeps
    Material's search, because Pagefind cannot load its index from file://. Left at None, a build
    with Material's offline plugin in its configuration is the offline copy.
    """
    if not build_mkdocs_only(config_file, docs_dir, site_dir, strict, offline, **overrides):
        index_with_pagefind(site_dir)


def build_mkdocs_only(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = True,
                      offline: bool | None = None, quiet: bool = True, **overrides) -> bool:
    """The MkDocs half of build_with_mkdocs; True when it built the offline copy (Material's search kept)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=strict, **overrides)
        if offline is None:
            offline = "material/offline" in config.plugins
        if not offline:
            use_pagefind(config)
        bar = page_progress_plugin(quiet)
        if bar is not None:
            config.plugins["archive/progress"] = bar
        build(config)
    except MkDocsException as error:
        details = "\n".join(collect.messages)
        raise MkDocsError(f"{details}\n{error}".strip()) from None
    finally:
        logger.removeHandler(collect)
    return offline


def use_pagefind(config) -> None:
    """Turn Material's search off (its index holds every page's full text) and the Pagefind box on."""
    search = config.plugins.get("material/search")
    if search is not None:
        search.config.enabled = False
    config.extra["pagefind"] = True


def index_with_pagefind(site_dir: Path) -> None:
    """Write Pagefind's chunked index and search UI into site_dir/pagefind/; raise PagefindError on failure."""
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(site_dir), "--glob", SEARCH_SCOPE, "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise PagefindError(f"{done.stdout}{done.stderr}".strip() or f"exit status {done.returncode}")
