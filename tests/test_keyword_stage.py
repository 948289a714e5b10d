"""The keyword stage's memo: a rebuild reuses the last run's work, and gives what a run from nothing gives."""
from __future__ import annotations

import dataclasses
import json
import os
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from conftest import REPO

from publisher.keywords import index as keyword_index
from publisher.keywords.index import name_keywords
from publisher.keywords.stage import run_keyword_stage
from publisher.keywords.choose import add_keywords
from publisher.model import Block, KeywordRule
from publisher.pipeline import check_corpus, clean_corpus


@pytest.fixture(scope="module")
def seeds():
    corpus = check_corpus(REPO)
    return clean_corpus(corpus).articles, corpus.keyword_rules


def from_nothing(articles, rules):
    chosen, _ = add_keywords(articles, rules=rules, workers=1)
    return name_keywords(chosen, rules, workers=1)


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


def test_choices_are_made_again_only_where_a_fact_they_looked_up_changed(tmp_path, monkeypatch):
    """After each edit the memo's run gives what a run from nothing gives, having chosen again only some articles."""
    from bench.corpus import write_corpus

    from publisher.keywords import choose

    corpus = check_corpus(write_corpus(60, tmp_path / "bench"))
    articles, rules = clean_corpus(corpus).articles, corpus.keyword_rules
    cache, memo = tmp_path / "keywords.sqlite", tmp_path / "memo.json"

    def expected(changed):
        chosen, _ = add_keywords(changed, cache_file=cache, rules=rules, workers=1)
        return name_keywords(chosen, rules, workers=1)

    chose: list[int] = []
    real = choose.choose_keywords_at
    monkeypatch.setattr(choose, "choose_keywords_at", lambda job, task: chose.append(task) or real(job, task))
    run_keyword_stage(articles, rules, cache, memo, workers=1)
    first = articles[0].clean_text
    edits = {
        "a name in one text": articles[:5] + (with_text(articles[5], articles[5].clean_text
                                                         + " General Viktor Ivanovsky and Viktor Ivanovsky spoke."),) + articles[6:],
        "a modifier in one text": articles[:7] + (with_text(articles[7], articles[7].clean_text
                                                            + " Zorbian troops, Zorbian tanks and Zorbian guards."),) + articles[8:],
        # Facts other texts look up: a surname's full name, and a name that now mostly modifies a noun.
        "a full name outnumbering another": articles[:8] + (with_text(articles[8], articles[8].clean_text
                                                                      + " Aleksandr Lukashenko." * 300),) + articles[9:],
        "a name made a modifier": articles[:9] + (with_text(articles[9], articles[9].clean_text
                                                            + " Lukashenko troops." * 300),) + articles[10:],
        "a text made of others": articles[:2] + (with_text(articles[2], " ".join(a.clean_text for a in articles[10:14])),)
        + articles[3:],
        "an article added": articles + (dataclasses.replace(with_text(articles[0], first + " Viktor Ivanovsky returned."),
                                                            id="added"),),
        "ten articles removed": articles[10:],
    }
    for edit, changed in edits.items():
        chose.clear()
        stage = run_keyword_stage(changed, rules, cache, memo, workers=1)
        chosen_again = len(chose)
        assert (stage.articles, stage.index) == expected(changed), edit
        if edit.startswith(("a full name", "a name made")):
            assert chosen_again > 1, edit  # the fact reached the other texts that name Lukashenko
        elif edit != "ten articles removed":  # a sixth fewer texts moves many shares
            assert 0 < chosen_again < len(changed) / 2, (edit, chosen_again)
        run_keyword_stage(articles, rules, cache, memo, workers=1)  # back to the corpus as it was


def test_the_last_run_in_memory_is_taken_whole_only_when_texts_dates_and_rules_are_the_same(seeds):
    """The preview's path: the very same index object (its shown-only renders rely on it), else the stage runs."""
    articles, rules = seeds
    last = run_keyword_stage(articles, rules, None, None, workers=1)
    summary = tuple(dataclasses.replace(a, summary="Another summary.") if i == 0 else a for i, a in enumerate(articles))
    again = run_keyword_stage(summary, rules, None, None, workers=1, last=last)
    assert again.index is last.index
    assert [a.keywords for a in again.articles] == [a.keywords for a in last.articles]
    assert again.articles[0].summary == "Another summary."
    first = articles[0]
    texts = (dataclasses.replace(first, blocks=first.blocks + (Block("paragraph", ("A new paragraph about Kiev.",)),)),) + articles[1:]
    redone = run_keyword_stage(texts, rules, None, None, workers=1, last=last)
    assert redone.index is not last.index
    assert (redone.articles, redone.index) == staged(texts, rules, None)
    assert run_keyword_stage(articles, rules[1:], None, None, workers=1, last=last).index is not last.index


