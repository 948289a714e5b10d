"""What keeping the last render's related coverage saves a rebuild's render stage, on a built project.

    python -m bench.related_reuse PROJECT [--runs 3] [--edit summary|keywords]

PROJECT is a project a build has finished in (`python -m bench.corpus 10000 DIR`, then `build.py`
there), so that its page keys and related memo are this code's. In memory, one article in the middle
is edited (its summary, or its last keyword dropped), and the render stage runs on the result
alternately without and with the memo (`last_related`), `--runs` times each; the medians and their
ratio are printed as JSON, with how many articles kept their coverage. Nothing is written.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path


def edited(corpus, edit: str):
    """The corpus with one article in the middle edited: its summary, or its last keyword dropped."""
    articles = list(corpus.articles)
    middle = articles[len(articles) // 2]
    articles[len(articles) // 2] = (dataclasses.replace(middle, summary=(middle.summary or "") + " Corrected.") if edit == "summary"
                                    else dataclasses.replace(middle, keywords=middle.keywords[:-1]))
    return dataclasses.replace(corpus, articles=tuple(articles))


def measure(project: Path, runs: int, edit: str) -> dict:
    from publisher.build import incremental
    from publisher.pages.related import RelatedIndex
    from publisher.pages.render import render_changed_pages
    from publisher.parallel import fewer_collections
    from publisher.pipeline import prepare_corpus, read_inputs
    from publisher.settings import CLEAN_MEMO, KEYWORD_CACHE, KEYWORD_MEMO, PAGE_KEYS, RELATED_MEMO, SITE_SRC, SITE_SRC_RECORD, read_settings

    settings = read_settings(project)
    corpus = prepare_corpus(read_inputs(project).corpus, settings.path(KEYWORD_CACHE), memo_file=settings.path(KEYWORD_MEMO),
                            clean_memo=settings.path(CLEAN_MEMO), read_only=True)
    code = incremental.code_key(settings)
    src_key = incremental.current_key(settings.path(SITE_SRC), settings.path(SITE_SRC_RECORD))
    keys = incremental.read_page_keys(settings.path(PAGE_KEYS), src_key or "", code)
    memo = incremental.read_noted(settings.path(RELATED_MEMO), src_key or "", code)
    if keys is None or memo is None:
        raise SystemExit(f"{project}: no page keys or related memo of this code; build it first")
    corpus = edited(corpus, edit)
    kept = len(RelatedIndex(corpus).reusable(memo, settings.limits.related_limit))
    seconds: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(runs):
        for name, last_related in (("without", None), ("with", memo)):
            with fewer_collections():  # as the build renders
                start = time.perf_counter()
                render_changed_pages(corpus, settings, keys, last_related=last_related)
                seconds[name].append(round(time.perf_counter() - start, 3))
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    return {"articles": len(corpus.articles), "edit": edit, "coverage_kept": kept, "runs": seconds,
            "median_without_s": medians["without"], "median_with_s": medians["with"],
            "ratio": round(medians["with"] / medians["without"], 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edit", choices=("summary", "keywords"), default="summary")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.project.resolve()))  # the project's own code, as its build ran it
    print(json.dumps(measure(args.project.resolve(), args.runs, args.edit)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
