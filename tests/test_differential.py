"""Differential: random sequences of edits, each built incrementally, give what a build from nothing gives.

Every kind of input an incremental build must follow is edited: an article's text, a metadata
field, the outlet and topic registries, metadata/keywords.yml, an added and a removed article. After
each edit the project is built on its last build (site_src/ only: MkDocs' part has its own tests in
test_incremental.py), and a copy of the same inputs with the same published-pages list is built
from nothing; the two site_src/ folders and published-pages.txt must be byte-identical. A page
key that misses what its page shows leaves a stale page, and this test fails on it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import FIXTURE_FILES, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.pipeline import Stopwatch, build_site

SENTENCES = ("The ministry published a statement on Tuesday.", "Negotiators from the alliance met farmers at the river.",
             "Troops left the northern border before the treaty talks.", "Officials in the capital declined to comment.")
TITLES = ("Border Troops Withdraw", "Treaty Talks Resume", "Farmers Meet Negotiators", "A Statement From the Ministry")
DATES = ("2023-03-19", "2022-10", "2021", "2023-01-02")
SUMMARIES = ("A short summary.", "Negotiators met again.", None)
AUTHORS = ((), ("Jane Reporter",), ("Jane Reporter", "John Writer"))
TOPIC_SETS = (("border",), ("alliance",), ("border", "alliance"))
OUTLET_NAMES = ("Daily Planet", "The Daily Planet", "Planet Daily")
TOPIC_TITLES = ("The border", "The northern border", "Border events")
KEYWORD_REGISTRIES = ("", "alliance-treaty:\n  label: Alliance Treaty\n", "border:\n  hide: true\n",
                      "alliance-treaty:\n  aliases: [treaty]\n")
FIELD_VALUES = {"title": TITLES, "date": DATES, "summary": SUMMARIES, "authors": AUTHORS, "topics": TOPIC_SETS}
ADDED = {
    "003_gamma": ("Farmers Meet Negotiators\n\nFarmers near the river met negotiators of the alliance on Friday.\n\n"
                  "The treaty talks continue next week in the capital.\n",
                  "title: Farmers Meet Negotiators\noutlet: gazette\ndate: 2023-01-02\ntopics:\n  - alliance\n"),
    "004_delta": ("Ministry Statement\n\nThe ministry said troops at the border would stay until the talks end.\n",
                  "title: Ministry Statement\noutlet: daily-planet\ndate: 2021\ntopics:\n  - border\n"),
}


def article_ids(root: Path) -> list[str]:
    return sorted(path.stem for path in (root / "seeds").glob("*.txt"))


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit_text(root: Path, option: str, pick: int) -> None:
    ids = article_ids(root)
    seed = root / "seeds" / f"{ids[pick % len(ids)]}.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{SENTENCES[pick % len(SENTENCES)]}\n", encoding="utf-8")


def edit_field(root: Path, field: str, pick: int) -> None:
    ids = article_ids(root)
    path = root / "metadata" / f"{ids[pick % len(ids)]}.yml"
    data = read_yaml(path)
    values = FIELD_VALUES[field]
    new = values[pick // len(ids) % len(values)]
    if new in (None, ()):
        data.pop(field, None)
    else:
        data[field] = list(new) if isinstance(new, tuple) else new
    write_yaml(path, data)


def edit_registry(root: Path, registry: str, pick: int) -> None:
    path = root / "metadata" / f"{registry}.yml"
    data = read_yaml(path)
    if registry == "outlets":
        data["daily-planet"]["name"] = OUTLET_NAMES[pick % len(OUTLET_NAMES)]
    else:
        data["border"]["title"] = TOPIC_TITLES[pick % len(TOPIC_TITLES)]
    write_yaml(path, data)


def edit_keywords(root: Path, option: str, pick: int) -> None:
    registry, text = root / "metadata" / "keywords.yml", KEYWORD_REGISTRIES[pick % len(KEYWORD_REGISTRIES)]
    if text:
        registry.write_text(text, encoding="utf-8")
    else:  # no registry at all: an empty file is refused (validate says to delete it)
        registry.unlink(missing_ok=True)


def add_article(root: Path, option: str, pick: int) -> None:
    missing = [name for name in ADDED if not (root / "seeds" / f"{name}.txt").exists()]
    if missing:
        name = missing[pick % len(missing)]
        text, meta = ADDED[name]
        (root / "seeds" / f"{name}.txt").write_text(text, encoding="utf-8")
        (root / "metadata" / f"{name}.yml").write_text(meta, encoding="utf-8")


def remove_article(root: Path, option: str, pick: int) -> None:
    ids = article_ids(root)
    if len(ids) > 1:
        gone = ids[pick % len(ids)]
        (root / "seeds" / f"{gone}.txt").unlink()
        (root / "metadata" / f"{gone}.yml").unlink()


EDITS = {edit.__name__: edit for edit in (edit_text, edit_field, edit_registry, edit_keywords, add_article, remove_article)}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_src(root: Path) -> Stopwatch:
    watch = Stopwatch()
    build_site(root, run_mkdocs=False, stopwatch=watch)
    return watch


AN_EDIT = st.one_of(
    st.tuples(st.just("edit_text"), st.just(""), st.integers(0, 30)),
    st.tuples(st.just("edit_field"), st.sampled_from(sorted(FIELD_VALUES)), st.integers(0, 30)),
    st.tuples(st.just("edit_registry"), st.sampled_from(["outlets", "topics"]), st.integers(0, 30)),
    st.tuples(st.just("edit_keywords"), st.just(""), st.integers(0, 30)),
    st.tuples(st.just("add_article"), st.just(""), st.integers(0, 30)),
    st.tuples(st.just("remove_article"), st.just(""), st.integers(0, 30)),
)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(AN_EDIT, min_size=2, max_size=4))
def test_edits_built_incrementally_equal_a_build_from_nothing(tmp_path_factory, edits):
    base = tmp_path_factory.mktemp("differential")
    root = write_project(base / "project", FIXTURE_FILES)
    build_src(root)
    for step, (name, option, pick) in enumerate(edits):
        EDITS[name](root, option, pick)
        full = base / f"full-{step}"
        shutil.copytree(root, full, ignore=shutil.ignore_patterns("site", "site_src", ".cache", ".build"))
        watch = build_src(root)
        assert watch.pages_rendered is None or watch.files_changed is not None  # built on the last build
        build_src(full)
        assert tree(root / "site_src") == tree(full / "site_src"), (step, name, option, pick)
        assert (root / "published-pages.txt").read_bytes() == (full / "published-pages.txt").read_bytes(), (step, name, option, pick)
