"""Each text's reading is kept packed in strings while keywords are chosen (keywords/extract.py): it comes back as it went in."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publisher.keywords.extract import TextReading
from publisher.keywords.phrases import TextNames

# What a text can hold: any character but the control characters intake refuses (tab and line end aside).
text = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\t\n"), max_size=12)
tokens = st.lists(text.filter(bool), max_size=4).map(tuple)  # a name's tokens are words: never empty
candidates = st.lists(st.tuples(text, st.floats(allow_nan=False, allow_infinity=False)), max_size=6).map(tuple)
names = st.builds(TextNames,
                  st.lists(st.tuples(tokens, tokens, st.integers(0, 10**6)), max_size=4).map(tuple),
                  st.lists(st.tuples(text, st.integers(0, 10**6), st.integers(0, 10**6)), max_size=4).map(tuple))


@given(candidates, names, text)
def test_a_packed_reading_gives_back_the_candidates_and_names_it_was_made_of(found, named, words):
    reading = TextReading.of(found, named, words)
    assert reading.candidates == found and reading.names == named and reading.words == words
    assert all(type(score) is float for _phrase, score in reading.candidates)
