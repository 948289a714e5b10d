"""A deterministic synthetic corpus of N articles made from the seeds' paragraphs.

    python -m bench.corpus 1000 /tmp/corpus-1000     # writes a project folder ready for build.py

Each article mixes shuffled paragraphs of the real seeds (page furniture already removed), gets
an outlet, topics and a date drawn from a seeded random generator, and carries one made-up word
that no other article has (`unique_word(i)`), so a search test can find it by its body alone.
"""
from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE_FILES = ("mkdocs.yml", "CITATION.cff", "build.py", "templates", "publisher")
SEED = 20261123
EXTRA_OUTLETS = 20
EXTRA_TOPICS = 24
LETTERS = "bcdfghjklmnpqrstvwxz"


def unique_word(index: int) -> str:
    """A pronounceable word made for article index alone: the same index, the same word."""
    letters = []
    value = index
    for _ in range(5):
        value, digit = divmod(value, len(LETTERS))
        letters.append(LETTERS[digit] + "aeiou"[digit % 5])
    return "Zor" + "".join(letters)


def seed_paragraphs(repo: Path = REPO) -> list[str]:
    """Every reading-view paragraph of the real seeds, in a fixed order."""
    sys.path.insert(0, str(repo))
    from publisher.pipeline import check_corpus, clean_corpus

    corpus = clean_corpus(check_corpus(repo))
    return ["\n".join(block.lines) for article in corpus.articles for block in article.reading_blocks
            if len(" ".join(block.lines)) > 40]


def registries(repo: Path = REPO) -> dict[str, str]:
    """outlets.yml and topics.yml: the real entries plus made-up ones, so listings vary in size."""
    outlets = (repo / "metadata/outlets.yml").read_text(encoding="utf-8")
    for number in range(1, EXTRA_OUTLETS + 1):
        outlets += (f"\nbench-outlet-{number:02d}:\n  name: Bench Outlet {number:02d}\n  country: Nowhere\n"
                    f"  language: en\n  description: An outlet made up for the benchmark.\n")
    topics = (repo / "metadata/topics.yml").read_text(encoding="utf-8")
    for number in range(1, EXTRA_TOPICS + 1):
        topics += f"\nbench-topic-{number:02d}:\n  title: Bench topic {number:02d}\n  description: A topic made up for the benchmark.\n"
    return {"metadata/outlets.yml": outlets, "metadata/topics.yml": topics,
            "metadata/furniture.yml": (repo / "metadata/furniture.yml").read_text(encoding="utf-8")}


def registry_ids(text: str) -> list[str]:
    return [line[:-1] for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("#") and line.endswith(":")]


def make_article(index: int, paragraphs: list[str], outlets: list[str], topics: list[str]) -> tuple[str, str]:
    """(seed text, metadata YAML) of article index."""
    rng = random.Random(f"{SEED}-{index}")
    count = rng.randint(8, 18)
    chosen = rng.sample(paragraphs, min(count, len(paragraphs)))
    word = unique_word(index)
    position = rng.randrange(len(chosen))
    chosen[position] = f"{chosen[position]} Local sources called it {word}."
    title = f"{' '.join(rng.choice(chosen).split()[:7]).rstrip('.,;:')} ({index})"
    text = title + "\n\n" + "\n\n".join(chosen) + "\n"
    year = rng.randint(2014, 2025)
    # Precision follows the index, not the draws, so every corpus of 20 or more has all three
    # whatever the seeds' cleaning leaves: one year in 20, three months in 20.
    share = index % 20
    date = f"{year}" if share == 7 else f"{year}-{rng.randint(1, 12):02d}" if share in (3, 11, 16) else \
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    article_topics = rng.sample(topics, rng.randint(1, 4))
    quote = title.replace("'", "''")
    metadata = (f"title: '{quote}'\noutlet: {rng.choice(outlets)}\ndate: '{date}'\ntopics:\n"
                + "".join(f"  - {topic}\n" for topic in article_topics)
                + f"language: en\nsummary: 'Synthetic article {index} for the benchmark, made from the seeds.'\n")
    return text, metadata


def corpus_files(count: int, repo: Path = REPO) -> dict[str, str]:
    """{relative path: content} of a corpus of count articles; the same count, the same files."""
    paragraphs = seed_paragraphs(repo)
    files = registries(repo)
    outlets = registry_ids(files["metadata/outlets.yml"])
    topics = registry_ids(files["metadata/topics.yml"])
    for index in range(count):
        text, metadata = make_article(index, paragraphs, outlets, topics)
        name = f"{index:05d}_bench"
        files[f"seeds/{name}.txt"] = text
        files[f"metadata/{name}.yml"] = metadata
    return files


def copy_site_code(dest: Path, repo: Path = REPO) -> None:
    """The site's code and config from repo into the project folder dest."""
    for name in SITE_FILES:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)


def write_corpus(count: int, dest: Path, repo: Path = REPO) -> Path:
    """A project folder at dest: the site's code and config from repo, a synthetic corpus of count articles."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    copy_site_code(dest, repo)
    for rel, content in corpus_files(count, repo).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return dest


if __name__ == "__main__":
    write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
