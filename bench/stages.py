"""One timed build of a project folder, stage by stage; prints a JSON line. Run by bench/run.py.

    python -m bench.stages PROJECT build        # the hosted build, as build.py does it
    python -m bench.stages PROJECT yake         # baseline: plain YAKE, one process, same texts and settings
    python -m bench.stages PROJECT mkdocs       # baseline: MkDocs alone on PROJECT/site_src
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def peak_memory_mb() -> float:
    """The largest resident set of this process or any it waited for (Pagefind's indexer, pool workers)."""
    return max(build_process_peak_mb(), round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1))


def build_process_peak_mb() -> float:
    """The largest resident set of the Python process that ran the build."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def time_build(root: Path) -> dict:
    """Build root exactly as build.py does, with a stopwatch on each stage."""
    from publisher.pipeline import Stopwatch, build_site

    watch = Stopwatch()
    build_site(root, quiet=True, stopwatch=watch)
    # A build that reuses site_src/ skips the keyword stage: it neither extracts nor reads the cache.
    return {"stages": watch.stages, "extracted": watch.extraction.extracted, "cached": watch.extraction.cached}


def time_yake(root: Path, every: int = 1) -> dict:
    """Plain YAKE over the same cleaned texts with the same settings, one process, no cache.

    With every > 1, only every Kth text is timed and the time is multiplied by K: the texts are
    drawn alike, so the sample stands for the whole.
    """
    import yake

    from publisher.keywords.extract import YAKE_SETTINGS
    from publisher.pipeline import check_corpus, clean_corpus

    texts = [a.clean_text for a in clean_corpus(check_corpus(root)).articles][::every]
    start = time.perf_counter()
    extractor = yake.KeywordExtractor(**YAKE_SETTINGS)
    for text in texts:
        extractor.extract_keywords(text)
    return {"stages": {"yake": round(every * (time.perf_counter() - start), 3)}, "texts": len(texts)}


def time_mkdocs(root: Path) -> dict:
    """MkDocs alone, as `mkdocs build` runs it with the project's mkdocs.yml on site_src/."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import publisher.website.mkdocs_build  # noqa: F401  (quietens Material's banner the same way for both)

    out = root / ".build" / "mkdocs-alone"
    start = time.perf_counter()
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=False))
    return {"stages": {"mkdocs_alone": round(time.perf_counter() - start, 3)}}


def main(argv: list[str]) -> None:
    root, what = Path(argv[0]).resolve(), argv[1]
    sys.path.insert(0, str(root))
    import logging
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    extra = [int(value) for value in argv[2:]]
    result = {"build": time_build, "yake": time_yake, "mkdocs": time_mkdocs}[what](root, *extra)
    result["peak_memory_mb"] = peak_memory_mb()
    result["peak_memory_build_process_mb"] = build_process_peak_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
