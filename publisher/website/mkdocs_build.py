"""Run MkDocs on a rendered site_src/ folder."""
from __future__ import annotations

import functools
import io
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO

from ..build import incremental
from ..build.write import Changes
from ..progress import page_progress_plugin

class MkDocsError(Exception):
    """MkDocs refused the site; the message is MkDocs' own."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")



def build_with_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = True, **overrides) -> None:
    """Build docs_dir into site_dir with the project's mkdocs.yml and its Pagefind index; raise MkDocsError on failure."""
    build_mkdocs_only(config_file, docs_dir, site_dir, strict, **overrides)
    index_with_pagefind(site_dir)


def build_mkdocs_only(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = True,
                      quiet: bool = True, changes: Changes | None = None,
                      last_site: Path | None = None, into: Path | None = None, config_bytes: bytes = b"",
                      **overrides) -> None:
    """The MkDocs half of build_with_mkdocs: the hosted site, with Pagefind's search box instead of Material's.

    config_bytes: config_file's bytes as the build read them (Settings.config_bytes), so that MkDocs
    configures the very file the build's keys were taken from; "" reads config_file.

    With changes, last_site (the site MkDocs made from the last docs_dir) and into (the new site's
    folder), only the files changes names are built again (see build_changed).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .convert_pages import ConvertInWorkers

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(read_config(config_file, config_bytes), config_file_path=os.path.abspath(config_file), docs_dir=str(docs_dir),
                             site_dir=str(site_dir), strict=strict, **overrides)
        use_pagefind(config)
        config.plugins["archive/convert-in-workers"] = ConvertInWorkers()
        bar = page_progress_plugin(quiet)
        if bar is not None:
            config.plugins["archive/progress"] = bar
        if changes is None or last_site is None or into is None:
            build(config)
        else:
            build_changed(config, changes, last_site, into)
    except MkDocsException as error:
        details = "\n".join(collect.messages)
        raise MkDocsError(f"{details}\n{error}".strip()) from None
    finally:
        logger.removeHandler(collect)


def read_config(config_file: Path, config_bytes: bytes) -> IO[bytes]:
    """mkdocs.yml as MkDocs reads it: config_bytes if given, else the file; named as the file (INHERIT is relative to it)."""
    stream = io.BytesIO(config_bytes or config_file.read_bytes())
    stream.name = os.path.abspath(config_file)  # type: ignore[attr-defined]  # mkdocs.utils.yaml resolves INHERIT from it
    return stream


def only_changed_plugin(written: frozenset[str]):
    """A plugin that tells MkDocs which files changed, instead of its guess from modification times."""
    from mkdocs.plugins import BasePlugin

    class OnlyChanged(BasePlugin):
        def on_files(self, files, config):
            # Theme files are part of the code key: the last site's, linked in after the build.
            mark_changed(files, config, lambda file: file.src_uri in written, theme=False)
            return files

    return OnlyChanged()


def mark_changed(files, config, changed, theme: bool | None = None) -> None:
    """Tell MkDocs' dirty build which files of docs_dir changed (changed(file)), instead of its guess from times.

    Theme files count as changed or not by theme; with None, MkDocs judges them itself.
    """
    docs_dir = os.path.realpath(config.docs_dir)
    is_docs_dir = functools.cache(lambda src_dir: os.path.realpath(src_dir or "") == docs_dir)  # a few dirs, 24,000 files
    for file in files:
        if is_docs_dir(file.src_dir):
            modified = changed(file)
        elif theme is not None:
            modified = theme
        else:
            continue
        file.is_modified = (lambda modified=modified: modified)


class DirtyNotice(logging.Filter):
    """MkDocs warns on every dirty build, which strict mode counts as a failure; here the build knows what changed."""

    def filter(self, record):
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def build_changed(config, changes: Changes, last_site: Path, into: Path) -> None:
    """Build only the changed files of docs_dir into the new site into; every other file of it is last_site's, linked.

    into: an empty folder, or the site folder of an earlier build, brought up to date in place
    (making the 16,000 folders of a new site costs about 3 s at 10,000 articles on this disk;
    updating the one before costs listing its folders and the few changes).

    MkDocs builds into an empty site_dir with its dirty switch, told exactly which files changed:
    it neither reads nor renders an unchanged page, so nothing that page shows of other pages is
    refreshed. That is safe here: our pages show only their own Markdown and the fixed navigation
    of mkdocs.yml (articles, topics, outlets and keywords are outside `nav:`), every page whose
    Markdown would change is in changes, and the code key (templates, theme, mkdocs.yml, versions)
    is the last build's, or the caller builds everything. MkDocs writes the changed pages, the
    sitemap and the 404 page, which are then moved into into; the rest of into is hard-linked from
    last_site, except the outputs of removed files and the search index. MkDocs never sees
    last_site or into, so it cannot write into the live site through a link.
    """
    from mkdocs.commands.build import build
    from mkdocs.structure.files import File

    config.plugins["archive/only-changed"] = only_changed_plugin(changes.written)
    notice = DirtyNotice()
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(notice)
    try:
        build(config, dirty=True)
    finally:
        build_logger.removeFilter(notice)
    gone = {File(rel, config.docs_dir, config.site_dir, config.use_directory_urls).dest_uri for rel in changes.removed}
    incremental.mirror_links(last_site, into, skip=frozenset(gone | {"pagefind"}))
    move_into(Path(config.site_dir), into)


def move_into(source: Path, dest: Path) -> None:
    """Move every file of source to the same place in dest (dest holds no symbolic link), replacing what is there."""
    for folder, _dirs, names in os.walk(source):
        target = dest / os.path.relpath(folder, source)
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            target.unlink()
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            if (target / name).is_dir() and not (target / name).is_symlink():
                shutil.rmtree(target / name)
            os.replace(os.path.join(folder, name), target / name)


def use_pagefind(config) -> None:
    """Turn Material's search off (its index holds every page's full text) and the Pagefind box on."""
    search = config.plugins.get("material/search")
    if search is not None:
        search.config.enabled = False
    config.extra["pagefind"] = True


def index_with_pagefind(site_dir: Path, shard_size: int | None = None) -> None:
    """Write the search index of site_dir's article pages into site_dir/pagefind/ (search_index.py), from
    scratch; raise PagefindError on failure."""
    from ..search.index import write_search_index
    from ..search.cut_pages import cut_search_pages

    with tempfile.TemporaryDirectory(prefix="search-") as scratch:
        pages = Path(scratch, "pages")
        cut_search_pages(site_dir, pages)
        write_search_index(pages, site_dir / "pagefind", Path(scratch), shard_size)
