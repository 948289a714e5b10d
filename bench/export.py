#!/usr/bin/env python3
"""Time `build.py export` beside the cold hosted build, weigh its zip, and time a first search from disk.

    python -m bench.export --articles 1000        a synthetic corpus (bench/corpus.py) of 1,000 articles
    python -m bench.export --articles 10000 --work /tmp/bench-export-10000

In a fresh project (the repository is not touched), as a user would: `build.py` cold; `build.py
export` (the site is current: the export's own cost); one article's text edited, `build.py` again
and `build.py export` again (the export after one edit). Then the zip is unpacked and its home
page opened from file:// in headless Chromium with no network, and the hosted site/ served on
127.0.0.1 for comparison (alternating, median of 3); the box is clicked and one article's own word
typed key by key (50 ms a key): the seconds from opening the page to its result, split into page
load, typing and after the last key, and the bytes of every file the offline search read
(search.js, search.css and the index scripts under pagefind/). One JSON line on stdout.

    python -m bench.export --measure-only DIR     the first searches again, on a kept --work DIR
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.corpus import unique_word, write_corpus  # noqa: E402
from bench.run import change_one_article  # noqa: E402
from bench.search_weight import CHROMIUM, CHROMIUM_ARGS, is_search_request, serve  # noqa: E402


def children_cpu() -> float:
    """CPU seconds of finished child processes: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(root: Path, *command: str) -> tuple[float, float]:
    """Run build.py with command in root; its wall and CPU seconds."""
    env = {**os.environ, "CI": "true"}  # no progress bars
    started, used = time.perf_counter(), children_cpu()
    done = subprocess.run([sys.executable, "build.py", *command], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"build.py {' '.join(command)} failed:\n{done.stderr}")
    return round(time.perf_counter() - started, 2), round(children_cpu() - used, 2)


def first_search(page, address: str, word: str, timeout_ms: int = 120_000) -> dict:
    """Open the home page at address, click the box, type word key by key; the seconds each step took."""
    started = time.perf_counter()
    page.goto(address)
    loaded = time.perf_counter()
    box = page.locator(".archive-search__input")
    box.click()
    box.press_sequentially(word, delay=50)
    typed = time.perf_counter()
    page.locator(".archive-search__result").first.wait_for(timeout=timeout_ms)
    page.locator(".archive-search[aria-busy=false]").wait_for(state="attached", timeout=timeout_ms)
    found = time.perf_counter()
    return {"seconds_to_first_result": round(found - started, 2), "page_load": round(loaded - started, 2),
            "typing": round(typed - loaded, 2), "after_last_key": round(found - typed, 2),
            "from_first_key": round(found - loaded, 2), "results": page.locator(".archive-search__result").count()}


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def first_searches(folder: Path, site: Path, word: str, runs: int = 3) -> dict:
    """The first search from disk (folder, no network) and hosted (site, served), alternating; medians of runs.

    From disk, the bytes are those of every file the search read (search.js, search.css and the
    index scripts under pagefind/); file:// reports no transfer sizes.
    """
    from playwright.sync_api import sync_playwright

    measured: dict[str, list[dict]] = {"offline": [], "hosted": []}
    read: set[str] = set()
    server, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                for way in ("offline", "hosted"):
                    context = browser.new_context(offline=way == "offline")
                    page = context.new_page()
                    if way == "offline":
                        page.on("request", lambda request: read.add(request.url))
                    address = (folder / "index.html").as_uri() if way == "offline" else base + "/"
                    measured[way].append(first_search(page, address, word))
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    files = {Path(unquote(urlsplit(url).path)) for url in read if url.startswith("file:") and is_search_request(url, False)}
    result = {way: median_of(runs_of_way) for way, runs_of_way in measured.items()}
    result["offline"]["bytes"] = sum(path.stat().st_size for path in files if path.is_file())
    result["offline"]["files"] = len(files)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--work", type=Path, help="the project folder (default: a temporary one, removed after)")
    parser.add_argument("--word-of", type=int, default=7, help="the article whose own word is searched for")
    parser.add_argument("--measure-only", type=Path, help="a kept --work folder: only the first searches, again")
    args = parser.parse_args(argv)
    if args.measure_only:
        work = args.measure_only
        top = next((work / "unzipped").iterdir())
        print(json.dumps(first_searches(top.resolve(), work / "project" / "site", unique_word(args.word_of))))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        root = write_corpus(args.articles, work / "project")
        row: dict = {"articles": args.articles, "load": os.getloadavg()[0]}
        row["cold_build"] = timed(root)
        row["export"] = timed(root, "export")
        change_one_article(root)
        row["build_after_edit"] = timed(root)
        row["export_after_edit"] = timed(root, "export")
        zip_path = next((root / "dist").glob("*.zip"))
        with zipfile.ZipFile(zip_path) as archive:
            infos = archive.infolist()
            row["zip_mb"] = round(zip_path.stat().st_size / 1e6, 1)
            row["files"] = len(infos)
            row["unpacked_mb"] = round(sum(info.file_size for info in infos) / 1e6, 1)
            archive.extractall(work / "unzipped")
        top = zip_path.name[: -len(".zip")]
        row["first_search"] = first_searches((work / "unzipped" / top).resolve(), root / "site", unique_word(args.word_of))
        row["export_share_of_cold"] = round(row["export"][0] / row["cold_build"][0], 3)
        row["edit_export_share_of_cold"] = round(row["export_after_edit"][0] / row["cold_build"][0], 3)
        row["load_after"] = os.getloadavg()[0]
        print(json.dumps(row))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
