#!/usr/bin/env python3
"""Time the citations, feeds and data downloads, and size their files, at N articles.

  python bench/feeds_data.py [N ...]      (default: 100 1000 10000)

The corpus is the repository's five articles, copied N/5 times with new ids, slugs and dates
(keywords extracted once, from the originals). Times are the median of 3 runs, in seconds.
"""
from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.pages.data import CSV_PATH, JSON_PATH, render_data  # noqa: E402
from publisher.pages.feeds import render_feeds  # noqa: E402
from publisher.model import Corpus, PartialDate  # noqa: E402
from publisher.pipeline import check_corpus, prepare_corpus  # noqa: E402
from publisher.settings import CONFIG  # noqa: E402
from publisher.pages.provenance import cite_article  # noqa: E402
from publisher.pages.routes import ALL_FEED, article_path, page_url  # noqa: E402
from publisher.settings import read_site_settings  # noqa: E402


def grow(corpus: Corpus, n: int) -> Corpus:
    """n articles made from the corpus's own, each with its own id, slug and day."""
    articles = []
    for i in range(n):
        source = corpus.articles[i % len(corpus.articles)]
        date = PartialDate(2000 + (i // 336) % 25, (i // 28) % 12 + 1, i % 28 + 1)
        articles.append(replace(source, id=f"{i:06d}_{source.id}", slug=f"{source.slug[:60]}-{i}", date=date))
    articles.sort(key=lambda a: (a.date, a.id))
    return Corpus(tuple(articles), corpus.outlets, corpus.topics, corpus.general_rules)


def median_time(func, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [100, 1000, 10000]
    site = read_site_settings(ROOT / CONFIG)
    base = prepare_corpus(check_corpus(ROOT))
    print("| N | citations s | feeds s | data s | corpus.json KB | corpus.csv KB | all.xml KB | feeds total KB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        corpus = grow(base, n)
        outlets = {o.id: o for o in corpus.outlets}
        cite_time, _ = median_time(lambda: [cite_article(a, outlets[a.outlet], site.name, page_url(article_path(a), site.url))
                                            for a in corpus.articles])
        feeds_time, feeds = median_time(lambda: render_feeds(corpus, site))
        data_time, data = median_time(lambda: render_data(corpus, site))
        print(f"| {n} | {cite_time:.2f} | {feeds_time:.2f} | {data_time:.2f} | "
              f"{len(data[JSON_PATH].encode()) / 1024:.0f} | {len(data[CSV_PATH].encode()) / 1024:.0f} | "
              f"{len(feeds[ALL_FEED].encode()) / 1024:.0f} | {sum(len(f.encode()) for f in feeds.values()) / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
