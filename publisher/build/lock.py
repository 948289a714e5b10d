"""One build at a time per project: an operating-system lock on a file in the work folder."""
from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from ..settings import LOCK_FILE


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


def write_pid(fd: int) -> None:
    """Write this process's id into the lock file just taken, for the message another build prints."""
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))


@contextlib.contextmanager
def hold_build_lock(work_dir: Path) -> Iterator[None]:
    """Hold the project's build lock for the block; raise BuildLocked at once if it is taken.

    filelock takes flock on POSIX and msvcrt's lock on Windows; the kernel drops either when its
    holder exits, however it exits, so a killed build never leaves a stale lock behind. The pid
    written into the file is only for the message. Setting on_acquired also stops filelock from
    falling back to a mere marker file on a file system without locks: it fails instead.
    """
    work_dir.mkdir(exist_ok=True)
    lock_path = work_dir / LOCK_FILE
    lock = FileLock(lock_path, blocking=False, thread_local=False, on_acquired=write_pid)
    try:
        lock.acquire()
    except Timeout:
        raise BuildLocked(
            f"another build is running (pid {read_holder(lock_path)}); wait for it to finish, "
            f"or stop it, then build again (the lock is {lock_path.parent.name}/{lock_path.name})"
        ) from None
    try:
        yield
    finally:
        lock.release()
