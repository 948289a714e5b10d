"""The scale benchmark: one run per N of what a maintainer and a reader meet, for N up to 100,000.

    python -m bench.scale --sizes 1000               # a check (some minutes)
    python -m bench.scale --sizes 100000 --work /big  # the 100,000-article row (hours; see docs/scale.md)

Lighter than bench.run: one run, no baselines (plain YAKE and MkDocs alone would double the time),
no preview server. For each N it builds a fresh synthetic corpus cold, again with nothing changed,
then after one text edit, one metadata edit, one added and one removed article (each on the build
before); then the offline export; then weighs site/ by kind (bench.site_bytes) and a reader's first
hosted search in headless Chromium (bench.search_weight). Each build runs in its own process, so
peak memory is that build's, MkDocs and Pagefind included. Every step is appended to
WORK/nN.steps.jsonl as it ends, so a run that is stopped keeps its figures. Results go to
bench/results/scale.json (one entry per N) and a Markdown table in bench/results/scale.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import unique_word, write_corpus
from bench.run import REPO, RESULTS, add_one_article, change_one_article, change_one_summary, machine, remove_one_article, run_stage
from bench.site_bytes import as_json, measure_site_bytes

EDITS = ("changed", "metadata", "added", "removed")


def time_export(project: Path) -> dict:
    """`build.py export` in its own process: seconds and that process's peak memory."""
    env = {**os.environ, "CI": "true"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "build.py", "--quiet", "export"], cwd=project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build.py export failed on {project}:\n{process.stderr.read().decode() if process.stderr else ''}")
    zips = sorted((project / "dist").glob("*-offline.zip"))
    return {"seconds": round(seconds, 3), "peak_memory_mb": round(usage.ru_maxrss / 1024, 1),
            "zip_bytes": zips[-1].stat().st_size if zips else 0}


def time_first_search(site: Path, word: str) -> dict:
    """A reader's first hosted search for word, in headless Chromium (bench.search_weight)."""
    done = subprocess.run([sys.executable, "-m", "bench.search_weight", str(site), word], cwd=REPO,
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    start = done.stdout.index("{")
    return json.loads(done.stdout[start:])


def measure_scale(count: int, work: Path) -> dict:
    """Every figure of one run at count articles."""
    project = write_corpus(count, work / f"n{count}")
    log = work / f"n{count}.steps.jsonl"

    def step(what: str, result: dict) -> dict:
        with log.open("a") as out:
            out.write(json.dumps({"what": what, **result}) + "\n")
        return result

    figures: dict = {"cold": step("cold", run_stage(project, "build")), "warm": step("warm", run_stage(project, "build"))}
    edits: tuple[Callable[[Path], object], ...] = (change_one_article, change_one_summary, add_one_article, remove_one_article)
    for kind, edit in zip(EDITS, edits):
        edit(project)
        figures[kind] = step(kind, run_stage(project, "build"))
    figures["export"] = step("export", time_export(project))
    figures["site"] = step("site", as_json(measure_site_bytes(project / "site")))
    figures["search"] = step("search", time_first_search(project / "site", unique_word(count // 3)))
    return figures


def total(build: dict) -> float:
    return round(sum(build["stages"].values()), 3)


def format_scale_table(results: dict) -> str:
    sizes = sorted(results["sizes"], key=int)
    rows: list[tuple[str, Callable[[dict], object]]] = [
        ("cold build (s)", lambda m: total(m["cold"])),
        ("nothing changed (s)", lambda m: total(m["warm"])),
        *((f"one {label} (s)", lambda m, k=kind: f'{total(m[k])} ({100 * total(m[k]) / total(m["cold"]):.1f}% of cold)')
          for kind, label in zip(EDITS, ("text edited", "metadata field edited", "article added", "article removed"))),
        ("export (s)", lambda m: m["export"]["seconds"]),
        ("peak memory, cold build (MB)", lambda m: m["cold"]["peak_memory_mb"]),
        ("peak memory, export (MB)", lambda m: m["export"]["peak_memory_mb"]),
        ("site/ size (MB)", lambda m: round(m["site"]["bytes"] / 1e6, 1)),
        ("site/ files", lambda m: f'{m["site"]["files"]:,}'),
        ("site/ bytes per article", lambda m: f'{m["site"]["bytes"] / max(m["site"]["articles"], 1):,.0f}'),
        ("hosted first search (KB, requests, s)", lambda m: search_cell(m["search"])),
    ]
    lines = ["| N | " + " | ".join(f"{int(n):,}" for n in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for label, get in rows:
        lines.append(f"| {label} | " + " | ".join(str(get(results["sizes"][n])) for n in sizes) + " |")
    return "\n".join(lines) + f"\n\nMachine: {results['machine']}; load when started: {results['load']}.\n"


def search_cell(search: dict) -> str:
    if "error" in search:
        return f"failed: {search['error']}"
    return f'{search["bytes"] / 1e3:.0f} KB, {search["requests"]}, {search["seconds_to_first_result"]}'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000], help="corpus sizes (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.json", help="results file, updated per size (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=None, help="where to build the corpora (default: a temporary folder, removed after)")
    args = parser.parse_args(argv)
    results = json.loads(args.out.read_text()) if args.out.exists() else {"sizes": {}}
    results["load"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        for count in args.sizes:
            started = time.perf_counter()
            results["sizes"][str(count)] = measure_scale(count, work)
            print(f"N={count:,}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"] = machine()
    results["children_peak_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    table = format_scale_table(results)
    (args.out.with_suffix(".md")).write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
