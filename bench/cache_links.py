#!/usr/bin/env python3
"""Time the link-count check of the search index cache against the manifest check it sits beside.

  python -m bench.cache_links [FILES]    (default 10,000: about the fragments of a 10,000-article index)

Makes FILES one-byte files in a cache folder, each hard-linked into two more folders (site/'s and
the spare's pagefind/, as a build leaves them), under .cache/ (the disk the cache is on), then
prints the median of 5 runs of incremental.drop_linked_outside and of incremental.folder_manifest
(which every build runs on the cache already) and their ratio.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from publisher.build.incremental import drop_linked_outside, folder_manifest

REPO = Path(__file__).resolve().parents[1]


def median_seconds(run, times: int = 5) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=int, nargs="?", default=10_000)
    args = parser.parse_args(argv)
    (REPO / ".cache").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=REPO / ".cache") as scratch:
        cache, site, spare = (Path(scratch) / name / "shard" / "fragment" for name in ("cache", "site", "spare"))
        for folder in (cache, site, spare):
            folder.mkdir(parents=True)
        for number in range(args.files):
            path = cache / f"{number}.pf_fragment"
            path.write_bytes(b"x")
            os.link(path, site / path.name)
            os.link(path, spare / path.name)
        roots = [Path(scratch) / name for name in ("cache", "site", "spare")]
        check = median_seconds(lambda: drop_linked_outside(roots[0], (roots[1], roots[2], Path(scratch) / "new")))
        manifest = median_seconds(lambda: folder_manifest(roots[0]))
    print(f"{args.files} files: link check {check:.3f} s, folder_manifest {manifest:.3f} s, ratio {check / manifest:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
