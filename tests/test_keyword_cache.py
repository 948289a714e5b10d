"""The keyword cache: a rebuild with nothing changed extracts nothing, and a bad entry is never trusted."""
from __future__ import annotations

import dataclasses
import json

import pytest

from publisher import keywords
from publisher.keywords import (add_keywords, add_keywords_with_stats, cache_key, cache_path, extract_candidates,
                                extract_many, settings_fingerprint)
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


def counting(calls: list):
    """An extractor that records the texts it was asked for (workers=1 keeps it in this process)."""
    def extract(text):
        calls.append(text)
        return extract_candidates(text)
    return extract


def test_a_rebuild_with_nothing_changed_extracts_nothing(tmp_path):
    calls = []
    first, stats = add_keywords_with_stats(ARTICLES, counting(calls), cache_dir=tmp_path, workers=1)
    assert sorted(calls) == sorted(TEXTS) and stats.extracted == 3 and stats.cached == 0
    calls.clear()
    second, stats = add_keywords_with_stats(ARTICLES, counting(calls), cache_dir=tmp_path, workers=1)
    assert calls == [] and stats.extracted == 0 and stats.cached == 3
    assert second == first
    assert first == add_keywords(ARTICLES, workers=1)  # the cache never changes the keywords


def test_one_changed_article_re_extracts_only_itself(tmp_path):
    add_keywords(ARTICLES, cache_dir=tmp_path, workers=1)
    changed_text = TEXTS[1] + " A new paragraph about the treaty's ratification."
    changed = ARTICLES[:1] + (make_article(2, changed_text),) + ARTICLES[2:]
    calls = []
    result = add_keywords(changed, counting(calls), cache_dir=tmp_path, workers=1)
    assert calls == [changed_text]
    assert result == add_keywords(changed, workers=1)


def entry_file(tmp_path, text):
    return cache_path(tmp_path, cache_key(text, settings_fingerprint()))


@pytest.mark.parametrize("damage", [
    b"{not json",
    b"",
    b"\xff\xfe",
    json.dumps({"key": "0" * 64, "candidates": [["troops", 0.1]]}).encode(),  # another entry's content
    json.dumps({"candidates": [["troops", 0.1]]}).encode(),
    json.dumps({"key": None, "candidates": "troops"}).encode(),
    json.dumps([1, 2, 3]).encode(),
])
def test_a_corrupt_entry_is_detected_and_rebuilt(tmp_path, damage):
    expected = add_keywords(ARTICLES, cache_dir=tmp_path, workers=1)
    path = entry_file(tmp_path, TEXTS[0])
    path.write_bytes(damage)
    calls = []
    result, stats = add_keywords_with_stats(ARTICLES, counting(calls), cache_dir=tmp_path, workers=1)
    assert calls == [TEXTS[0]] and stats.rebuilt == 1
    assert result == expected
    assert json.loads(path.read_bytes())["key"] == cache_key(TEXTS[0], settings_fingerprint())


def test_an_entry_with_a_wrong_candidate_shape_is_not_trusted(tmp_path):
    add_keywords(ARTICLES, cache_dir=tmp_path, workers=1)
    path = entry_file(tmp_path, TEXTS[2])
    entry = json.loads(path.read_bytes())
    entry["candidates"][0] = ["railway", "not a score"]
    path.write_text(json.dumps(entry))
    calls = []
    add_keywords(ARTICLES, counting(calls), cache_dir=tmp_path, workers=1)
    assert calls == [TEXTS[2]]


def test_changing_the_extraction_settings_re_extracts_everything(tmp_path, monkeypatch):
    add_keywords(ARTICLES, cache_dir=tmp_path, workers=1)
    monkeypatch.setattr(keywords, "YAKE_SETTINGS", {**keywords.YAKE_SETTINGS, "n": 2})
    calls = []
    add_keywords(ARTICLES, counting(calls), cache_dir=tmp_path, workers=1)
    assert sorted(calls) == sorted(TEXTS)


def test_the_same_text_twice_is_extracted_once(tmp_path):
    twin = dataclasses.replace(make_article(9, TEXTS[0]))
    calls = []
    result = add_keywords(ARTICLES + (twin,), counting(calls), cache_dir=tmp_path, workers=1)
    assert sorted(calls) == sorted(TEXTS)
    assert result[0].keywords == result[3].keywords


def test_parallel_extraction_gives_the_serial_output():
    texts = [f"{text} Paragraph {n} on the Belarusian border and the alliance." for n in range(24) for text in TEXTS[:1]]
    texts += TEXTS * 4
    assert len(texts) >= keywords.PARALLEL_MIN
    assert extract_many(texts, workers=2) == extract_many(texts, workers=1)
