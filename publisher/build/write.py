"""The only module that writes the site: into a fresh folder first, then swapped into place."""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
import shutil
import signal
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..settings import LOCK_FILE, WORK_DIR

KEEP_IN_WORK_DIR = {LOCK_FILE}
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def is_safe_relative(path: str) -> bool:
    """A plain relative path that stays inside its folder."""
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path and "\x00" not in path


def _targets(files: Mapping[str, str | bytes | None], dest: Path):
    """(path, where it goes under dest, its bytes or None) for every file, in order; refuses a path that leaves dest."""
    made: set[Path] = set()  # folders made already: 24,000 files share a few thousand
    for rel in sorted(files):
        if not is_safe_relative(rel):
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        target = dest / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        content = files[rel]
        yield rel, target, content.encode("utf-8") if isinstance(content, str) else content


def write_tree(files: Mapping[str, str | bytes | None], dest: Path) -> None:
    """Write every file under dest, which must not exist yet (a file whose content is None is left out)."""
    for _rel, target, content in _targets(files, dest):
        if content is not None:
            target.write_bytes(content)


@dataclass(frozen=True)
class Changes:
    """How a new site_src/ differs from the last: files written anew, and files the last had that are gone."""

    written: frozenset[str]
    removed: frozenset[str]


def write_tree_since(files: Mapping[str, str | bytes | None], dest: Path, last: Path) -> Changes:
    """Write every file under dest (which must not exist yet), reusing the last build's folder.

    A file whose content is None, or the same bytes as in last, is hard-linked from there: no bytes
    written, and its modification time kept, so MkDocs and readers of the tree see it unchanged.
    The caller has checked that last is as the last build left it; nothing writes into its files
    (every writer here replaces a file), so sharing them is safe.
    """
    written = []
    for rel, target, content in _targets(files, dest):
        old = last / rel
        if content is None or (_plain_file_size(old) == len(content) and old.read_bytes() == content):
            os.link(old, target)
        else:
            target.write_bytes(content)
            written.append(rel)
    before = {os.path.relpath(os.path.join(folder, name), last).replace(os.sep, "/")
              for folder, _dirs, names in os.walk(last) for name in names}
    return Changes(frozenset(written), frozenset(before - set(files)))


def _plain_file_size(path: Path) -> int | None:
    """The size of path if it is a regular file (never through a link); None otherwise."""
    try:
        status = os.lstat(path)
    except OSError:
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def make_work_dir(root: Path, prefix: str) -> Path:
    """A new folder of our own in the work folder (mkdtemp: exclusive, so never a link someone left there)."""
    work = root / WORK_DIR
    work.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=work))


def write_atomically(path: Path, data: str | bytes, replace: bool = True) -> None:
    """Write path in one step: readers see the old file or the new one, never half of either.

    The temporary file is created exclusively (a fresh random name, O_EXCL) beside path, so it
    can be no link that someone left there; path itself is replaced, never written through. With
    replace off, path must not exist yet (FileExistsError), and it is linked into place so that a
    file created meanwhile is never overwritten.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if replace:
            os.replace(temp, path)
        else:
            os.link(temp, path)
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


def exchange_paths(one: Path, other: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2); False where unsupported."""
    if os.name != "posix":  # Windows: ctypes.CDLL(None) cannot open the C library
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(one), _AT_FDCWD, os.fsencode(other), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(one), None, str(other))


def remove_leftovers(root: Path) -> None:
    """Remove what an earlier build left in the work folder when it was killed (call with the lock held)."""
    work = root / WORK_DIR
    if not work.is_dir():
        return
    for entry in sorted(work.iterdir()):
        if entry.name in KEEP_IN_WORK_DIR:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


@contextlib.contextmanager
def defer_interrupts(signums=(signal.SIGINT, signal.SIGTERM)):
    """Hold back SIGINT and SIGTERM for the block, then act on them: site_src/ and site/ move together."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a library caller in a thread has none to defer
        return
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum)) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def sync_tree(files: Mapping[str, str | bytes | None], dest: Path) -> set[str]:
    """Make dest hold exactly files, rewriting only what changed (for the live preview); return the paths changed.

    A file whose content is None is kept as it is in dest (its inputs are unchanged).
    """
    present = set(list_files(dest))
    changed = set()
    for rel in sorted(files):
        if not is_safe_relative(rel):
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        value = files[rel]
        if value is None:
            continue
        content = value.encode("utf-8") if isinstance(value, str) else value
        target = dest / rel
        if rel not in present or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, content)  # a new file: never through a link another folder shares
            changed.add(rel)
    for rel in sorted(present - files.keys()):
        (dest / rel).unlink()
        changed.add(rel)
    return changed


def list_files(folder: Path) -> list[str]:
    """The relative path of every file under folder (links included, not followed); [] if there is no folder.

    os.walk, not Path.rglob: the preview lists the 24,000 files of site_src/ on every rebuild.
    """
    found = []
    for dirpath, _dirs, names in os.walk(folder):
        prefix = os.path.relpath(dirpath, folder).replace(os.sep, "/") + "/"
        found += [name if prefix == "./" else prefix + name for name in names]
    return found
