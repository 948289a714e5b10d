#!/usr/bin/env python3
"""Build the same site_src/ with MkDocs and with Zensical, and compare time, memory and pages.

  python -m bench.zensical                  1,000 articles (docs/zensical-trial.md's figures)
  python -m bench.zensical --articles 100   a quick look

Zensical runs from its own virtual environment, .cache/zensical-venv/ (made on first use with the
pinned ZENSICAL below), never from the project's .venv/. The corpus is bench/corpus.py's, written
into a temporary folder; `build.py` renders its site_src/ there, then each generator builds that
same site_src/ with the same mkdocs.yml (Material's search as configured, as `mkdocs build` does),
each in its own process, timed with /usr/bin/time (wall seconds and peak memory).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.corpus import write_corpus  # noqa: E402

# The newest Zensical that installs from PyPI alone here: 0.0.74 and later need zensical-ui,
# which the registry this project installs from does not offer.
ZENSICAL = "zensical==0.0.73"
ZENSICAL_VENV = REPO / ".cache" / "zensical-venv"
TIME = "/usr/bin/time"
# What our theme overrides and build add to pages: does the other generator keep each one?
FEATURES = {
    "article pages: 'Improve this record' (partials/actions.html)": ("articles", "Improve this record"),
    "every page: the Atom feed in <head> (main.html)": ("index.html", 'type="application/atom+xml"'),
    "Browse: its script (browse.html)": ("browse", "browse.js"),
    "Statistics: inline SVG charts": ("statistics", "<svg"),
    "article text as HTML blocks (escaped)": ("articles", "data-pagefind-body"),
}


def ensure_zensical() -> Path:
    """The zensical command of the benchmark's own environment, installed there on first use."""
    command = ZENSICAL_VENV / "bin" / "zensical"
    marker = ZENSICAL_VENV / "installed.txt"
    if not command.exists() or not marker.exists() or marker.read_text() != ZENSICAL:
        venv.create(ZENSICAL_VENV, with_pip=True, clear=True)
        subprocess.run([str(ZENSICAL_VENV / "bin" / "python"), "-m", "pip", "install", "-q", ZENSICAL], check=True)
        marker.write_text(ZENSICAL)
    return command


def timed(command: list[str], cwd: Path) -> dict:
    """Run command in cwd under /usr/bin/time; its exit status, wall and CPU seconds, peak MB and output lines."""
    done = subprocess.run([TIME, "-f", "TIME %e %U %S %M", *command], cwd=cwd, capture_output=True, text=True)
    match = re.search(r"^TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)$", done.stderr, re.M)
    output = [line for line in (done.stdout + done.stderr).splitlines() if line.strip() and not line.startswith("TIME ")]
    if not match:
        return {"status": done.returncode, "seconds": None, "cpu": None, "peak_mb": None, "output": output}
    return {"status": done.returncode, "seconds": float(match.group(1)), "cpu": round(float(match.group(2)) + float(match.group(3)), 2),
            "peak_mb": round(int(match.group(4)) / 1024), "output": output}


def html_pages(site: Path) -> dict[str, str]:
    """{relative path: text} of every HTML page of a built site."""
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html")}


def keeps(pages: dict[str, str], where: str, needle: str) -> str:
    """How many of the pages under `where` hold needle, as 'k of n'."""
    chosen = [text for rel, text in pages.items() if rel.startswith(where)]
    return f"{sum(needle in text for text in chosen)} of {len(chosen)}"


def median_size(pages: dict[str, str], where: str) -> int:
    sizes = sorted(len(text.encode()) for rel, text in pages.items() if rel.startswith(where))
    return sizes[len(sizes) // 2] if sizes else 0


def compare(articles: int, work: Path) -> str:
    """Build the corpus with both generators in work/ and return the report as Markdown."""
    zensical = ensure_zensical()
    project = write_corpus(articles, work / "project")
    subprocess.run([sys.executable, "build.py", "--quiet"], cwd=project, check=True, capture_output=True)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # Zensical renders templates with MiniJinja, not Jinja2: our theme overrides may not run there,
    # so it also builds the same pages with the stock theme, to measure the generator itself.
    stock = re.sub(r"^  custom_dir: .*\n", "", config, flags=re.M)
    for name, text in (("mkdocs", config), ("zensical", config), ("zensical-stock", stock)):
        (project / f"{name}.yml").write_text(re.sub(r"^site_dir: .*$", f"site_dir: site-{name}", text, flags=re.M), encoding="utf-8")
    version = ZENSICAL.split("==")[1]
    runs = {
        "MkDocs 1.6.1 + Material 9.8.1": (timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"], project), "site-mkdocs"),
        f"Zensical {version}": (timed([str(zensical), "build", "-f", "zensical.yml"], project), "site-zensical"),
        f"Zensical {version}, stock theme": (timed([str(zensical), "build", "-f", "zensical-stock.yml"], project), "site-zensical-stock"),
    }
    lines = [f"{articles:,} articles ({len(list((project / 'site_src').rglob('*.md'))):,} Markdown pages), the same site_src/ and mkdocs.yml:", "",
             "| | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
    built = {label: html_pages(project / folder) if (project / folder).is_dir() else {} for label, (_, folder) in runs.items()}
    rows = {
        "exit status": [str(run["status"]) for run, _ in runs.values()],
        "wall time (s)": [str(run["seconds"]) for run, _ in runs.values()],
        "CPU time, user + system (s)": [str(run["cpu"]) for run, _ in runs.values()],
        "peak memory (MB)": [str(run["peak_mb"]) for run, _ in runs.values()],
        "HTML pages": [f"{len(built[label]):,}" for label in runs],
        "article page, median bytes": [f"{median_size(built[label], 'articles/'):,}" for label in runs],
    }
    rows.update({feature: [keeps(built[label], where, needle) for label in runs] for feature, (where, needle) in FEATURES.items()})
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows.items()]
    mkdocs_pages, *others = (set(pages) for pages in built.values())
    for label, pages in zip(list(runs)[1:], others):
        lines += ["", f"{label}: pages only MkDocs made: {len(mkdocs_pages - pages)} (e.g. {sorted(mkdocs_pages - pages)[:3]}); "
                  f"pages only it made: {len(pages - mkdocs_pages)} (e.g. {sorted(pages - mkdocs_pages)[:3]})."]
    for label, (run, _) in runs.items():
        lines += ["", f"{label} said (last 4 lines):", "", *[f"    {line}" for line in run["output"][-4:]]]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="articles in the corpus (default: %(default)s)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zensical-bench-") as work:
        print(compare(args.articles, Path(work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
