"""Cleaning: furniture hidden by data-driven markers, the article's words untouched."""
from __future__ import annotations

from publisher.clean import classify_blocks
from publisher.text import split_blocks
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
