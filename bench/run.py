"""The benchmark: build synthetic corpora of N articles and time every stage against two baselines.

    python -m bench.run                          # N = 100, 1,000 and 10,000, median of 3 runs (about an hour)
    python -m bench.run --sizes 100 --runs 1     # a quick check (about 20 seconds)

For each N, every run builds a fresh copy of the corpus cold (empty caches); again with nothing
changed (site_src/ and site/ kept); again with site/'s record removed, so MkDocs runs on the
reused site_src/; and once more after one article changed. It measures the baselines on the same
texts: plain single-process YAKE with the same settings, and MkDocs alone on the generated site_src/. Every build runs in its own
process, so peak memory is that build's. Results go to bench/results/latest.json (one entry per
N, replaced when N is measured again) and a Markdown table on stdout and in
bench/results/latest.md.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import write_corpus
from publisher.pipeline import SITE_RECORD

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
BUILD_STAGES = ("load_validate", "plan", "clean", "keywords", "render", "write", "copy", "mkdocs", "pagefind")
# A maintainer's everyday changes, each built incrementally on the build before it; the last is a
# pull request's usual shape: one metadata field corrected and one article added, in one build.
EDITS = ("changed", "metadata", "added", "removed", "metadata_added")
OUR_STAGES = ("load_validate", "plan", "clean", "render", "write")  # everything but YAKE, MkDocs and Pagefind


def run_stage(project: Path, what: str, *extra: str) -> dict:
    env = {**os.environ, "CI": "true"}  # no progress bars inside the benchmark
    done = subprocess.run([sys.executable, "-m", "bench.stages", str(project), what, *extra], cwd=REPO, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench.stages {what} failed on {project}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def folder_size(path: Path, exclude: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not any(part in exclude for part in p.relative_to(path).parts))


def largest_page(site: Path) -> tuple[str, int]:
    pages = [(p.stat().st_size, str(p.relative_to(site))) for p in site.rglob("*.html")]
    size, name = max(pages)
    return name, size


def change_one_article(project: Path) -> None:
    """Add a sentence to the first seed, as a maintainer's correction would."""
    seed = min((project / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA correction was added to this article.\n", encoding="utf-8")


def change_one_summary(project: Path, mark: str = "corrected") -> tuple[str, str]:
    """Correct the summary in the middle article's metadata; return the article's file stem and the new summary."""
    files = sorted((project / "metadata").glob("*_bench.yml"))
    metadata = files[len(files) // 2]
    lines = metadata.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("summary: "))
    summary = lines[number].rstrip("\n").removeprefix("summary: ").strip("'").rstrip(".") + f", {mark}."
    lines[number] = "summary: '" + summary.replace("'", "''") + "'\n"
    metadata.write_text("".join(lines), encoding="utf-8")
    return metadata.stem, summary


def add_one_article(project: Path, index: int | None = None) -> None:
    """A new article, made like the others (the next index unless given), as `add` would leave it."""
    from bench.corpus import make_article, registry_ids, seed_paragraphs

    index = len(list((project / "seeds").glob("*_bench.txt"))) if index is None else index
    outlets = registry_ids((project / "metadata/outlets.yml").read_text(encoding="utf-8"))
    topics = registry_ids((project / "metadata/topics.yml").read_text(encoding="utf-8"))
    text, metadata = make_article(index, seed_paragraphs(REPO), outlets, topics)
    (project / "seeds" / f"{index:05d}_added.txt").write_text(text, encoding="utf-8")
    (project / "metadata" / f"{index:05d}_added.yml").write_text(metadata, encoding="utf-8")


def remove_one_article(project: Path) -> None:
    """Take down the last article of the corpus (its addresses then redirect)."""
    seed = max((project / "seeds").glob("*_bench.txt"))
    seed.unlink()
    (project / "metadata" / f"{seed.stem}.yml").unlink()


def time_serve_edit(project: Path, timeout: float = 1800) -> dict:
    """`build.py serve` on project: seconds from saving one metadata edit until the served page shows it.

    The server's own start (a full MkDocs build into its folder) is not counted. The edited page is
    fetched again and again over HTTP from 127.0.0.1 until it has the new title.
    """
    import signal
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CI": "true"}
    server = subprocess.Popen([sys.executable, "build.py", "--quiet", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def fetch(path: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/news-corpus-archive/{path}", timeout=30) as answer:
                return answer.read().decode("utf-8")
        except OSError:
            return None

    try:
        started = time.monotonic()
        while fetch("") is None:
            if time.monotonic() - started > timeout or server.poll() is not None:
                raise SystemExit("build.py serve did not start")
            time.sleep(1)
        start_s = time.monotonic() - started
        time.sleep(3)  # let the watcher settle after the first build
        stem, summary = change_one_summary(project, "edited while serving")
        edited = time.monotonic()
        page_path = article_address(project, stem)
        while True:
            page = fetch(page_path) or ""
            if summary in page:
                break
            if time.monotonic() - edited > timeout:
                raise SystemExit("the preview never showed the edit")
            time.sleep(0.2)
        return {"edit_to_reload_s": round(time.monotonic() - edited, 3), "start_s": round(start_s, 3)}
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def article_address(project: Path, stem: str) -> str:
    """The address of the article whose metadata file is metadata/STEM.yml, as the last build wrote it."""
    for page in sorted((project / "site_src" / "articles").glob("*.md")):
        head = page.read_text(encoding="utf-8")[:4000]
        if f"metadata/{stem}.yml" in head:
            return f"articles/{page.stem}/"
    raise SystemExit(f"no article page names metadata/{stem}.yml")


def measure_once(count: int, work: Path, yake_every: int = 1) -> dict:
    """The four builds and both baselines on a fresh corpus of count articles."""
    project = write_corpus(count, work / f"n{count}")
    log = work / f"n{count}.steps.jsonl"  # each step as it ends: a long run that is stopped keeps its figures

    def step(what: str, *extra: str) -> dict:
        result = run_stage(project, what, *extra)
        with log.open("a") as out:
            out.write(json.dumps({"what": what, **result}) + "\n")
        return result

    cold = step("build")
    warm = step("build")  # nothing changed: site_src/ and site/ kept as they are
    (project / SITE_RECORD).unlink()  # as if site/ had been touched: MkDocs runs on the reused site_src/
    rerun = step("build")
    change_one_article(project)
    changed = step("build")
    change_one_summary(project)
    metadata = step("build")
    add_one_article(project)
    added = step("build")
    remove_one_article(project)
    removed = step("build")
    change_one_summary(project, "corrected again")
    add_one_article(project, count + 1)  # a text no build has read: the one added above has the removed one's index
    metadata_added = step("build")
    serve = time_serve_edit(project)
    alone = step("mkdocs")
    yake = step("yake", str(yake_every))
    site = project / "site"
    page, page_size = largest_page(site)
    material_index = project / ".build" / "mkdocs-alone" / "search" / "search_index.json"
    return {
        "cold": cold, "warm": warm, "rerun": rerun, "changed": changed, "metadata": metadata, "added": added, "removed": removed,
        "metadata_added": metadata_added, "serve": serve,
        "yake_baseline_s": yake["stages"]["yake"],
        "yake_baseline_every": yake_every,
        "mkdocs_alone_s": alone["stages"]["mkdocs_alone"],
        "site_bytes": folder_size(site, exclude=("pagefind",)),
        "pagefind_bytes": folder_size(site / "pagefind"),
        "material_search_index_bytes": material_index.stat().st_size,
        "largest_page": page, "largest_page_bytes": page_size,
    }


def median_run(runs: list[dict]) -> dict:
    """The median of every figure over the runs (sizes are the same in every run)."""
    def med(get):
        return round(statistics.median(get(r) for r in runs), 3)

    result: dict[str, Any] = {"runs": len(runs)}
    for kind in ("cold", "warm", "rerun", *EDITS):
        # A warm build with nothing changed has no clean or keyword stage: it counts as 0 s.
        result[kind] = {stage: med(lambda r, s=stage: r[kind]["stages"].get(s, 0.0)) for stage in BUILD_STAGES}
        result[kind]["total"] = med(lambda r: sum(r[kind]["stages"].values()))
        result[kind]["peak_memory_mb"] = med(lambda r: r[kind]["peak_memory_mb"])
        result[kind]["extracted"] = runs[0][kind]["extracted"]
    for key in ("yake_baseline_s", "mkdocs_alone_s"):
        result[key] = med(lambda r: r[key])
    result["serve"] = {key: med(lambda r: r["serve"][key]) for key in ("edit_to_reload_s", "start_s")}
    for key in ("yake_baseline_every", "site_bytes", "pagefind_bytes", "material_search_index_bytes", "largest_page", "largest_page_bytes"):
        result[key] = runs[0][key]
    return result


def derive(count: int, m: dict) -> dict:
    """The ratios the targets are about."""
    cold, warm = m["cold"], m["warm"]
    ours_cold = sum(cold[s] for s in OUR_STAGES)
    return {
        "articles_per_s_cold": round(count / cold["total"], 1),
        "keyword_speedup_vs_yake": round(m["yake_baseline_s"] / cold["keywords"], 2),
        "ours_share_of_cold": round(ours_cold / cold["total"], 4),
        "warm_outside_mkdocs_share_of_cold": round((warm["total"] - warm["mkdocs"]) / cold["total"], 4),
        "rerun_outside_mkdocs_share_of_cold": round((m["rerun"]["total"] - m["rerun"]["mkdocs"]) / cold["total"], 4),
        "mkdocs_vs_alone": round(cold["mkdocs"] / m["mkdocs_alone_s"], 3),
        # Issue 30's bound: a cold build within 0.75 of plain serial YAKE plus MkDocs alone on the same texts.
        "cold_vs_yake_plus_mkdocs": round(cold["total"] / (m["yake_baseline_s"] + m["mkdocs_alone_s"]), 3),
        "mkdocs_ms_per_article": round(1000 * cold["mkdocs"] / count, 2),
        **{f"{kind}_share_of_cold": round(m[kind]["total"] / cold["total"], 4) for kind in EDITS},
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def mb(value: int) -> str:
    return f"{value / 1e6:.1f} MB" if value >= 1e6 else f"{value / 1e3:.0f} KB"


NOT_MEASURED = "not measured"  # a size measured before the row existed


def edit_cell(m: dict, kind: str) -> str:
    """An incremental build's seconds and its share of the cold build."""
    if kind not in m:
        return NOT_MEASURED
    return f'{m[kind]["total"]} ({100 * m[kind]["total"] / m["cold"]["total"]:.1f}% of cold)'


def edit_stages(build: dict) -> str:
    """The stages of a build that took at least a tenth of a second, largest first."""
    stages = sorted(((build[s], s) for s in BUILD_STAGES if build.get(s, 0) >= 0.1), reverse=True)
    return ", ".join(f"{name} {seconds}" for seconds, name in stages)


def format_table(results: dict) -> str:
    """The benchmark table of docs/performance.md: one column per N."""
    sizes = sorted(results["sizes"], key=int)
    rows = [
        ("load + validate (s)", lambda m: m["cold"]["load_validate"]),
        ("clean (s)", lambda m: m["cold"]["clean"]),
        ("keywords, cold (s)", lambda m: m["cold"]["keywords"]),
        ("baseline: plain YAKE, 1 process (s)", lambda m: f'{m["yake_baseline_s"]}' + (
            f' (every {m["yake_baseline_every"]}th text, scaled)' if m.get("yake_baseline_every", 1) > 1 else "")),
        ("render (s)", lambda m: m["cold"]["render"]),
        ("write (s)", lambda m: m["cold"]["write"]),
        ("MkDocs (s)", lambda m: m["cold"]["mkdocs"]),
        ("baseline: MkDocs alone (s)", lambda m: m["mkdocs_alone_s"]),
        ("Pagefind (s)", lambda m: m["cold"]["pagefind"]),
        ("cold build (s)", lambda m: m["cold"]["total"]),
        ("warm build, nothing changed (s)", lambda m: m["warm"]["total"]),
        ("warm build, MkDocs run again (s)", lambda m: m["rerun"]["total"]),
        ("one article's text changed (s)", lambda m: edit_cell(m, "changed")),
        ("one metadata field changed (s)", lambda m: edit_cell(m, "metadata")),
        ("one article added (s)", lambda m: edit_cell(m, "added")),
        ("one article removed (s)", lambda m: edit_cell(m, "removed")),
        ("one metadata field changed + one article added, one build (s)", lambda m: edit_cell(m, "metadata_added")),
        ("same, where the seconds go", lambda m: edit_stages(m["metadata_added"]) if "metadata_added" in m else NOT_MEASURED),
        ("serve: one metadata edit to reload (s)", lambda m: m["serve"]["edit_to_reload_s"] if "serve" in m else NOT_MEASURED),
        ("articles per second, cold", lambda m: m["derived"]["articles_per_s_cold"]),
        ("keyword speed-up over plain YAKE", lambda m: f'{m["derived"]["keyword_speedup_vs_yake"]}x'),
        ("cold build / (plain YAKE + MkDocs alone)", lambda m: m["derived"].get("cold_vs_yake_plus_mkdocs", NOT_MEASURED)),
        ("our code's share of the cold build", lambda m: f'{100 * m["derived"]["ours_share_of_cold"]:.1f}%'),
        ("warm build outside MkDocs, share of cold", lambda m: f'{100 * m["derived"]["warm_outside_mkdocs_share_of_cold"]:.2f}%'),
        ("same, MkDocs run again", lambda m: f'{100 * m["derived"]["rerun_outside_mkdocs_share_of_cold"]:.2f}%'),
        ("MkDocs per article (ms)", lambda m: m["derived"]["mkdocs_ms_per_article"]),
        ("peak memory, cold (MB)", lambda m: m["cold"]["peak_memory_mb"]),
        ("site without search index", lambda m: mb(m["site_bytes"])),
        ("Pagefind index (hosted)", lambda m: mb(m["pagefind_bytes"])),
        ("Material search index (MkDocs alone)", lambda m: mb(m["material_search_index_bytes"])),
        ("largest page", lambda m: f'{mb(m["largest_page_bytes"])} ({m["largest_page"]})'),
        ("runs (median of)", lambda m: m["runs"]),
    ]
    lines = ["| N | " + " | ".join(f"{int(n):,}" for n in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for label, get in rows:
        lines.append(f"| {label} | " + " | ".join(str(get(results["sizes"][n])) for n in sizes) + " |")
    return "\n".join(lines) + f"\n\nMachine: {results['machine']}.\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], help="corpus sizes (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; the table shows the median (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="results file, updated per size (default: %(default)s)")
    parser.add_argument("--yake-sample", type=int, default=1000, metavar="M",
                        help="time the YAKE baseline on at most M texts spread evenly over the corpus and scale up; "
                             "saves most of an hour per run at N = 10,000 (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=None, help="where to build the corpora (default: a temporary folder, removed after)")
    args = parser.parse_args(argv)
    results = json.loads(args.out.read_text()) if args.out.exists() else {"sizes": {}}
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        for count in args.sizes:
            runs = []
            for number in range(args.runs):
                started = time.perf_counter()
                runs.append(measure_once(count, work, max(1, math.ceil(count / args.yake_sample))))
                print(f"N={count:,} run {number + 1}/{args.runs}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
            measured = median_run(runs)
            measured["derived"] = derive(count, measured)
            results["sizes"][str(count)] = measured
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"] = machine()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    table = format_table(results)
    (args.out.parent / "latest.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
