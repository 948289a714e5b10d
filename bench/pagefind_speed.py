"""Time Pagefind on a built site, each way of running it, back to back: median of N runs.

    .venv/bin/python -m bench.pagefind_speed SITE [--runs 3] [--only NAME ...]

SITE is a built hosted site (site/ of a build; it is read, never written). Each way writes its
index into a fresh temporary folder, and prints wall time and where it went, from the timestamps
of Pagefind's --verbose lines: walking, reading and parsing the pages; building the index;
compressing and writing its files; and Pagefind's CPU time. (docs/performance.md's table also has "seeded"
ways, which linked the last index's files in first: the build did that until the index came in
shards, publisher/search/index.py.)
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.pages.routes import SEARCH_SCOPE  # noqa: E402


def run_pagefind(site: Path, output: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run the CLI as index_with_pagefind does (with --verbose for the phases); return seconds by phase."""
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(site), "--glob", SEARCH_SCOPE, "--output-path", str(output), "--verbose"]
    start, cpu = time.perf_counter(), _children_cpu()
    marks: dict[str, float] = {}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(("[", "Total:")):  # "Total:" follows the index build, before the files are written
                marks[line.split(":")[0].strip()] = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"pagefind failed: exit status {process.returncode}")
    total = time.perf_counter() - start
    parsed = marks.get("[Reading languages]", total)
    built = marks.get("Total", total)
    return {"pagefind": total, "read_parse": parsed, "index": built - parsed, "write": total - built,
            "pagefind_cpu": _children_cpu() - cpu}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_SEARCH_BODY = re.compile(r"<div\b[^>]*\sdata-pagefind-body[\s>=]")
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_DIV_TAG = re.compile(r"<(/?)div\b")


def extract_search_pages(site_dir: Path, dest: Path) -> None:
    """Copy into dest each page of the search scope cut to what Pagefind reads of it: its <html>
    tag and the data-pagefind-body element (the article text in it is escaped: no '<div' inside).
    """
    for path in sorted(site_dir.glob(SEARCH_SCOPE)):
        page = path.read_text(encoding="utf-8")
        body, html = _SEARCH_BODY.search(page), _HTML_TAG.search(page)
        if body is None or html is None:
            continue
        depth = 0
        for tag in _DIV_TAG.finditer(page, body.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                break
        end = page.index(">", tag.end()) + 1
        target = dest / path.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"<!DOCTYPE html>\n{html.group(0)}<body>{page[body.start():end]}</body></html>\n", encoding="utf-8")


def way_cli(site: Path, work: Path, env=None) -> dict[str, float]:
    return run_pagefind(site, work / "pagefind", env)


def way_cli_one_thread(site, work):
    return way_cli(site, work, {"RAYON_NUM_THREADS": "1"})


def way_minimal(site, work):
    start = time.perf_counter()
    pages = work / "pages"
    extract_search_pages(site, pages)
    extracted = time.perf_counter() - start
    times = run_pagefind(pages, work / "pagefind")
    return {**times, "extract": extracted, "total": time.perf_counter() - start}


WAYS = {
    "cli": way_cli,
    "cli-1-thread": way_cli_one_thread,
    "minimal": way_minimal,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(WAYS))
    args = parser.parse_args()
    names = list(args.only or WAYS)
    results: dict[str, list[dict[str, float]]] = {n: [] for n in names}
    for _ in range(args.runs):
        for name in names:  # the ways alternate within each round, so load on the machine hits them alike
            with tempfile.TemporaryDirectory(prefix="pf-bench-") as work:
                results[name].append(WAYS[name](args.site, Path(work)))
    for name in names:
        keys = results[name][0].keys()
        median = {k: statistics.median(r[k] for r in results[name]) for k in keys}
        print(f"{name:24}" + "  ".join(f"{k} {v:6.2f} s" for k, v in median.items()))


if __name__ == "__main__":
    main()
