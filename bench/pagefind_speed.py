"""Time Pagefind on a built site, each way of running it, back to back: median of N runs.

    .venv/bin/python -m bench.pagefind_speed SITE [LAST_INDEX] [--runs 3] [--only NAME ...]

SITE is a built hosted site (site/ of a build; it is read, never written). LAST_INDEX is the
Pagefind index of an earlier build of it (for example a copy of site/pagefind/ taken before one
article was edited); without it the "seeded" ways are skipped. Each way writes its index into a
fresh temporary folder, and prints wall time and where it went, from the timestamps of Pagefind's
--verbose lines: walking, reading and parsing the pages; building the index; compressing and
writing its files; and Pagefind's CPU time.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.routes import SEARCH_SCOPE  # noqa: E402
from publisher.site import is_safe_reuse, read_fragment_names, seed_fragments  # noqa: E402


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


def seeded_run(site: Path, last: Path, output: Path) -> dict[str, float]:
    """index_with_pagefind's reuse of the last fragments, into output."""
    seeded = seed_fragments(last, output)
    times = run_pagefind(site, output)
    named = read_fragment_names(output)
    if not is_safe_reuse(seeded, named):
        raise SystemExit("the fragments could not be reused: index_with_pagefind would index again")
    for name in seeded - named:
        (output / "fragment" / f"{name}.pf_fragment").unlink()
    return times


def way_cli(site: Path, last: Path | None, work: Path, env=None) -> dict[str, float]:
    return run_pagefind(site, work / "pagefind", env)


def way_cli_one_thread(site, last, work):
    return way_cli(site, last, work, {"RAYON_NUM_THREADS": "1"})


def way_cli_seeded(site, last, work):
    start = time.perf_counter()
    times = seeded_run(site, last, work / "pagefind")
    return {**times, "total": time.perf_counter() - start}


def way_cli_seeded_everything(site, last, work):
    """Every hashed file of the last index seeded (chunks and filters too), not only the fragments."""
    start = time.perf_counter()
    output = work / "pagefind"
    output.mkdir()
    for name in ("fragment", "index", "filter"):
        shutil.copytree(last / name, output / name, copy_function=os.link)
    times = run_pagefind(site, output)
    return {**times, "total": time.perf_counter() - start}


def way_minimal(site, last, work, seeded=False):
    start = time.perf_counter()
    pages = work / "pages"
    extract_search_pages(site, pages)
    extracted = time.perf_counter() - start
    times = seeded_run(pages, last, work / "pagefind") if seeded else run_pagefind(pages, work / "pagefind")
    return {**times, "extract": extracted, "total": time.perf_counter() - start}


def way_minimal_seeded(site, last, work):
    return way_minimal(site, last, work, seeded=True)


WAYS = {
    "cli": way_cli,
    "cli-1-thread": way_cli_one_thread,
    "cli-seeded": way_cli_seeded,
    "cli-seeded-everything": way_cli_seeded_everything,
    "minimal": way_minimal,
    "minimal-seeded": way_minimal_seeded,
}
NEEDS_LAST = {"cli-seeded", "cli-seeded-everything", "minimal-seeded"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("last", type=Path, nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(WAYS))
    args = parser.parse_args()
    names = [n for n in (args.only or WAYS) if args.last or n not in NEEDS_LAST]
    results: dict[str, list[dict[str, float]]] = {n: [] for n in names}
    for _ in range(args.runs):
        for name in names:  # the ways alternate within each round, so load on the machine hits them alike
            with tempfile.TemporaryDirectory(prefix="pf-bench-") as work:
                results[name].append(WAYS[name](args.site, args.last, Path(work)))
    for name in names:
        keys = results[name][0].keys()
        median = {k: statistics.median(r[k] for r in results[name]) for k in keys}
        print(f"{name:24}" + "  ".join(f"{k} {v:6.2f} s" for k, v in median.items()))


if __name__ == "__main__":
    main()
