"""The keyword cache: a rebuild with nothing changed extracts nothing, and a bad entry is never trusted."""
from __future__ import annotations

import dataclasses
import gc
import json
import os
import sqlite3

import pytest
from conftest import REPO

from publisher.keywords import extract as keywords
from publisher.keywords.choose import add_keywords
from publisher.keywords.extract import cache_key, extract_candidates, extract_many, settings_fingerprint
from publisher.model import Article, Block, PartialDate

TEXTS = [
    "Troops gathered at the northern border on Monday, officials said. The border guards counted the troops.",
    "Negotiators met in the capital to discuss the alliance treaty. The alliance treaty obliges both countries.",
    "The railway saboteurs cut the signal cables near Minsk. Railway workers repaired the signal cables overnight.",
]


def make_article(number: int, text: str) -> Article:
    return Article(id=f"a{number}", slug=f"a{number}", title=f"A{number}", outlet="o", date=PartialDate(2023, 1, number),
                   topics=("t",), source_path=f"seeds/a{number}.txt", metadata_path=f"metadata/a{number}.yml",
                   sha256="0" * 64, text=text, blocks=(Block("paragraph", (text,)),))


ARTICLES = tuple(make_article(n, text) for n, text in enumerate(TEXTS, start=1))


@pytest.fixture
def cache(tmp_path):
    return tmp_path / ".cache" / "keywords.sqlite"


def counting(calls: list):
    """An extractor that records the texts it was asked for (workers=1 keeps it in this process)."""
    def extract(text):
        calls.append(text)
        return extract_candidates(text)
    return extract


def stop_at_third(text):
    """An extractor interrupted (Ctrl-C) when it reaches the third text."""
    if text == TEXTS[2]:
        raise KeyboardInterrupt
    return extract_candidates(text)


def test_a_rebuild_with_nothing_changed_extracts_nothing(cache):
    calls = []
    first, stats = add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert sorted(calls) == sorted(TEXTS) and stats.extracted == 3 and stats.cached == 0
    calls.clear()
    second, stats = add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert calls == [] and stats.extracted == 0 and stats.cached == 3
    assert second == first
    assert first == add_keywords(ARTICLES, workers=1)[0]  # the cache never changes the keywords


def test_one_changed_article_re_extracts_only_itself(cache):
    add_keywords(ARTICLES, cache_file=cache, workers=1)
    changed_text = TEXTS[1] + " A new paragraph about the treaty's ratification."
    changed = ARTICLES[:1] + (make_article(2, changed_text),) + ARTICLES[2:]
    calls = []
    result, _ = add_keywords(changed, counting(calls), cache_file=cache, workers=1)
    assert calls == [changed_text]
    assert result == add_keywords(changed, workers=1)[0]


def key_of(text):
    return cache_key(text, settings_fingerprint())


def stored_entry(cache, text):
    with sqlite3.connect(cache) as connection:
        row = connection.execute("SELECT entry FROM entries WHERE key = ?", (key_of(text),)).fetchone()
    connection.close()
    return row[0] if row else None


def damage_entry(cache, text, entry):
    with sqlite3.connect(cache) as connection:
        connection.execute("UPDATE entries SET entry = ? WHERE key = ?", (entry, key_of(text)))
    connection.close()


@pytest.mark.parametrize("damage", [
    "{not json",
    "",
    json.dumps({"key": "0" * 64, "candidates": [["troops", 0.1]]}),  # another entry's content
    json.dumps({"candidates": [["troops", 0.1]]}),
    json.dumps({"key": None, "candidates": "troops"}),
    json.dumps([1, 2, 3]),
])
def test_a_corrupt_entry_is_detected_and_rebuilt(cache, damage):
    expected, _ = add_keywords(ARTICLES, cache_file=cache, workers=1)
    damage_entry(cache, TEXTS[0], damage)
    calls = []
    result, stats = add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert calls == [TEXTS[0]] and stats.rebuilt == 1
    assert result == expected
    assert json.loads(stored_entry(cache, TEXTS[0]))["key"] == key_of(TEXTS[0])


def test_an_entry_with_a_wrong_candidate_shape_is_not_trusted(cache):
    add_keywords(ARTICLES, cache_file=cache, workers=1)
    entry = json.loads(stored_entry(cache, TEXTS[2]))
    entry["candidates"][0] = ["railway", "not a score"]
    damage_entry(cache, TEXTS[2], json.dumps(entry))
    calls = []
    add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert calls == [TEXTS[2]]


@pytest.mark.parametrize("content", [b"not a database at all\n" * 50, b"", b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_cache_file_that_is_not_a_cache_is_replaced(cache, content):
    expected, _ = add_keywords(ARTICLES, workers=1)
    cache.parent.mkdir(parents=True)
    cache.write_bytes(content)
    calls = []
    result, _ = add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert sorted(calls) == sorted(TEXTS) and result == expected
    calls.clear()
    add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert calls == []  # the replacement is a working cache


def test_a_table_of_another_shape_is_replaced(cache):
    cache.parent.mkdir(parents=True)
    with sqlite3.connect(cache) as connection:
        connection.execute("CREATE TABLE entries (name TEXT)")
    connection.close()
    calls = []
    assert add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)[0] == add_keywords(ARTICLES, workers=1)[0]
    assert sorted(calls) == sorted(TEXTS)


def test_a_read_only_cache_is_used_but_never_written(cache):
    calls = []
    add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1, read_only=True)
    assert not cache.exists() and sorted(calls) == sorted(TEXTS)
    add_keywords(ARTICLES[:2], cache_file=cache, workers=1)
    before = cache.read_bytes()
    calls.clear()
    result, _ = add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1, read_only=True)
    assert calls == [TEXTS[2]] and result == add_keywords(ARTICLES, workers=1)[0]
    assert cache.read_bytes() == before


