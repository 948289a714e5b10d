"""Run MkDocs on a rendered site_src/ folder."""
from __future__ import annotations

import functools
import gzip
import json
import logging
import os
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

from .progress import page_progress_plugin
from .routes import SEARCH_SCOPE
from .write import Changes

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
                      offline: bool | None = None, quiet: bool = True, changes: Changes | None = None,
                      last_site: Path | None = None, **overrides) -> bool:
    """The MkDocs half of build_with_mkdocs; True when it built the offline copy (Material's search kept).

    With changes and last_site (the site MkDocs made from the last docs_dir), only the files
    changes names are built again (see build_changed).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .convert_pages import ConvertInWorkers

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=strict, **overrides)
        if offline is None:
            offline = "material/offline" in config.plugins
        if not offline:
            use_pagefind(config)
        config.plugins["archive/convert-in-workers"] = ConvertInWorkers()
        bar = page_progress_plugin(quiet)
        if bar is not None:
            config.plugins["archive/progress"] = bar
        if changes is None or last_site is None:
            build(config)
        else:
            build_changed(config, changes, last_site)
    except MkDocsException as error:
        details = "\n".join(collect.messages)
        raise MkDocsError(f"{details}\n{error}".strip()) from None
    finally:
        logger.removeHandler(collect)
    return offline


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


def build_changed(config, changes: Changes, last_site: Path) -> None:
    """Build only the changed files of docs_dir; every other file of the new site is last_site's, linked.

    MkDocs builds into an empty site_dir with its dirty switch, told exactly which files changed:
    it neither reads nor renders an unchanged page, so nothing that page shows of other pages is
    refreshed. That is safe here: our pages show only their own Markdown and the fixed navigation
    of mkdocs.yml (articles, topics, outlets and keywords are outside `nav:`), every page whose
    Markdown would change is in changes, and the code key (templates, theme, mkdocs.yml, versions)
    is the last build's, or the caller builds everything. MkDocs writes the changed pages, the
    sitemap and the 404 page; the rest of the site is hard-linked from last_site, except the
    outputs of removed files and the search index. MkDocs never sees last_site, so it cannot write
    into the live site through a link.
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
    link_missing(last_site, Path(config.site_dir), skip=gone | {"pagefind"})


def link_missing(source: Path, dest: Path, skip: set[str]) -> None:
    """Hard-link into dest every file of source that dest lacks, but those under a path in skip.

    Links, not copies: no bytes are written, and removing the last site later frees no blocks
    (on a disk mounted with `discard` each freed file costs a trim).
    """
    for folder, dirs, names in os.walk(source):
        rel_folder = os.path.relpath(folder, source).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [d for d in dirs if rel_folder + d not in skip]
        target = dest / rel_folder
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            if rel_folder + name not in skip and not os.path.lexists(target / name):
                os.link(os.path.join(folder, name), target / name)


def use_pagefind(config) -> None:
    """Turn Material's search off (its index holds every page's full text) and the Pagefind box on."""
    search = config.plugins.get("material/search")
    if search is not None:
        search.config.enabled = False
    config.extra["pagefind"] = True


def index_with_pagefind(site_dir: Path, last_index: Path | None = None, pages: Path | None = None) -> None:
    """Write Pagefind's chunked index and search UI into site_dir/pagefind/; raise PagefindError on failure.

    Given the index of an earlier build (last_index), its page fragments are linked in first:
    Pagefind does not write a fragment whose file exists, so the fragments of unchanged articles
    are neither compressed nor written again. Fragments the new index does not name are removed.
    A fragment's name is only 7 hex digits of its content's hash, so a changed page could be
    given the name of a linked file with other text and that file would be kept: when a name of
    the new index shares its 7 digits with another, or more than a few pages changed (the odds
    of such a clash pass one in a million), the index is made again from nothing.

    pages: the article pages as Pagefind reads them (publisher/search_pages.py), if not site_dir's own.
    """
    output = site_dir / "pagefind"
    seeded = seed_fragments(last_index, output) if last_index is not None else set()
    _run_pagefind(pages or site_dir, output)
    if not seeded:
        return
    try:
        named = read_fragment_names(output)
    except ValueError:  # an index this code cannot read
        named = None
    if named is None or not is_safe_reuse(seeded, named):
        shutil.rmtree(output)
        _run_pagefind(pages or site_dir, output)
        return
    for name in seeded - named:
        (output / "fragment" / f"{name}.pf_fragment").unlink()


