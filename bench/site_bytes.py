#!/usr/bin/env python3
"""Report what a built site costs on disk per article: bytes and files by kind.

  python -m bench.site_bytes [SITE_DIR] [--json] [--compacted]    (default: site/, as `python build.py` leaves it)

Kinds: article pages (articles/<slug>/index.html), raw texts (raw/), the search index (pagefind/),
listings (every other page: home, topics, outlets, keywords, timeline and their pages), redirects
(the pages that send an old address on), assets (assets/), and data (feeds/, data/, sitemaps,
everything else). Bytes are file sizes, not disk blocks, as a host such as GitHub Pages counts them.

With --compacted, each page MkDocs rendered counts as publisher/website/compact_hook.py makes it: the saving
the hook brings, measured on a site built without it (same pages, no second build).
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from publisher.website.compact_hook import compact_html

KINDS = ("article page", "raw text", "search index", "listing", "redirect", "asset", "data")
# The redirect template's own marker: a listing never refreshes to another address.
REDIRECT_MARK = b'<meta http-equiv="refresh"'


@dataclass(frozen=True)
class KindBytes:
    kind: str
    files: int
    bytes: int


@dataclass(frozen=True)
class SiteBytes:
    articles: int
    kinds: tuple[KindBytes, ...]

    @property
    def files(self) -> int:
        return sum(k.files for k in self.kinds)

    @property
    def bytes(self) -> int:
        return sum(k.bytes for k in self.kinds)


def is_redirect(path: Path) -> bool:
    """A redirect page: small, and refreshing to another address."""
    return path.stat().st_size < 2048 and REDIRECT_MARK in path.read_bytes()


def classify_file(rel: str, path: Path) -> str:
    """The kind of one site file, from its relative path (and, for small pages, its content)."""
    top = rel.split("/", 1)[0]
    if top == "raw":
        return "raw text"
    if top == "pagefind":
        return "search index"
    if top == "assets":
        return "asset"
    if not rel.endswith(".html"):
        return "data"
    if is_redirect(path):
        return "redirect"
    parts = rel.split("/")
    if top == "articles" and len(parts) == 3 and parts[1] != "page":
        return "article page"
    return "listing"


def compacted_size(rel: str, kind: str, path: Path) -> int:
    """The file's size once the compaction hook has run on it (MkDocs pages only: not redirects or 404.html)."""
    if kind in ("article page", "listing") and rel != "404.html":
        return len(compact_html(path.read_text(encoding="utf-8")).encode("utf-8"))
    return path.stat().st_size


def measure_site_bytes(site: Path, compacted: bool = False) -> SiteBytes:
    """Count every file of a built site by kind."""
    files = dict.fromkeys(KINDS, 0)
    sizes = dict.fromkeys(KINDS, 0)
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            kind = classify_file(rel, path)
            files[kind] += 1
            sizes[kind] += compacted_size(rel, kind, path) if compacted else path.stat().st_size
    return SiteBytes(files["article page"], tuple(KindBytes(kind, files[kind], sizes[kind]) for kind in KINDS))


def format_report(measured: SiteBytes) -> str:
    count = max(measured.articles, 1)
    lines = [f"{measured.articles:,} article pages; {measured.bytes:,} B in {measured.files:,} files "
             f"({measured.bytes / count:,.0f} B and {measured.files / count:.2f} files per article)", "",
             "| kind | files | bytes | bytes per article | share |", "| --- | ---: | ---: | ---: | ---: |"]
    for k in measured.kinds:
        share = k.bytes / measured.bytes if measured.bytes else 0
        lines.append(f"| {k.kind} | {k.files:,} | {k.bytes:,} | {k.bytes / count:,.0f} | {share:.1%} |")
    lines.append(f"| total | {measured.files:,} | {measured.bytes:,} | {measured.bytes / count:,.0f} | 100.0% |")
    return "\n".join(lines)


def as_json(measured: SiteBytes) -> dict:
    return {"articles": measured.articles, "files": measured.files, "bytes": measured.bytes,
            "kinds": [asdict(k) for k in measured.kinds]}


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a not in ("--json", "--compacted")]
    site = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "site"
    if not (site / "index.html").exists():
        print(f"{site}: no built site here (run `python build.py` first)", file=sys.stderr)
        return 1
    measured = measure_site_bytes(site, compacted="--compacted" in argv)
    print(json.dumps(as_json(measured)) if "--json" in argv else format_report(measured))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