def test_an_interrupted_extraction_keeps_what_it_stored(cache):
    with pytest.raises(KeyboardInterrupt):
        add_keywords(ARTICLES, stop_at_third, cache_file=cache, workers=1)
    calls = []
    add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert calls == [TEXTS[2]]


def test_changing_the_extraction_settings_re_extracts_everything(cache, monkeypatch):
    add_keywords(ARTICLES, cache_file=cache, workers=1)
    monkeypatch.setattr(keywords, "YAKE_SETTINGS", {**keywords.YAKE_SETTINGS, "n": 2})
    calls = []
    add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert sorted(calls) == sorted(TEXTS)


def test_the_same_text_twice_is_extracted_once(cache):
    twin = dataclasses.replace(make_article(9, TEXTS[0]))
    calls = []
    result, _ = add_keywords(ARTICLES + (twin,), counting(calls), cache_file=cache, workers=1)
    assert sorted(calls) == sorted(TEXTS)
    assert result[0].keywords == result[3].keywords


def test_parallel_extraction_gives_the_serial_output():
    texts = [f"{text} Paragraph {n} on the Belarusian border and the alliance." for n in range(24) for text in TEXTS[:1]]
    texts += TEXTS * 4
    assert len(texts) >= keywords.PARALLEL_MIN
    assert extract_many(texts, workers=2) == extract_many(texts, workers=1)


def test_worker_processes_give_the_serial_keywords_and_index_on_the_seeds(cache, monkeypatch, worker_pools):
    """Names, words, choosing and mention counts run in the worker processes too: forced here on the seeds,
    with every text extracted, then every text from the cache."""
    from publisher.keywords.index import index_keywords
    from publisher.pipeline import check_corpus, clean_corpus

    corpus = check_corpus(REPO)
    articles, rules = clean_corpus(corpus).articles, corpus.keyword_rules
    serial, _ = add_keywords(articles, workers=1, rules=rules)
    serial_index = index_keywords(serial, rules, workers=1)
    monkeypatch.setattr(keywords, "PARALLEL_MIN", 1)
    monkeypatch.setattr(keywords, "QUICK_PARALLEL_MIN", 1)
    for expected_extracted in (len(articles), 0):
        parallel, stats = add_keywords(articles, cache_file=cache, workers=2, rules=rules)
        assert stats.extracted == expected_extracted
        assert parallel == serial
        assert index_keywords(parallel, rules, workers=2) == serial_index
    assert worker_pools == [2, 2, 2] * 2  # reading, choosing and counting mentions, twice


def test_the_collector_gets_the_heap_back_after_extraction(cache):
    """Extraction freezes the heap for speed; the live preview rebuilds in one long process, so a freeze
    left behind would keep every old corpus alive."""
    extract_many(TEXTS * 6, workers=2)
    assert gc.get_freeze_count() == 0

    with pytest.raises(KeyboardInterrupt):
        add_keywords(ARTICLES, stop_at_third, cache_file=cache, workers=1)
    assert gc.get_freeze_count() == 0


def make_view(cache):
    with sqlite3.connect(cache) as connection:
        connection.execute("CREATE TABLE other (key TEXT, entry TEXT)")
        connection.execute("CREATE VIEW entries AS SELECT key, entry FROM other")
    connection.close()


def make_trigger(cache):
    with sqlite3.connect(cache) as connection:
        connection.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID")
        connection.execute("CREATE TRIGGER refuse BEFORE INSERT ON entries BEGIN SELECT RAISE(ABORT, 'no'); END")
    connection.close()


def make_folder(cache):
    cache.mkdir()
    (cache / "something").write_text("left by hand\n")


def make_fifo(cache):
    os.mkfifo(cache)


def make_link(cache):
    outside = cache.parent.parent / "outside.sqlite"
    with sqlite3.connect(outside) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    cache.symlink_to(outside)


@pytest.mark.parametrize("break_cache", [make_view, make_trigger, make_folder, make_fifo, make_link])
def test_a_cache_in_any_broken_form_is_replaced_and_never_followed(cache, break_cache):
    cache.parent.mkdir(parents=True)
    break_cache(cache)
    outside = cache.parent.parent / "outside.sqlite"
    before = outside.read_bytes() if outside.exists() else None
    expected, _ = add_keywords(ARTICLES, workers=1)
    assert add_keywords(ARTICLES, cache_file=cache, workers=1, read_only=True)[0] == expected  # `check`: used as no cache
    calls = []
    assert add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)[0] == expected
    assert sorted(calls) == sorted(TEXTS)
    calls.clear()
    add_keywords(ARTICLES, counting(calls), cache_file=cache, workers=1)
    assert calls == [] and cache.is_file() and not cache.is_symlink()  # replaced by a working cache
    assert (outside.read_bytes() if outside.exists() else None) == before


def test_a_cache_that_cannot_be_replaced_is_one_problem(cache):
    from publisher.model import InputError

    cache.parent.write_text("a file where the cache folder goes\n")
    with pytest.raises(InputError) as error:
        add_keywords(ARTICLES, cache_file=cache, workers=1)
    assert [str(p) for p in error.value.problems] == [
        ".cache/keywords.sqlite: is not a usable keyword cache and could not be replaced (File exists): delete it, then build again"]
