"""Keywords: YAKE's candidates, normalised so one idea is one keyword."""
from __future__ import annotations

from publisher.keywords.choose import select_keywords
from publisher.keywords.extract import normalise, singular

STOP = frozenset({"the", "of", "to", "a"})


def labels(candidates, limit=10):
    return [k.label for k in select_keywords([(c, i) for i, c in enumerate(candidates)], STOP, limit)]


def test_plural_and_case_are_one_keyword():
    assert normalise("Global Research Articles") == ("global", "research", "article")
    assert singular("countries") == "country" and singular("news") == "news" and singular("Brussels".lower()) == "brussels"
    assert labels(["Partisans", "partisan"]) == ["Partisans"]


def test_a_phrase_and_its_sub_phrase_are_not_both_kept():
    assert labels(["Global Research", "Global Research articles", "Research", "Minsk"]) == ["Global Research", "Minsk"]


def test_phrases_with_stop_words_or_numbers_are_dropped():
    assert labels(["measures to crack", "the border", "2020 election", "State Border Committee"]) == ["State Border Committee"]


def test_at_most_the_limit_and_best_first():
    assert labels(["Minsk", "Brest", "Gomel", "Grodno"], limit=2) == ["Minsk", "Brest"]


def test_real_corpus_keywords_are_not_furniture(built_site):
    from publisher.pipeline import check_corpus, prepare_corpus

    corpus = prepare_corpus(check_corpus(built_site))
    found = {k.label.lower() for a in corpus.articles for k in a.keywords}
    assert all(len(a.keywords) == 10 for a in corpus.articles)
    for furniture in ("translate website button", "bch abc", "global research articles", "global research", "paypal"):
        assert furniture not in found


SEED_TEXT = (
    "Belarusian President Alexander Lukashenko met the press. Lukashenko said the country's army was ready. "
    "Over the weekend Belarusian dictator Alexander Lukashenko sat with Vladimir Putin, giving Vladimir Putin support. "
    "Putin smiled. Russian troops and Russian tanks and Russian guns moved. An organization called BYPOL says "
    "BYPOL attacks continue, directly involved in sabotage."
)


def shaped(candidates, text=SEED_TEXT):
    from publisher.keywords.extract import stopwords
    from publisher.keywords.phrases import NameBook, find_names

    names = find_names(text, stopwords())
    return [k.label for k in select_keywords([(c, i) for i, c in enumerate(candidates)], stopwords(), names=names,
                                             book=NameBook([names]))]


def test_a_part_of_a_name_becomes_the_whole_name_without_titles():
    assert shaped(["Belarusian President Alexander"]) == ["Alexander Lukashenko"]
    assert shaped(["Alexander Lukashenko sat"]) == ["Alexander Lukashenko"]
    assert shaped(["Belarusian dictator Alexander"]) == ["Alexander Lukashenko"]
    assert shaped(["giving Vladimir Putin"]) == ["Vladimir Putin"]


def test_a_surname_alone_joins_the_full_name():
    assert shaped(["Lukashenko"]) == ["Alexander Lukashenko"]
    assert shaped(["Putin"]) == ["Vladimir Putin"]
    assert shaped(["Lukashenko", "President Alexander Lukashenko", "Lukashenko regime"]) == ["Alexander Lukashenko"]


def test_clause_fragments_and_verbs_are_not_keywords():
    assert shaped(["directly involved", "implementing widespread measures", "country citizens terrorize"]) == []
    assert shaped(["pro-Ukraine guerrillas attempt"]) == []
    # A fragment around a name keeps the name.
    assert shaped(["organization called BYPOL"]) == ["BYPOL"]
    assert shaped(["BYPOL attacks continue"]) == ["BYPOL"]


def test_titles_and_modifiers_alone_are_not_keywords():
    assert shaped(["Ukrainian President", "Russian"]) == []


def test_descriptions_are_not_keywords_but_names_in_them_are():
    # Common words only, a modifier before them, a people, a noun cut from its name: none names a thing.
    assert shaped(["armed forces", "widespread measures", "Russian troops", "Russian tanks", "Russians",
                   "Armed forces", "dictator Alexander"]) == ["Alexander Lukashenko"]
    assert shaped(["press BYPOL", "Over the weekend", "Vladimir Putin support"]) == ["BYPOL", "Vladimir Putin"]


def test_generic_single_words_are_dropped_but_rare_nouns_kept():
    assert shaped(["military", "conflict", "order", "fight", "ceasefire"]) == ["ceasefire"]


def test_day_and_month_names_alone_are_not_keywords():
    assert shaped(["Tuesday", "March", "September", "Warsaw"]) == ["Warsaw"]


def test_a_noun_phrase_with_a_participle_reads_as_one():
    from publisher.keywords.phrases import is_noun_phrase

    assert is_noun_phrase(("armed", "forces")) and not is_noun_phrase(("forces", "armed"))


def test_seed_keywords_are_names_and_noun_phrases(built_site):
    from publisher.pipeline import check_corpus, prepare_corpus

    corpus = prepare_corpus(check_corpus(built_site))
    found = {k.label for a in corpus.articles for k in a.keywords}
    assert {"Alexander Lukashenko", "Vladimir Putin", "Russia", "Ukraine", "Belarus", "Kyiv"} <= found
    for fragment in ("Alexander Lukashenko sat", "Belarusian dictator Alexander", "Belarusian President Alexander",
                     "Ukrainian President", "fight", "order", "military", "conflict", "Russian", "Kiev",
                     "organization called BYPOL", "directly involved", "Ukraine began"):
        assert fragment not in found
    pages = {e.keyword.slug: e for e in corpus.keyword_index}
    assert len(pages["alexander-lukashenko"].mentions) == 4
    assert len(pages["russia"].mentions) == 5
    assert not any(slug.startswith("lukashenko") or slug.endswith("-alexander") for slug in pages)


def test_a_candidate_the_text_does_not_print_is_dropped():
    from publisher.keywords.extract import stopwords

    text = "Belarus gives Russia its land, and the country's citizens terrorize the Supply Lines Command."
    assert [k.label for k in select_keywords([("country citizens", 0), ("Supply Lines Command", 1)], stopwords(), text=text)] \
        == ["Supply Lines Command"]
