"""The cold keyword stage of this tree against another tree's (the code before a change), same texts, same run.

    .venv/bin/python -m bench.keyword_compare 1000 /work/main [ROUNDS]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.corpus import write_corpus

REPO = Path(__file__).resolve().parent.parent
STAGE = """
import sys, time, tempfile
from pathlib import Path
from publisher.keywords import add_keywords
from publisher.pipeline import check_corpus, clean_corpus
try:  # the keyword index is part of the stage where the code has one
    from publisher.keyword_index import index_keywords
except ImportError:
    index_keywords = None
articles = clean_corpus(check_corpus(Path(sys.argv[1]))).articles
with tempfile.TemporaryDirectory() as cache:
    start = time.perf_counter()
    result = add_keywords(articles, cache_file=Path(cache) / "keywords.sqlite")
    # newer code returns (articles, stats), older code the articles alone
    chosen = result[0] if len(result) == 2 and isinstance(result[0], tuple) else result
    if index_keywords:
        index_keywords(chosen)
    print(time.perf_counter() - start)
"""


def time_stage(code: Path, project: Path) -> float:
    """Seconds of one cold keyword stage, run with code's publisher/ in a fresh process."""
    out = subprocess.run([sys.executable, "-c", STAGE, str(project)], cwd=code, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 1000
    other = Path(argv[1]) if len(argv) > 1 else Path("/work/main")
    rounds = int(argv[2]) if len(argv) > 2 else 3
    before, now = [], []
    with tempfile.TemporaryDirectory() as work:
        project = write_corpus(count, Path(work) / "project")
        for _ in range(rounds):  # interleaved, so a busy spell on the machine hits both sides
            before.append(time_stage(other, project))
            now.append(time_stage(REPO, project))
    old, new = statistics.median(before), statistics.median(now)
    print(f"N={count}: cold keyword stage, median of {rounds}: before {old:.1f} s, now {new:.1f} s; ratio {new / old:.2f} "
          f"(before {', '.join(f'{t:.1f}' for t in before)}; now {', '.join(f'{t:.1f}' for t in now)})")


if __name__ == "__main__":
    main(sys.argv[1:])
