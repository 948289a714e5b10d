"""Text as clean, infer and add read it: blocks between blank lines, normalised words, furniture markers."""
from __future__ import annotations

import functools
import time
from typing import Iterable

import regex

from ..model import FurnitureRules, Outlet

# Markers come from pull requests: a pattern such as ^(a|aa)+$ backtracks for ever on the wrong line.
# The regex module stops a search after this long (the corpus's markers take microseconds per block).
MARKER_SECONDS = 1.0


class MarkerTimeout(Exception):
    """A furniture marker ran past MARKER_SECONDS on one block of text."""

    def __init__(self, pattern: str):
        super().__init__(pattern)
        self.pattern = pattern
        self.source = ""  # the seed it ran on, when the caller knows


def number_blocks(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """Blocks of lines between blank (or whitespace-only) lines, each with the line number it starts on."""
    blocks: list[tuple[int, tuple[str, ...]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, tuple(current)))
            current = []
    if current:
        blocks.append((start, tuple(current)))
    return blocks


def split_blocks(text: str) -> list[tuple[str, ...]]:
    """Group lines into blocks separated by blank (or whitespace-only) lines."""
    return [lines for _, lines in number_blocks(text)]


def collapse_spaces(line: str) -> str:
    """Each run of white space (no-break spaces included) as one space, none at the ends."""
    return " ".join(line.split())


def normalise(text: str) -> str:
    """Text compared as words: white space collapsed, case folded."""
    return collapse_spaces(text).casefold()


@functools.lru_cache(maxsize=None)
def compile_markers(patterns: tuple[str, ...]) -> regex.Pattern | None:
    """One pattern that matches where any of the markers does (None for no markers)."""
    return regex.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def matches_marker(patterns: tuple[str, ...], text: str) -> bool:
    """Any of the furniture markers matches somewhere in text; raise MarkerTimeout past the time bound."""
    compiled = compile_markers(patterns)
    if compiled is None:
        return False
    try:
        return bool(compiled.search(text, timeout=MARKER_SECONDS))
    except TimeoutError:
        raise MarkerTimeout(find_slow_marker(patterns, text)) from None


def find_slow_marker(patterns: tuple[str, ...], text: str) -> str:
    """The first of patterns that runs past the time bound on text (the slowest, if none does alone)."""
    timings = []
    for pattern in patterns:
        try:
            started = time.perf_counter()
            regex.compile(pattern).search(text, timeout=MARKER_SECONDS)
            timings.append((time.perf_counter() - started, pattern))
        except TimeoutError:
            return pattern
    return max(timings)[1]


def merge_rules(general: FurnitureRules, outlets: Iterable[Outlet]) -> FurnitureRules:
    """The general markers, then each outlet's own, in order."""
    outlets = tuple(outlets)
    if not outlets:
        return general
    return FurnitureRules(
        furniture=general.furniture + tuple(p for o in outlets for p in o.furniture),
        header=general.header + tuple(p for o in outlets for p in o.header),
        trailer=general.trailer + tuple(p for o in outlets for p in o.trailer),
    )
