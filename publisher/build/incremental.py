"""What a rebuild may reuse: a fingerprint of everything a build's output is made of, checked before use."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from ..model import Corpus
from ..settings import Settings
from .fingerprint import code_fingerprint
from .write import write_atomically


def build_key(corpus: Corpus, code: str) -> str:
    """Hash the validated corpus (texts, metadata, registries) and the code key (code_key)."""
    digest = hashlib.sha256(repr(corpus).encode("utf-8"))
    digest.update(code.encode())
    return digest.hexdigest()


def code_key(settings: Settings) -> str:
    """Hash what shapes every page but the corpus: the code's fingerprint, mkdocs.yml, the addresses, the theme.

    Pages rendered under one code key can be kept by a build under the same key; under another, none can.
    mkdocs.yml and CITATION.cff are taken as read_settings read them (a run reads each once).
    """
    digest = hashlib.sha256(code_fingerprint().encode())
    # MkDocs reads the theme (custom_dir) from the project's own folder, which may be a copy of the
    # code's (a test's project): taken both ways, a build run from the copy has the same key.
    digest.update(code_fingerprint(settings.root.resolve()).encode())
    digest.update(settings.config_bytes)
    digest.update(settings.citation_bytes)  # the version in the zip's name and the About page's citation
    # !ENV: the addresses may come from the environment
    digest.update(repr((settings.name, settings.url, settings.repo_url)).encode())
    return digest.hexdigest()


def site_key(key: str) -> str:
    """What site/ is made of: site_src/'s key, and the date MkDocs stamps on the sitemap when one is given."""
    return hashlib.sha256(f"{key}\nSOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode()).hexdigest()


def folder_manifest(folder: Path) -> str:
    """Hash every file's path, size and modification time: any edit, addition or removal changes it.

    Files in name order, each folder's before its subfolders', links to folders not followed (as
    os.walk gives them), by os.scandir: 0.25 s instead of 0.61 s with os.walk and os.path.relpath
    for site/ at 10,000 articles.
    """
    digest = hashlib.sha256()

    def visit(path: str, prefix: str) -> None:
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        folders = []
        lines = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                folders.append(entry)
            else:
                stat = entry.stat()
                lines.append(f"{prefix}{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
        digest.update("".join(lines).encode())
        for entry in folders:
            if not entry.is_symlink():
                visit(entry.path, f"{prefix}{entry.name}/")

    visit(os.fspath(folder), "")
    return digest.hexdigest()


def is_current(folder: Path, record: Path, key: str) -> bool:
    """folder was made from key and nobody has touched it since."""
    return current_key(folder, record) == key


def current_key(folder: Path, record: Path) -> str | None:
    """The key folder was made from, if nobody has touched it since; None otherwise."""
    try:
        recorded_key, manifest = record.read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        return None
    return recorded_key if folder.is_dir() and manifest == folder_manifest(folder) else None


def record_current(folder: Path, record: Path, key: str) -> None:
    """Note that folder, as it is now, was made from key."""
    record.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(record, f"{key} {folder_manifest(folder)}\n")


def forget(record: Path) -> None:
    record.unlink(missing_ok=True)


def mirror_links(source: Path, dest: Path, skip: frozenset[str] = frozenset()) -> None:
    """Make dest hold hard links to exactly source's files (copies where links fail), keeping the ones it already links.

    skip: paths of source (files or folders, relative, with '/') to leave out. Afterwards dest
    holds no symbolic link and nothing else but those files and their folders. A file is known
    linked by its inode number, which listing a folder gives without a stat: bringing an earlier
    site/ of 42,000 entries up to date after one edit costs about the time of listing both.

    Safe for a cache: our writers replace files (new inodes) rather than edit them, and an edit in
    place would change the size or time that is_current checks.
    """
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        dest.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    same_disk = os.stat(source).st_dev == os.stat(dest).st_dev  # else inode numbers say nothing
    _mirror(str(source), str(dest), "", skip, same_disk)


def _mirror(source: str, dest: str, rel: str, skip: frozenset[str], same_disk: bool) -> None:
    with os.scandir(dest) as listing:
        there = {entry.name: entry for entry in listing}
    with os.scandir(source) as listing:
        entries = list(listing)
    for entry in entries:
        if rel + entry.name in skip or entry.is_symlink():
            continue
        old = there.pop(entry.name, None)
        target = os.path.join(dest, entry.name)
        if entry.is_dir(follow_symlinks=False):
            if old is not None and not old.is_dir(follow_symlinks=False):
                os.unlink(target)  # a file or a link where a folder goes
                old = None
            if old is None:
                os.mkdir(target)
            _mirror(entry.path, target, rel + entry.name + "/", skip, same_disk)
            continue
        if old is not None:
            if same_disk and old.is_file(follow_symlinks=False) and old.inode() == entry.inode():
                continue
            _remove(old)
        try:
            os.link(entry.path, target)
        except OSError:
            shutil.copy2(entry.path, target)
    for old in there.values():  # not source's, or skipped
        _remove(old)


def _remove(entry: os.DirEntry) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def read_page_keys(path: Path, src_key: str, code: str) -> dict[str, str] | None:
    """The page keys the last build noted with site_src/'s key src_key under code; None if they are not those."""
    pages = read_noted(path, src_key, code)
    return {str(k): str(v) for k, v in pages.items()} if isinstance(pages, dict) else None


def read_noted(path: Path, src_key: str, code: str):
    """What the last build noted in path (its page keys, its related coverage) with site_src/'s key
    src_key under code; None if it is not that build's."""
    try:
        noted = json.loads(path.read_text(encoding="utf-8"))
        if noted["site_src"] == src_key and noted["code"] == code:
            return noted["noted"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def write_noted(path: Path, src_key: str, code: str, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps({"site_src": src_key, "code": code, "noted": value}, sort_keys=True))


def share_unchanged(new: Path, old: Path) -> int:
    """Replace each file of new that has the same bytes at the same path in old with a link to old's; return how many.

    The new file was just written, so dropping it is cheap; the old one stays in use, so removing
    the last build's folder later frees nothing (on a disk mounted with `discard`, each freed file
    costs a trim: about 2 ms here, 24 s for the 10,000 fragments of a search index).
    """
    shared = 0
    for folder, _dirs, names in os.walk(new):
        for name in names:
            path = os.path.join(folder, name)
            twin = os.path.join(old, os.path.relpath(path, new))
            try:
                if os.path.isfile(twin) and os.path.samefile(twin, path):
                    continue  # already the last index's file (Pagefind kept a linked fragment)
                if (not os.path.isfile(twin) or os.path.islink(twin) or os.path.getsize(twin) != os.path.getsize(path)
                        or Path(twin).read_bytes() != Path(path).read_bytes()):
                    continue
                os.unlink(path)
                os.link(twin, path)
            except OSError:
                continue
            shared += 1
    return shared


def drop_linked_outside(folder: Path, known: tuple[Path, ...]) -> int:
    """Remove each file of folder linked from more places than folder and the known folders at its path; return how many.

    A build links the cache's files into site/ (and the spare and the new site) at the same path
    and nowhere else. A link count above that says the file is also somewhere else, which could
    edit the published site in place: such a file is never reused, whatever its bytes. The known
    folders are read by listing them (inode numbers without a stat): one stat per file of folder.
    """
    device = os.stat(folder).st_dev
    others = [_list_inodes(str(other), "") for other in known
              if other.is_dir() and not other.is_symlink() and os.stat(other).st_dev == device]
    dropped = 0
    for rel, entry in _list_files(str(folder), ""):
        try:
            links = entry.stat(follow_symlinks=False).st_nlink
        except OSError:
            continue
        if links > 1 and links > 1 + sum(inodes.get(rel) == entry.inode() for inodes in others):
            os.unlink(entry.path)
            dropped += 1
    return dropped


def _list_files(folder: str, rel: str) -> list[tuple[str, os.DirEntry]]:
    files = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False):
                files += _list_files(entry.path, rel + entry.name + "/")
            elif entry.is_file(follow_symlinks=False):
                files.append((rel + entry.name, entry))
    return files


def _list_inodes(folder: str, rel: str) -> dict[str, int]:
    return {path: entry.inode() for path, entry in _list_files(folder, rel)}


def is_intact(folder: Path, record: Path) -> bool:
    """folder is as it was when record_current noted it, whatever key it was made from."""
    return current_key(folder, record) is not None
