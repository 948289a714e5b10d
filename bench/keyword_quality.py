"""Keyword quality: each seed article's keywords, and precision at 10 against plain YAKE's top 10.

    .venv/bin/python -m bench.keyword_quality                 # the seeds' keywords
    .venv/bin/python -m bench.keyword_quality GOLD_FOLDER     # and precision on a gold set

GOLD_FOLDER holds NAME.txt (a news story) and NAME.key (its keyphrases chosen by people, one a
line). The stories are built as a corpus through the real build (without MkDocs); a keyword or
a YAKE phrase counts as right when its normalised words equal a gold keyphrase's.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.corpus import copy_site_code
from publisher.keywords import KEYWORDS_PER_ARTICLE, extract_candidates, normalise
from publisher.pipeline import build_site, check_corpus, prepare_corpus

REPO = Path(__file__).resolve().parent.parent


def print_seed_keywords(root: Path = REPO) -> None:
    """Print each seed article's keywords."""
    corpus = prepare_corpus(check_corpus(root))
    for article in corpus.articles:
        print(f"{article.id}: " + "; ".join(k.label for k in article.keywords))


def write_gold_project(folder: Path, dest: Path) -> dict[str, set[tuple[str, ...]]]:
    """A project at dest whose articles are the gold folder's stories; their gold keyphrases by article id."""
    dest.mkdir(parents=True)
    copy_site_code(dest, REPO)
    for name in ("outlets.yml", "topics.yml"):
        (dest / "metadata").mkdir(parents=True, exist_ok=True)
        (dest / "metadata" / name).write_text((REPO / "metadata" / name).read_text(encoding="utf-8"), encoding="utf-8")
    outlet = next(line[:-1] for line in (REPO / "metadata/outlets.yml").read_text().splitlines() if line and line[0].isalnum())
    topic = next(line[:-1] for line in (REPO / "metadata/topics.yml").read_text().splitlines() if line and line[0].isalnum())
    (dest / "seeds").mkdir(exist_ok=True)
    gold = {}
    for index, story in enumerate(sorted(folder.glob("*.txt"))):
        key_file = story.with_suffix(".key")
        if not key_file.exists():
            continue
        article_id = f"{index:05d}_gold"
        (dest / "seeds" / f"{article_id}.txt").write_text(story.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
        (dest / "metadata" / f"{article_id}.yml").write_text(
            f"title: Gold story {index}\noutlet: {outlet}\ndate: 2020-01-01\ntopics: [{topic}]\nslug: gold-{index}\n",
            encoding="utf-8")
        gold[article_id] = {normalise(line) for line in key_file.read_text(encoding="utf-8").splitlines() if line.strip()}
    return gold


def precision(found, gold: set[tuple[str, ...]]) -> float:
    found = [normalise(phrase) for phrase in found][:KEYWORDS_PER_ARTICLE]
    return sum(1 for phrase in found if phrase in gold) / KEYWORDS_PER_ARTICLE


def measure_gold(folder: Path) -> tuple[float, float, int]:
    """Mean precision at 10 of the built articles' keywords and of plain YAKE's top 10, and the stories."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "project"
        gold = write_gold_project(folder, root)
        corpus = build_site(root, run_mkdocs=False)  # a fresh project renders, so this corpus has keywords
        ours = plain = 0.0
        for article in corpus.articles:
            ours += precision([k.label for k in article.keywords], gold[article.id])
            plain += precision([phrase for phrase, _ in extract_candidates(article.clean_text)], gold[article.id])
    count = max(1, len(corpus.articles))
    return ours / count, plain / count, len(corpus.articles)


def main(argv: list[str]) -> None:
    print_seed_keywords()
    if argv:
        ours, plain, count = measure_gold(Path(argv[0]))
        ratio = ours / plain if plain else float("inf")
        print(f"{count} stories: precision@10 keywords {ours:.3f}, plain YAKE top 10 {plain:.3f}, ratio {ratio:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
