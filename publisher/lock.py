"""One build at a time per project: an advisory lock on a file in the work folder."""
from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

LOCK_FILE = "lock"


class BuildLocked(Exception):
    """Another build holds the project's lock; the message says which process."""


def read_holder(lock_path: Path) -> str:
    """The pid the holder wrote; it writes it just after taking the lock, so wait a moment for it."""
    for _ in range(50):
        try:
            pid = lock_path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        if pid.isdigit():
            return pid
        time.sleep(0.01)
    return "unknown"


@contextlib.contextmanager
def hold_build_lock(work_dir: Path):
    """Hold the project's build lock for the block; raise BuildLocked at once if it is taken.

    The kernel drops a flock when its holder exits, however it exits, so a killed build never
    leaves a stale lock behind; the pid written into the file is only for the message.
    """
    work_dir.mkdir(exist_ok=True)
    lock_path = work_dir / LOCK_FILE
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)  # never truncate a file a link names
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(
                f"another build is running (pid {read_holder(lock_path)}); wait for it to finish, "
                f"or stop it, then build again (the lock is {lock_path.parent.name}/{lock_path.name})"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)
