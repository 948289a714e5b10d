"""Cutting an ordered list into runs that end where their items say, so one item more or less moves one end.

Listing pages and the search index's shards are cut this way. Cutting every size items made one
article inserted by date shift every later run, so each was rendered, converted or indexed again.
"""
from __future__ import annotations

import functools
import hashlib
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")


def split_runs(items: Sequence[Item], size: int, name: Callable[[Item], str]) -> list[list[Item]]:
    """items in runs of at most size; no items is one empty run.

    A run ends at an item whose name marks an end (one name in size // 4, once the run holds half
    of size) or when it is full. Where runs end then depends on the items around, not on how many
    come before: adding or removing one changes the run it is in, and seldom the next.
    """
    least, spread = max(1, size // 2), max(1, size // 4)
    runs: list[list[Item]] = []
    run: list[Item] = []
    for item in items:
        run.append(item)
        if len(run) >= size or (len(run) >= least and mark(name(item)) % spread == 0):
            runs.append(run)
            run = []
    if run or not runs:
        runs.append(run)
    return runs


@functools.lru_cache(maxsize=None)
def mark(name: str) -> int:
    """A number drawn from name, the same in every build and process."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big")
