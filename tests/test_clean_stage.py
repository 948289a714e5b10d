"""The cleaning stage's memo: a rebuild reclassifies only the articles whose inputs changed, and gets what cleaning from nothing gets."""
from __future__ import annotations

import dataclasses
import json
import os
import threading

import pytest
from conftest import REPO

from publisher.intake import clean_stage
from publisher.pipeline import check_corpus, clean_corpus


@pytest.fixture(scope="module")
def corpus():
    return check_corpus(REPO)


def cleaned_ids(monkeypatch) -> list[str]:
    """Record the articles classified in full (not taken from the memo)."""
    seen: list[str] = []
    real = clean_stage.clean_article

    def clean(article, rules):
        seen.append(article.id)
        return real(article, rules)
    monkeypatch.setattr(clean_stage, "clean_article", clean)
    return seen


def test_the_memo_gives_what_cleaning_from_nothing_gives_and_reclassifies_only_what_an_edit_touches(corpus, tmp_path, monkeypatch):
    memo = tmp_path / "clean.memo.json"
    assert clean_stage.clean_all(corpus, memo) == clean_corpus(corpus)
    seen = cleaned_ids(monkeypatch)
    again = clean_stage.clean_all(corpus, memo)
    assert seen == []  # every article taken from the memo
    assert again == clean_corpus(corpus)

    first, second = corpus.articles[0], corpus.articles[1]
    edits = {
        "a text": dataclasses.replace(first, text=first.text.replace("\n\n", "\n\nAn added paragraph.\n\n", 1)),
        "a title": dataclasses.replace(first, title=second.title),
        "the authors": dataclasses.replace(first, authors=("Someone Else",)),
    }
    for what, edited in edits.items():
        changed = dataclasses.replace(corpus, articles=(edited,) + corpus.articles[1:])
        seen.clear()
        assert clean_stage.clean_all(changed, memo) == clean_corpus(changed), what
        assert seen[:1] == [first.id] and len(seen) == 1 + len(corpus.articles), what  # memo run, then the plain run
        clean_stage.clean_all(corpus, memo)  # back to the seeds

    # New furniture rules reclassify every article of the outlet they apply to.
    rules = dataclasses.replace(corpus.general_rules, furniture=corpus.general_rules.furniture + ("An added paragraph.",))
    changed = dataclasses.replace(corpus, general_rules=rules)
    seen.clear()
    assert clean_stage.clean_all(changed, memo) == clean_corpus(changed)
    assert len(seen) == 2 * len(corpus.articles)


def test_check_reads_the_memo_but_never_writes_it(corpus, tmp_path):
    memo = tmp_path / "clean.memo.json"
    clean_stage.clean_all(corpus, memo, read_only=True)
    assert not memo.exists()
    clean_stage.clean_all(corpus, memo)
    before = memo.read_bytes()
    first = corpus.articles[0]
    edited = dataclasses.replace(corpus, articles=(dataclasses.replace(first, title="Another title"),) + corpus.articles[1:])
    clean_stage.clean_all(edited, memo, read_only=True)
    assert memo.read_bytes() == before


def damage_kinds(memo):
    """Kinds that do not fit the text: one block fewer for every article."""
    data = json.loads(memo.read_text())
    for entry in data["articles"].values():
        entry[1] = entry[1][:-1]
    memo.write_text(json.dumps(data))


def damage_reason(memo):
    """A paragraph noted as furniture with no reason."""
    data = json.loads(memo.read_text())
    for entry in data["articles"].values():
        entry[1] = ["furniture"] * len(entry[1])
    memo.write_text(json.dumps(data))


def fifo(memo):
    memo.unlink()
    os.mkfifo(memo)


def link(memo):
    target = memo.with_name("elsewhere.json")
    memo.rename(target)
    memo.symlink_to(target)


@pytest.mark.parametrize("damage", [
    lambda memo: memo.write_bytes(b"\x00garbage{"),
    lambda memo: memo.write_text("[1, 2, 3]"),
    lambda memo: memo.write_text(memo.read_text().replace('"code":"', '"code":"other')),
    damage_kinds, damage_reason, fifo, link,
], ids=["garbage", "another shape", "other code", "kinds that do not fit", "furniture without a reason", "a FIFO", "a link"])
def test_a_damaged_memo_is_ignored(corpus, tmp_path, monkeypatch, damage):
    memo = tmp_path / "clean.memo.json"
    clean_stage.clean_all(corpus, memo)
    damage(memo)
    seen = cleaned_ids(monkeypatch)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(clean_stage.clean_all(corpus, memo, read_only=True)), daemon=True)
    worker.start()
    worker.join(60)
    assert result, "cleaning waited on the memo"
    assert result[0] == clean_corpus(corpus)
    assert len(seen) >= len(corpus.articles)  # every article classified in full



def test_the_last_cleaned_corpus_gives_its_blocks_to_articles_whose_inputs_are_unchanged(corpus, monkeypatch):
    """The preview's path: the last run in memory instead of a memo; what an edit touches is cleaned again."""
    last = clean_stage.clean_all(corpus)
    first = corpus.articles[0]
    edits = {
        "a summary": (dataclasses.replace(first, summary="Another summary."), []),
        "a text": (dataclasses.replace(first, text=first.text.replace("\n\n", "\n\nAn added paragraph.\n\n", 1)), [first.id]),
        "the authors": (dataclasses.replace(first, authors=("Someone Else",)), [first.id]),
    }
    for what, (edited, expected) in edits.items():
        changed = dataclasses.replace(corpus, articles=(edited,) + corpus.articles[1:])
        from_nothing = clean_corpus(changed)
        seen = cleaned_ids(monkeypatch)
        assert clean_stage.clean_all(changed, last=last) == from_nothing, what
        assert seen == expected, what
        monkeypatch.undo()
    general = dataclasses.replace(corpus.general_rules, trailer=corpus.general_rules.trailer + ("^Nothing matches this$",))
    seen = cleaned_ids(monkeypatch)
    clean_stage.clean_all(dataclasses.replace(corpus, general_rules=general), last=last)
    assert sorted(seen) == sorted(a.id for a in corpus.articles)  # other furniture rules: every article
