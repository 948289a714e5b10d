"""The keyword stage's memo: a rebuild reuses the last run's work, and gives what a run from nothing gives."""
from __future__ import annotations

import dataclasses
import json
import os
import threading

import pytest
from conftest import REPO

from publisher import keyword_index
from publisher.keyword_index import index_keywords
from publisher.keyword_stage import run_keyword_stage
from publisher.keywords import add_keywords
from publisher.model import Block, KeywordRule
from publisher.pipeline import check_corpus, clean_corpus


@pytest.fixture(scope="module")
def seeds():
    corpus = check_corpus(REPO)
    return clean_corpus(corpus).articles, corpus.keyword_rules


def from_nothing(articles, rules):
    chosen, _ = add_keywords(articles, rules=rules, workers=1)
    return chosen, index_keywords(chosen, rules, workers=1)


def staged(articles, rules, memo, cache=None):
    stage = run_keyword_stage(articles, rules, cache, memo, workers=1)
    return stage.articles, stage.index


def counted_texts(monkeypatch) -> list[str]:
    """Record the texts whose mentions are counted (workers=1 keeps the counting in this process)."""
    counted: list[str] = []
    real = keyword_index.count_mentions_at

    def count(job, index):
        counted.append(job[0][index])
        return real(job, index)
    monkeypatch.setattr(keyword_index, "count_mentions_at", count)
    return counted


def with_text(article, text: str):
    return dataclasses.replace(article, blocks=(Block("paragraph", (text,)),))


def test_the_memo_gives_what_a_run_from_nothing_gives_after_each_kind_of_edit(seeds, tmp_path):
    articles, rules = seeds
    memo = tmp_path / "memo.json"
    assert staged(articles, rules, memo) == from_nothing(articles, rules)
    assert memo.exists()
    edits = {
        "unchanged": articles,
        "a date": (dataclasses.replace(articles[0], date=articles[-1].date),) + articles[1:],
        "a text": articles[:1] + (with_text(articles[1], articles[2].clean_text + " Alexander Lukashenko spoke again."),)
        + articles[2:],
        "an article added": articles + (dataclasses.replace(with_text(articles[0], articles[3].clean_text), id="added"),),
        "an article removed": articles[:-1],
    }
    for edit, changed in edits.items():
        assert staged(changed, rules, memo) == from_nothing(changed, rules), edit
    alias = (KeywordRule(key="alexander-lukashenko", aliases=("Lukashenko",)),)
    assert staged(articles, rules + alias, memo) == from_nothing(articles, rules + alias)


def test_a_metadata_edit_counts_no_text_and_a_text_edit_only_what_it_touches(seeds, tmp_path, monkeypatch):
    articles, rules = seeds
    memo = tmp_path / "memo.json"
    staged(articles, rules, memo)
    counted = counted_texts(monkeypatch)
    retitled = (dataclasses.replace(articles[0], title="Another title", summary="Another summary"),) + articles[1:]
    staged(retitled, rules, memo)
    assert counted == []
    edited = with_text(articles[1], articles[1].clean_text + " Nothing else changed.")
    staged(articles[:1] + (edited,) + articles[2:], rules, memo)
    assert edited.clean_text in counted and len(counted) < len(articles)


@pytest.mark.parametrize("damage", ["garbage", "other shape", "wrong types", "other code", "folder", "fifo", "link"])
def test_a_damaged_memo_is_ignored_and_replaced(seeds, tmp_path, damage):
    articles, rules = seeds
    memo = tmp_path / "memo.json"
    staged(articles, rules, memo)
    data = json.loads(memo.read_text(encoding="utf-8"))
    memo.unlink()
    if damage == "garbage":
        memo.write_bytes(b"\x00not json")
    elif damage == "other shape":
        memo.write_text(json.dumps({**data, "articles": [1, 2, 3]}), encoding="utf-8")
    elif damage == "wrong types":
        first = next(iter(data["articles"]))
        data["articles"][first][1] = [[1, 2, 3, 4]]
        memo.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "other code":
        memo.write_text(json.dumps({**data, "code": "0" * 64}), encoding="utf-8")
    elif damage == "folder":
        memo.mkdir()
    elif damage == "fifo":
        os.mkfifo(memo)
    elif damage == "link":
        target = tmp_path / "elsewhere.json"
        target.write_text(json.dumps(data), encoding="utf-8")
        memo.symlink_to(target)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(staged(articles, rules, memo)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert result, "the stage waited on the memo"
    assert result[0] == from_nothing(articles, rules)
    if damage in ("garbage", "other shape", "wrong types", "other code", "link"):
        assert memo.is_file() and not memo.is_symlink() and json.loads(memo.read_text(encoding="utf-8"))["stage"]
