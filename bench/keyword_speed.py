"""The keyword stage alone: plain single-process YAKE against our cold stage (pool + cache), same texts.

    .venv/bin/python -m bench.keyword_speed 600
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.stages import time_yake
from publisher.keywords.choose import add_keywords
from publisher.pipeline import check_corpus, clean_corpus


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 600
    with tempfile.TemporaryDirectory() as work:
        root = write_corpus(count, Path(work) / "project")
        serial = time_yake(root)["stages"]["yake"]
        articles = clean_corpus(check_corpus(root)).articles
        start = time.perf_counter()
        add_keywords(articles, cache_file=Path(work) / "keywords.sqlite")
        pooled = time.perf_counter() - start
    print(f"N={count}: plain YAKE, 1 process {serial:.1f} s; cold keyword stage (pool, cache) {pooled:.1f} s; "
          f"speed-up {serial / pooled:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
