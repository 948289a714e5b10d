"""Reading and writing the stages' memos in .cache/: files a pull request may have put there, so never trusted."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from .write import write_atomically


# POSIX-only flags, 0 where the platform lacks them (Windows has neither). Without O_NOFOLLOW the
# "never through a link" guarantee is kept by lstat before the open and by checking that the file
# opened is the one lstat saw (same device and inode), so a link swapped in between is refused too.
# Without O_NONBLOCK nothing waits either: lstat refuses anything but a regular file before opening,
# and such a platform (Windows) keeps no FIFOs in its file system.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def read_plain_file(path: Path) -> bytes | None:
    """path's bytes if it is a regular file; never through a link, never waiting on a FIFO."""
    try:
        seen = None if NOFOLLOW and NONBLOCK else os.lstat(path)
        if seen is not None and not stat.S_ISREG(seen.st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            return None
        if seen is not None and (status.st_dev, status.st_ino) != (seen.st_dev, seen.st_ino):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def replace_memo(path: Path, text: str) -> None:
    """Replace the memo at path in one step (a reader sees the old one or the new one).

    A folder in its place is removed (.cache/ is the build's own); a memo that cannot be written
    is no failure: whatever memo is left is still checked against what it was made of.
    """
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    except OSError:
        pass


def checked_text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value
