"""The clean stage with markers under the regex module's time bound, against Python's re (no bound), same corpus.

    .venv/bin/python -m bench.marker_speed 500
"""
from __future__ import annotations

import functools
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench.corpus import write_corpus
from publisher.intake import clean
from publisher.intake import text
from publisher.pipeline import check_corpus, clean_corpus

ROUNDS = 5


@functools.lru_cache(maxsize=None)
def compile_re(patterns: tuple[str, ...]):
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def matches_re(patterns: tuple[str, ...], text: str) -> bool:
    """The stage as it was: Python's re, which a backtracking marker can keep busy for ever."""
    compiled = compile_re(patterns)
    return bool(compiled and compiled.search(text))


def median_seconds(corpus) -> float:
    clean_corpus(corpus)  # compile the markers outside the timing
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        clean_corpus(corpus)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 500
    with tempfile.TemporaryDirectory() as work:
        corpus = check_corpus(write_corpus(count, Path(work) / "project"))
    bounded = median_seconds(corpus)
    with mock.patch.object(clean, "matches_marker", matches_re):
        unbounded = median_seconds(corpus)
    print(f"N={count}: clean stage, median of {ROUNDS}: re (no bound) {unbounded:.3f} s; "
          f"regex with a {text.MARKER_SECONDS:g} s bound {bounded:.3f} s; ratio {bounded / unbounded:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
