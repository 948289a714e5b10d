#!/usr/bin/env python3
"""Time `build.py export` and weigh its zip, on the bundled corpus or on N copies of it.

  python bench/export.py                 the bundled corpus
  python bench/export.py --articles 200  200 articles: the seeds again and again, each a distinct article

Each run makes a fresh project in a temporary folder (the repository is not touched) and runs
`build.py export` there as a user would, so the time includes validation, keywords and rendering;
then `build.py` in the same project, for comparison with the hosted build.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.corpus import copy_site_code  # noqa: E402
from publisher.slugs import slugify  # noqa: E402
REGISTRIES = ("outlets.yml", "topics.yml", "furniture.yml")


def copy_project(dest: Path, articles: int) -> None:
    """The site's code, its registries, and `articles` articles made from the bundled seeds."""
    copy_site_code(dest)
    (dest / "seeds").mkdir()
    (dest / "metadata").mkdir()
    for name in REGISTRIES:
        shutil.copy2(REPO / "metadata" / name, dest / "metadata" / name)
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    for number in range(articles or len(seeds)):
        seed = seeds[number % len(seeds)]
        if number < len(seeds):
            shutil.copy2(seed, dest / "seeds" / seed.name)
            shutil.copy2(REPO / "metadata" / f"{seed.stem}.yml", dest / "metadata" / f"{seed.stem}.yml")
            continue
        record = yaml.safe_load((REPO / "metadata" / f"{seed.stem}.yml").read_text(encoding="utf-8"))
        record["title"] = f"{record['title']} (copy {number})"
        record["slug"] = slugify(f"copy {number} {record['title']}")  # the number first: long titles are cut
        stem = f"{number:05d}_copy"
        (dest / "metadata" / f"{stem}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
        (dest / "seeds" / f"{stem}.txt").write_bytes(seed.read_bytes() + f"\nCopy number {number}.\n".encode())


def children_cpu() -> float:
    """CPU seconds of finished child processes: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=0, help="how many articles (default: the bundled corpus)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        root = Path(tmp)
        copy_project(root, args.articles)
        seconds, cpu = {}, {}
        for command in ("export", "build"):
            started, used = time.perf_counter(), children_cpu()
            result = subprocess.run([sys.executable, "build.py", command], cwd=root, capture_output=True, text=True)
            seconds[command], cpu[command] = time.perf_counter() - started, children_cpu() - used
            if result.returncode:
                print(result.stderr, file=sys.stderr)
                return result.returncode
        zip_path = next((root / "dist").glob("*.zip"))
        with zipfile.ZipFile(zip_path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            files = len(archive.infolist())
        articles = len(list((root / "seeds").glob("*.txt")))
        print(f"{articles} articles: export {seconds['export']:.1f} s wall, {cpu['export']:.1f} s CPU "
              f"(hosted build {seconds['build']:.1f} s wall, {cpu['build']:.1f} s CPU), "
              f"{zip_path.name} {zip_path.stat().st_size / 1e6:.2f} MB ({files} files, {unpacked / 1e6:.1f} MB unpacked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
