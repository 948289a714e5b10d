#!/usr/bin/env python3
"""Weigh and time the Browse page on a synthetic archive of N articles, in headless Chromium.

  python bench/browse_scale.py [N ...]        (default: 100 2000 5000)

The articles are the bundled corpus's five, copied N times over with other dates, outlets and
keywords (a vocabulary of about 1.5 keywords per article, as the real corpus has); only the Browse
page is built. It prints the data script's size, the page's HTML size, how long the script takes to rebuild the
whole view from the URL, and to apply one filter change (median of 5); script time only, no paint.
"""
from __future__ import annotations

import dataclasses
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.pages.browse import DATA_PATH, count_facets, render_browse_data  # noqa: E402
from publisher.model import Corpus, Keyword, PartialDate  # noqa: E402
from publisher.pipeline import check_corpus, prepare_corpus  # noqa: E402
from publisher.pages.markup import make_environment  # noqa: E402
from publisher.pages.routes import article_path  # noqa: E402
from publisher.website.mkdocs_build import build_with_mkdocs  # noqa: E402
from publisher.build.write import write_tree  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def synthesise_corpus(corpus: Corpus, count: int) -> Corpus:
    """count articles made from the corpus's own, spread over 25 years, its outlets and a large vocabulary."""
    vocabulary = max(count * 3 // 2, 50)
    articles = []
    for i in range(count):
        base = corpus.articles[i % len(corpus.articles)]
        outlet = corpus.outlets[i % len(corpus.outlets)].id
        extra = tuple(Keyword(f"term {(i * 7 + j * 13) % vocabulary}", f"term {(i * 7 + j * 13) % vocabulary}",
                              f"term-{(i * 7 + j * 13) % vocabulary}") for j in range(5))
        articles.append(dataclasses.replace(
            base, id=f"{i:05d}_{base.id}", slug=f"{base.slug}-{i}", title=f"{base.title} ({i})", outlet=outlet,
            date=PartialDate(2000 + i % 25, 1 + i % 12, 1 + i % 28), keywords=base.keywords[:5] + extra))
    articles.sort(key=lambda a: (a.date, a.id))
    return Corpus(tuple(articles), corpus.outlets, corpus.topics, corpus.general_rules)


def build_browse_page(corpus: Corpus, work: Path) -> Path:
    """Only the Browse page (and the listing it links to), built without directory URLs."""
    env = make_environment()
    browse = env.get_template("browse.md.j2").render(page_path="browse.md", facets=count_facets(corpus))
    files: dict[str, str | bytes] = {"index.md": "# Home\n", "articles/index.md": "# All articles\n", "browse.md": browse,
             DATA_PATH: render_browse_data(corpus, article_path)}
    write_tree(files, work / "docs")
    build_with_mkdocs(ROOT / "mkdocs.yml", work / "docs", work / "site", strict=False, use_directory_urls=False)
    return work / "site"


def time_filters(page) -> float:
    """Median milliseconds of script time for one filter change."""
    timings = []
    for label in ("2010", "2011", "2012", "2013", "2014"):
        timings.append(page.evaluate("""label => {
            const box = [...document.querySelectorAll('input[name="year"]')].find(b => b.value === label);
            const start = performance.now();
            box.click();
            return performance.now() - start;
        }""", label))
    return statistics.median(timings)


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    sizes = [int(arg) for arg in argv[1:]] or [100, 2000, 5000]
    corpus = prepare_corpus(check_corpus(ROOT))
    print("| articles | browse-data.js bytes | gzipped | Browse HTML bytes | whole view from the URL ms | one filter change ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in sizes:
            site = build_browse_page(synthesise_corpus(corpus, size), Path(tmp) / str(size))
            data = (site / DATA_PATH).read_bytes()
            page = browser.new_page()
            page.goto((site / "browse.html").as_uri())
            page.wait_for_function("document.getElementById('browse-status').textContent.includes(' of ')")
            restore = page.evaluate("""() => {
                const start = performance.now();
                window.dispatchEvent(new PopStateEvent("popstate"));
                return performance.now() - start;
            }""")
            change = time_filters(page)
            page.close()
            print(f"| {size:,} | {len(data):,} | {len(gzip.compress(data, mtime=0)):,} | "
                  f"{(site / 'browse.html').stat().st_size:,} | {restore:.0f} | {change:.0f} |")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
