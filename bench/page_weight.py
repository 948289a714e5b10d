#!/usr/bin/env python3
"""Report each page kind's weight in a built site: its HTML, and what it loads beyond the shared assets.

  python bench/page_weight.py [SITE_DIR]      (default: site/, as `python build.py` leaves it)

Shared assets are those every page loads (the theme's CSS and script, archive.css). The search
index is not counted: Material's search worker fetches it on the first focus of the search box.
"""
from __future__ import annotations

import gzip
import html.parser
import posixpath
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.site_bytes import is_redirect  # a stub that keeps a retired address alive: no reader stays on it

# Page kinds by where their HTML lives in a site built with directory URLs.
KINDS = (
    ("home", lambda rel: rel == "index.html"),
    ("article", lambda rel: rel.startswith("articles/") and rel != "articles/index.html"),
    ("topic", lambda rel: rel.startswith("topics/") and rel != "topics/index.html"),
    ("outlet", lambda rel: rel.startswith("outlets/") and rel != "outlets/index.html"),
    ("keyword", lambda rel: rel.startswith("keywords/") and rel != "keywords/index.html"),
    ("listing", lambda rel: rel in ("articles/index.html", "topics/index.html", "outlets/index.html",
                                    "keywords/index.html", "timeline/index.html")),
    ("browse", lambda rel: rel == "browse/index.html"),
    ("statistics", lambda rel: rel == "statistics/index.html"),
)


@dataclass(frozen=True)
class KindWeight:
    kind: str
    pages: int
    html_median: int  # bytes
    html_max: int
    html_gzip_median: int
    extra: tuple[tuple[str, int], ...]  # (asset, bytes) loaded beyond the shared assets


class _Assets(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") in ("stylesheet", "icon") and attrs.get("href"):
            self.assets.append(attrs["href"])
        elif tag == "img" and attrs.get("src"):
            self.assets.append(attrs["src"])


def list_assets(site: Path, page: Path) -> set[str]:
    """The site files (relative paths) a page loads by itself; external URLs are left out."""
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    found = set()
    base = page.parent.relative_to(site).as_posix()
    for link in parser.assets:
        parts = urlsplit(link)
        if not parts.scheme and not parts.netloc:
            found.add(posixpath.normpath(posixpath.join(base, unquote(parts.path))))
    return found


def classify_page(rel: str) -> str | None:
    return next((kind for kind, matches in KINDS if matches(rel)), None)


def measure_site(site: Path) -> tuple[list[KindWeight], list[tuple[str, int]]]:
    """Weigh every page kind of a site built with directory URLs; also return the shared assets."""
    pages: dict[str, list[Path]] = {}
    for page in sorted(site.rglob("*.html")):
        kind = classify_page(page.relative_to(site).as_posix())
        if kind and not is_redirect(page):
            pages.setdefault(kind, []).append(page)
    loads = {page: list_assets(site, page) for group in pages.values() for page in group}
    shared = set.intersection(*loads.values()) if loads else set()
    weights = []
    for kind, _ in KINDS:
        group = pages.get(kind, [])
        if not group:
            continue
        sizes = [p.stat().st_size for p in group]
        zipped = [len(gzip.compress(p.read_bytes(), mtime=0)) for p in group]
        extra = sorted(set().union(*(loads[p] for p in group)) - shared)
        weights.append(KindWeight(kind, len(group), int(statistics.median(sizes)), max(sizes),
                                  int(statistics.median(zipped)),
                                  tuple((asset, (site / asset).stat().st_size) for asset in extra)))
    return weights, [(asset, (site / asset).stat().st_size) for asset in sorted(shared)]


def format_report(weights: list[KindWeight], shared: list[tuple[str, int]]) -> str:
    lines = ["| page kind | pages | HTML bytes (median) | HTML bytes (max) | HTML gzipped (median) | loads beyond the shared assets |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for w in weights:
        extra = ", ".join(f"`{asset}` ({size:,} B)" for asset, size in w.extra) or "nothing"
        lines.append(f"| {w.kind} | {w.pages} | {w.html_median:,} | {w.html_max:,} | {w.html_gzip_median:,} | {extra} |")
    total = sum(size for _, size in shared)
    lines.append("")
    lines.append(f"Shared assets, loaded by every page ({total:,} B): " + ", ".join(f"`{a}` ({s:,} B)" for a, s in shared))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "site"
    if not (site / "index.html").exists():
        print(f"{site}: no built site here (run `python build.py` first)", file=sys.stderr)
        return 1
    print(format_report(*measure_site(site)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
