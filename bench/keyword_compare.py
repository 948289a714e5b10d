"""The cold keyword stage of this tree against another tree's (the code before a change), same texts, same run.

    .venv/bin/python -m bench.keyword_compare 1000 /work/main [ROUNDS] [--one-changed]

With --one-changed, the stage of a rebuild instead: one article's text changed, the others' YAKE
candidates in the cache (filled first by this tree; both trees must read the same cache format).
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
import shutil, sys, time, tempfile
from pathlib import Path
from publisher.keywords.choose import add_keywords
from publisher.pipeline import check_corpus, clean_corpus
try:  # the keyword index is part of the stage where the code has one
    from publisher.keywords.index import index_keywords
except ImportError:
    index_keywords = None
articles = clean_corpus(check_corpus(Path(sys.argv[1]))).articles
with tempfile.TemporaryDirectory() as cache:
    if len(sys.argv) > 2:  # a rebuild: start from a copy of a full cache
        shutil.copy(sys.argv[2], Path(cache) / "keywords.sqlite")
    start = time.perf_counter()
    result = add_keywords(articles, cache_file=Path(cache) / "keywords.sqlite")
    # newer code returns (articles, stats), older code the articles alone
    chosen = result[0] if len(result) == 2 and isinstance(result[0], tuple) else result
    if index_keywords:
        index_keywords(chosen)
    print(time.perf_counter() - start)
"""


def time_stage(code: Path, project: Path, full_cache: Path | None = None) -> float:
    """Seconds of one keyword stage, run with code's publisher/ in a fresh process: cold, or from a copy of full_cache."""
    args = [sys.executable, "-c", STAGE, str(project)] + ([str(full_cache)] if full_cache else [])
    out = subprocess.run(args, cwd=code, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def fill_cache(project: Path, cache: Path) -> None:
    """The keyword cache of every article of project, made by this tree."""
    from publisher.keywords.choose import add_keywords
    from publisher.pipeline import check_corpus, clean_corpus

    add_keywords(clean_corpus(check_corpus(project)).articles, cache_file=cache)


def change_one_article(project: Path) -> None:
    """Add a paragraph to the first article's text: its cache entry no longer matches."""
    seed = sorted((project / "seeds").glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA late paragraph about the railway saboteurs near Minsk.\n",
                    encoding="utf-8")


def main(argv: list[str]) -> None:
    one_changed = "--one-changed" in argv
    argv = [arg for arg in argv if arg != "--one-changed"]
    count = int(argv[0]) if argv else 1000
    other = Path(argv[1]) if len(argv) > 1 else Path("/work/main")
    rounds = int(argv[2]) if len(argv) > 2 else 3
    before, now = [], []
    with tempfile.TemporaryDirectory() as work:
        project = write_corpus(count, Path(work) / "project")
        full_cache = None
        if one_changed:
            full_cache = Path(work) / "keywords.sqlite"
            fill_cache(project, full_cache)
            change_one_article(project)
        for _ in range(rounds):  # interleaved, so a busy spell on the machine hits both sides
            before.append(time_stage(other, project, full_cache))
            now.append(time_stage(REPO, project, full_cache))
    old, new = statistics.median(before), statistics.median(now)
    stage = "keyword stage with one article changed" if one_changed else "cold keyword stage"
    print(f"N={count}: {stage}, median of {rounds}: before {old:.1f} s, now {new:.1f} s; ratio {new / old:.2f} "
          f"(before {', '.join(f'{t:.1f}' for t in before)}; now {', '.join(f'{t:.1f}' for t in now)})")


if __name__ == "__main__":
    main(sys.argv[1:])