@pytest.fixture
def bench_sixty(tmp_path):
    from bench.corpus import write_corpus

    corpus = check_corpus(write_corpus(60, tmp_path / "bench"))
    return clean_corpus(corpus).articles, corpus.keyword_rules


def read_texts_recorded(monkeypatch) -> list[str]:
    """Record the texts whose names and words are read (workers=1 keeps the reading in this process)."""
    from publisher.keywords import extract

    read: list[str] = []
    real = extract.read_text_at

    def reading(job, task):
        read.append(job.texts[job.positions[task]])
        return real(job, task)
    monkeypatch.setattr(extract, "read_text_at", reading)
    return read


def test_an_edit_reads_the_texts_it_changed_not_the_corpus(bench_sixty, tmp_path, monkeypatch):
    """The corpus's counts come from the memo, less the old texts (as the cache stored them) and plus the new."""
    articles, rules = bench_sixty
    cache, memo = tmp_path / "keywords.sqlite", tmp_path / "memo.json"
    run_keyword_stage(articles, rules, cache, memo, workers=1)
    read = read_texts_recorded(monkeypatch)
    edited = with_text(articles[4], articles[4].clean_text + " The talks went on.")
    added = dataclasses.replace(with_text(articles[0], articles[0].clean_text + " Viktor Ivanovsky returned."), id="added")
    again = with_text(edited, edited.clean_text + " They ended.")  # texts no run has read
    edits = {
        "a text edited": articles[:4] + (edited,) + articles[5:],
        "an article added": articles + (added,),
        "an article removed": articles[:30] + articles[31:],
        "all three at once": articles[:4] + (again,) + articles[5:30] + articles[31:] + (with_text(added, again.clean_text),),
    }
    for edit, changed in edits.items():
        read.clear()
        stage = run_keyword_stage(changed, rules, cache, memo, workers=1)
        texts_read = list(read)
        assert (stage.articles, stage.index) == from_nothing(changed, rules), edit
        assert len(texts_read) < len(articles) / 4, (edit, len(texts_read))  # the memo's run read all sixty
        assert {a.clean_text for a in changed} - {a.clean_text for a in articles} <= set(texts_read), edit
        run_keyword_stage(articles, rules, cache, memo, workers=1)  # back to the corpus as it was


def test_without_the_old_texts_names_in_the_cache_an_edit_reads_everything_and_gives_the_same(bench_sixty, tmp_path, monkeypatch):
    import sqlite3

    articles, rules = bench_sixty
    cache, memo = tmp_path / "keywords.sqlite", tmp_path / "memo.json"
    run_keyword_stage(articles, rules, cache, memo, workers=1)
    with sqlite3.connect(cache) as connection:
        connection.execute("DELETE FROM readings")
    read = read_texts_recorded(monkeypatch)
    changed = articles[:4] + (with_text(articles[4], articles[4].clean_text + " The talks went on."),) + articles[5:]
    stage = run_keyword_stage(changed, rules, cache, memo, workers=1)
    assert len(read) == len(changed)
    assert (stage.articles, stage.index) == from_nothing(changed, rules)


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_a_text_may_print_every_word_it_gives_keywords_in_every_form(text):
    """may_print's promise, which lets an unchanged text stay unread: no form keywords read of a word
    the text prints (as printed, lowercased, in keyword form) is ruled out."""
    from publisher.keywords.extract import normal_word, text_words
    from publisher.keywords.index import mention_words
    from publisher.keywords.phrases import WORD
    from publisher.keywords.stage import may_print

    printed = WORD.findall(text) + WORD.findall(text.replace("’", "'"))
    forms = set(printed) | {word[:-1] for word in printed if word.endswith("s")}
    forms |= {normal_word(word.lower().replace("’", "'")) for word in printed}
    forms |= set(text_words(text)) | set(mention_words(text)[0])
    for form in forms:
        assert may_print(text, {form}), form
