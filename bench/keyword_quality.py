"""Keyword quality: each seed article's keywords, and precision at 10 against plain YAKE's top 10.

    .venv/bin/python -m bench.keyword_quality                 # the seeds' keywords
    .venv/bin/python -m bench.keyword_quality GOLD_FOLDER     # and precision on a gold set

GOLD_FOLDER holds NAME.txt (a news story, its first line the headline) and NAME.key (its
keyphrases chosen by people, one a line), side by side or in docsutf8/ and keys/ (500N-KPCrowd's
layout). The stories are built as a corpus through the real build (without MkDocs), each titled
with its first line, so a story that repeats its headline loses the repeat as the build's own
cleaning decides. One matcher for both lists: lower-case words of letters and digits, a plural s
dropped; a name of two or more capitalised words also counts where the people kept only its last
or first word ("barbour" for Haley Barbour).
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from bench.corpus import copy_site_code
from publisher.keywords.extract import KEYWORDS_PER_ARTICLE, extract_candidates
from publisher.pipeline import build_site, check_corpus, prepare_corpus

REPO = Path(__file__).resolve().parent.parent


def print_seed_keywords(root: Path = REPO) -> None:
    """Print each seed article's keywords."""
    corpus = prepare_corpus(check_corpus(root))
    for article in corpus.articles:
        print(f"{article.id}: " + "; ".join(k.label for k in article.keywords))


def gold_stories(folder: Path) -> list[tuple[Path, Path]]:
    """Each story of a gold folder with its key file, by name."""
    texts = folder / "docsutf8" if (folder / "docsutf8").is_dir() else folder
    keys = folder / "keys" if (folder / "keys").is_dir() else folder
    return [(story, keys / f"{story.stem}.key") for story in sorted(texts.glob("*.txt")) if (keys / f"{story.stem}.key").exists()]


def match_words(phrase: str) -> tuple[str, ...]:
    """A phrase as the matcher compares it: lower-case words of letters and digits, a plural s dropped."""
    return tuple(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
                 for word in re.findall(r"[a-z0-9]+", phrase.lower()))


def is_right(phrase: str, gold: set[tuple[str, ...]]) -> bool:
    """The phrase is a gold keyphrase, or a name whose last or first word alone is one."""
    words = match_words(phrase)
    if words in gold:
        return True
    printed = phrase.split()
    is_name = len(printed) >= 2 and all(word[:1].isupper() for word in printed)
    return is_name and ((words[-1],) in gold or (words[0],) in gold)


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
    for index, (story, key_file) in enumerate(gold_stories(folder)):
        article_id = f"{index:05d}_gold"
        # A seed is plain text: control characters (a stray U+0097 in one story) become spaces.
        text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", " ", story.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n"))
        first, _, body = text.strip().partition("\n")
        if not body.strip():
            continue  # a headline alone (a few stories of 500N-KPCrowd): no story to choose keywords from
        first = " ".join(first.split())
        headline = first if 0 < len(first) <= 300 else f"Gold story {index}"  # a first line that long is no headline
        (dest / "seeds" / f"{article_id}.txt").write_text(text, encoding="utf-8")
        (dest / "metadata" / f"{article_id}.yml").write_text(
            f"title: {json.dumps(headline)}\noutlet: {outlet}\ndate: 2020-01-01\ntopics: [{topic}]\nslug: gold-{index}\n",
            encoding="utf-8")
        gold[article_id] = {match_words(line) for line in key_file.read_text(encoding="utf-8").splitlines() if line.strip()}
    return gold


def precision(found, gold: set[tuple[str, ...]]) -> float:
    return sum(1 for phrase in list(found)[:KEYWORDS_PER_ARTICLE] if is_right(phrase, gold)) / KEYWORDS_PER_ARTICLE


def measure_gold(folder: Path) -> tuple[float, float, int]:
    """Mean precision at 10 of the built articles' keywords and of plain YAKE's top 10, and the stories."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "project"
        gold = write_gold_project(folder, root)
        corpus = build_site(root, run_mkdocs=False)  # a fresh project renders, so this corpus has keywords
        assert corpus is not None  # only a build that runs MkDocs can find nothing changed without reading
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
