"""What the inputs were when the last build read them, so that a build with nothing changed reads none.

Reading and validating every seed and metadata file is the fixed cost of every build: about 3 s at
10,000 articles, half a minute at 100,000, before the build can tell that nothing changed. As git
does with its index, the last build records each input file's size, modification and change times
and inode; when every one is the same, the code key and the day are too, and site_src/ and site/ are
as that build left them, the build is known to be up to date without reading a file. A file changed
within a second of the stamp taken before the last build read it is not trusted by its times (git's
"racily clean" entries): the build then reads everything, as it does whenever anything differs.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..settings import METADATA_DIR, SEEDS_DIR
from .write import write_atomically

FORMAT = 1
RACY_NS = 1_000_000_000  # files changed this close to the stamp are read, whatever their times say

Stats = dict[str, list[int]]  # by path inside the project: size, mtime_ns, ctime_ns, inode, mode


@dataclass(frozen=True)
class InputStats:
    """Every input file's times as stat gives them, and when they were taken (before anything was read)."""

    files: Stats
    stamp_ns: int


def stat_inputs(root: Path) -> InputStats:
    """Stat every entry of seeds/ and metadata/ (any file there may be an input).

    The published-pages list is not among them: the build writes it, and the caller keys it by content.
    """
    stamp = time.time_ns()
    files: Stats = {}
    for folder in (SEEDS_DIR, METADATA_DIR):
        try:
            with os.scandir(root / folder) as listing:
                for entry in listing:
                    files[f"{folder}/{entry.name}"] = _times(entry.stat(follow_symlinks=False))
        except FileNotFoundError:
            continue
    return InputStats(files, stamp)


def _times(status: os.stat_result) -> list[int]:
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_mode]


def write_input_record(path: Path, stats: InputStats, key: str, code: str, day: str, articles: int) -> None:
    """Note that inputs with these stats, under this code key on this day, gave the build key key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"format": FORMAT, "key": key, "code": code, "day": day, "articles": articles,
              "stamp_ns": stats.stamp_ns, "files": stats.files}
    write_atomically(path, json.dumps(record, sort_keys=True, separators=(",", ":")))


def unchanged_build(path: Path, root: Path, code: Callable[[], str], day: str,
                    site_made_from: Callable[[str], bool]) -> int | None:
    """The number of articles if the last build's inputs, code key and day are the same now, and
    site_made_from(its build key) says site_src/ and site/ are what such inputs make; None otherwise."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("format") != FORMAT or record["day"] != day:
            return None
        recorded, stamp, key = record["files"], int(record["stamp_ns"]), str(record["key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    now = stat_inputs(root).files
    if now != recorded or any(times[1] >= stamp - RACY_NS or times[2] >= stamp - RACY_NS for times in now.values()):
        return None
    if record["code"] != code() or not site_made_from(key):
        return None
    return int(record["articles"])
