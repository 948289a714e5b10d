"""Keywords: YAKE's candidates, normalised so one idea is one keyword."""
from __future__ import annotations

from publisher.keywords import normalise, select_keywords, singular

STOP = frozenset({"the", "of", "to", "a"})


def labels(candidates, limit=10):
    return [k.label for k in select_keywords([(c, i) for i, c in enumerate(candidates)], STOP, limit)]


def test_plural_and_case_are_one_keyword():
    assert normalise("Global Research Articles") == ("global", "research", "article")
    assert singular("countries") == "country" and singular("news") == "news" and singular("Brussels".lower()) == "brussels"
    assert labels(["Sanctions", "sanction"]) == ["Sanctions"]


def test_a_phrase_and_its_sub_phrase_are_not_both_kept():
    assert labels(["Global Research", "Global Research articles", "Research", "Minsk"]) == ["Global Research", "Minsk"]


def test_phrases_with_stop_words_or_numbers_are_dropped():
    assert labels(["measures to crack", "the border", "2020 election", "border guards"]) == ["border guards"]


def test_at_most_the_limit_and_best_first():
    assert labels(["one", "two", "three", "four"], limit=2) == ["one", "two"]


def test_real_corpus_keywords_are_not_furniture(built_site):
    from publisher.pipeline import check_corpus, prepare_corpus

    corpus = prepare_corpus(check_corpus(built_site))
    found = {k.label.lower() for a in corpus.articles for k in a.keywords}
    assert all(len(a.keywords) == 10 for a in corpus.articles)
    for furniture in ("translate website button", "bch abc", "global research articles", "global research", "paypal"):
        assert furniture not in found
