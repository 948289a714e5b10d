"""Cleaning: furniture hidden by data-driven markers, the article's words untouched."""
from __future__ import annotations

import pytest

from publisher.clean import classify_blocks
from publisher.text import MarkerTimeout, split_blocks
from publisher.model import FurnitureRules

RULES = FurnitureRules(furniture=(r"^Support us$", r"^BTC: "), trailer=(r"^Leave a Reply$",), header=(r"^\*\*\*$",))


def kinds(text, title="The Headline", authors=(), rules=RULES):
    return [(b.kind, b.lines) for b in classify_blocks(split_blocks(text), title, authors, rules)]


def test_blocks_split_on_blank_and_whitespace_only_lines():
    assert split_blocks("a\nb\n\n \t\nc\n\n\n") == [("a", "b"), ("c",)]


def test_marked_blocks_are_furniture_and_the_rest_keeps_its_words():
    text = "Support us\n\nFirst paragraph, as written.\n\nBTC:\u00a03Gbs4rj\n\nSecond paragraph."
    assert kinds(text) == [
        ("furniture", ("Support us",)),
        ("paragraph", ("First paragraph, as written.",)),
        ("furniture", ("BTC:\u00a03Gbs4rj",)),
        ("paragraph", ("Second paragraph.",)),
    ]


def test_header_hides_everything_before_it_and_trailer_everything_after():
    text = "Banner\n\n***\n\nBody.\n\nLeave a Reply\n\nUnrelated headline"
    assert [k for k, _ in kinds(text)] == ["furniture", "furniture", "paragraph", "furniture", "furniture"]


def test_headline_and_byline_are_shown_elsewhere_so_hidden_here():
    text = "THE HEADLINE\n\n3/19/2022, 9:44:29 PM\n\nBody.\n\nJane Doe\nSun, 03/19/2023 – 13:00"
    blocks = classify_blocks(split_blocks(text), "The Headline", ("Jane Doe",), FurnitureRules())
    assert [(b.kind, b.reason) for b in blocks] == [
        ("furniture", "headline, shown as the page title"),
        ("furniture", "byline or dateline, shown in the article's details"),
        ("paragraph", ""),
        ("furniture", "byline or dateline, shown in the article's details"),
    ]


def test_bulleted_lines_stay_a_list():
    assert kinds("  • one\n  • two\n\nNot a list") == [("list", ("  • one", "  • two")), ("paragraph", ("Not a list",))]


def test_real_seeds_keep_every_word_outside_hidden_blocks(built_site):
    from publisher.pipeline import check_corpus, prepare_corpus

    for article in prepare_corpus(check_corpus(built_site)).articles:
        rebuilt = "\n\n".join("\n".join(b.lines) for b in article.blocks)
        assert rebuilt.split() == article.text.split()  # nothing dropped, changed or reordered


def test_a_nested_quantifier_that_backtracks_in_re_finishes_at_once():
    # ^(a+)+$ runs for minutes in Python's re on this line; the regex module sees through it
    rules = FurnitureRules(furniture=(r"^(a+)+$",))
    assert kinds("Headline\n\n" + "a" * 40 + "!\n", rules=rules)[-1] == ("paragraph", ("a" * 40 + "!",))


@pytest.mark.parametrize("field", ["furniture", "header", "trailer"])
def test_a_marker_that_backtracks_without_end_is_stopped_and_named(field):
    rules = FurnitureRules(**{field: (r"^Support us$", r"^(a|aa)+$")})
    with pytest.raises(MarkerTimeout) as error:
        kinds("Headline\n\nSome words.\n\n" + "a" * 40 + "!\n\nMore words.\n", rules=rules)
    assert error.value.pattern == r"^(a|aa)+$"


def test_a_slow_marker_is_named_with_its_file_line_and_the_seed():
    from publisher.load import parse_yaml
    from publisher.validate import slow_marker_problem

    furniture = parse_yaml("furniture:\n  - '^READ MORE: '\n  - '^(a|aa)+$'\n", "metadata/furniture.yml")
    outlets = parse_yaml("planet:\n  name: Planet\n  trailer:\n    - '^(b|bb)+$'\n", "metadata/outlets.yml")
    assert str(slow_marker_problem([furniture, outlets], "^(b|bb)+$", "seeds/x.txt")) == (
        "metadata/outlets.yml:4: planet.trailer: marker '^(b|bb)+$' ran longer than 1 s on one block of seeds/x.txt: "
        "it backtracks without end; write it without a repetition inside a repetition, such as (a|aa)+")
    assert str(slow_marker_problem([furniture, outlets], "^(a|aa)+$", "seeds/x.txt")).startswith(
        "metadata/furniture.yml:3: furniture: marker '^(a|aa)+$' ran longer")