def _run_pagefind(pages: Path, output: Path) -> None:
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(pages), "--glob", SEARCH_SCOPE, "--output-path", str(output), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise PagefindError(f"{done.stdout}{done.stderr}".strip() or f"exit status {done.returncode}")


# Above this many (new fragment, stale linked fragment) pairs, the chance that one of them shares
# its 7 hex digits passes one in a million.
_MAX_CLASH_PAIRS = 16**7 // 10**6


def seed_fragments(last_index: Path, output: Path) -> set[str]:
    """Link last_index's page fragments into output/fragment/; return their names (none when it cannot be used).

    Only fragments: Pagefind never opens a hashed file that exists, while the files without a
    hash in their name (pagefind.js, pagefind-entry.json) it writes over in place, which through a
    link would change the earlier index. Its word chunks are not linked either: one edited article
    changed 218 of 372 at 10,000 articles, and that many new and stale names could clash (see
    is_safe_reuse). Left out too: fragments whose 7 digits the last index gave to two pages
    (Pagefind lengthened one name, and which one depends on the order it met them), and every
    fragment of another Pagefind version.
    """
    try:
        entry = json.loads((last_index / "pagefind-entry.json").read_text(encoding="utf-8"))
        names = sorted(p.name.removesuffix(".pf_fragment") for p in (last_index / "fragment").iterdir())
    except (OSError, ValueError):
        return set()
    if entry.get("version") != version("pagefind-bin"):
        return set()
    shared = {_short(name) for name in names if len(name) > len(_short(name))}
    kept = {name for name in names if _short(name) not in shared}
    (output / "fragment").mkdir(parents=True, exist_ok=True)
    for name in kept:
        source, target = last_index / "fragment" / f"{name}.pf_fragment", output / "fragment" / f"{name}.pf_fragment"
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    return kept


def _short(name: str) -> str:
    """A fragment's name as Pagefind first gives it: the language, '_' and 7 hex digits."""
    return name[:name.find("_") + 8]


def is_safe_reuse(seeded: set[str], named: set[str]) -> bool:
    """No fragment the new index names can have been kept in place of the one Pagefind meant."""
    new, stale = named - seeded, seeded - named
    if (len(new) + 1) * (len(stale) + 1) > _MAX_CLASH_PAIRS:
        return False
    shorts: dict[str, int] = {}
    for name in named:
        shorts[_short(name)] = shorts.get(_short(name), 0) + 1
    return all(shorts[_short(name)] == 1 for name in named & seeded)


def read_fragment_names(index: Path) -> set[str]:
    """The page fragments index's metadata names; raise ValueError if it cannot be read."""
    try:
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        named: set[str] = set()
        for language in entry["languages"].values():
            data = gzip.decompress((index / f"pagefind.{language['hash']}.pf_meta").read_bytes())
            if not data.startswith(_SIGNATURE):
                raise ValueError("not a Pagefind metadata file")
            meta, end = _read_cbor(data, len(_SIGNATURE))
            if end != len(data) or not isinstance(meta, list):
                raise ValueError("not Pagefind's metadata")
            named.update(page[0] for page in meta[1])  # [version, pages: [[fragment, word count], ...], ...]
    except (OSError, KeyError, TypeError, IndexError, gzip.BadGzipFile) as error:
        raise ValueError(f"unreadable Pagefind index: {error}") from None
    return named


_SIGNATURE = b"pagefind_dcd"


def _read_cbor(data: bytes, at: int) -> tuple[object, int]:
    """The CBOR item at data[at] (the subset Pagefind writes) and the offset after it."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError(f"CBOR item {head:#x} is not one Pagefind writes")
    if major in (0, 1):
        return (arg if major == 0 else -1 - arg), at
    if major == 2:
        return data[at:at + arg], at + arg
    if major == 3:
        return data[at:at + arg].decode("utf-8"), at + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, at = _read_cbor(data, at)
            items.append(item)
        return (items if major == 4 else list(zip(items[::2], items[1::2]))), at
    if major == 7 and info in (20, 21, 22):
        return None, at
    raise ValueError(f"CBOR item {head:#x} is not one Pagefind writes")
