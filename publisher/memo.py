"""Reading and writing the stages' memos in .cache/: files a pull request may have put there, so never trusted."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from .write import write_atomically


def read_plain_file(path: Path) -> bytes | None:
    """path's bytes if it is a regular file; never through a link, never waiting on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
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
