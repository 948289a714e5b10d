"""Cleaning: furniture hidden by data-driven markers, the article's words untouched."""
from __future__ import annotations

import datetime

import pytest

from conftest import REPO
from publisher.intake.clean import classify_blocks
from publisher.intake.load import load_project
from publisher.intake.validate import validate_project
from publisher.intake.text import MarkerTimeout, split_blocks
from publisher.model import FurnitureRules

RULES = FurnitureRules(furniture=(r"^Support us$", r"^BTC: "), trailer=(r"^Leave a Reply$",), header=(r"^\*\*\*$",))


@pytest.fixture(scope="module")
def general_rules():
    """The bundled metadata/furniture.yml's markers, as the build reads them."""
    return validate_project(load_project(REPO), datetime.date(2026, 1, 1))[0].general_rules


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


def test_labelled_byline_and_date_are_hidden_as_the_byline():
    text = "By Anna Kowalska\nPublished: 2024-03-12\n\nBody by Anna Kowalska."
    blocks = classify_blocks(split_blocks(text), "The Headline", ("Anna Kowalska",), FurnitureRules())
    assert [(b.kind, b.reason) for b in blocks] == [("furniture", "byline or dateline, shown in the article's details"),
                                                   ("paragraph", "")]


@pytest.mark.parametrize("byline", ["Authored by Tyler Durden\nFirst published on 3rd March 2023",
                                    "Reported by Tyler Durden\nMarch 3, 2023 | 10:15 am EST",
                                    "Words by Tyler Durden\nDate: 03.03.2023"])
def test_a_byline_and_dateline_add_would_read_are_hidden_by_cleaning_too(byline):
    """One home for how pages print them (intake/datelines.py): what `add` infers the author and date from, cleaning hides."""
    blocks = classify_blocks(split_blocks(f"{byline}\n\nBody by Tyler Durden."), "The Headline", ("Tyler Durden",), FurnitureRules())
    assert [(b.kind, b.reason) for b in blocks] == [("furniture", "byline or dateline, shown in the article's details"),
                                                   ("paragraph", "")]


@pytest.mark.parametrize("line", ["Home  World  Europe", "Home » World » Europe", "Share this article on Facebook | Twitter",
                                  "Support independent journalism: donate today."])
def test_the_general_markers_hide_menus_share_and_support_prompts(line, general_rules):
    assert kinds(f"{line}\n\nBody of the article.", rules=general_rules) == [("furniture", (line,)), ("paragraph", ("Body of the article.",))]


def test_a_headline_starting_with_home_is_no_menu(general_rules):
    assert kinds("Body.\n\nHome Office figures show a rise in crossings this year.", rules=general_rules)[1][0] == "paragraph"


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
    from publisher.intake.load import parse_yaml
    from publisher.intake.validate import slow_marker_problem

    furniture = parse_yaml("furniture:\n  - '^READ MORE: '\n  - '^(a|aa)+$'\n", "metadata/furniture.yml")
    outlets = parse_yaml("planet:\n  name: Planet\n  trailer:\n    - '^(b|bb)+$'\n", "metadata/outlets.yml")
    assert str(slow_marker_problem([furniture, outlets], "^(b|bb)+$", "seeds/x.txt")) == (
        "metadata/outlets.yml:4: planet.trailer: marker '^(b|bb)+$' ran longer than 1 s on one block of seeds/x.txt: "
        "it backtracks without end; write it without a repetition inside a repetition, such as (a|aa)+")
    assert str(slow_marker_problem([furniture, outlets], "^(a|aa)+$", "seeds/x.txt")).startswith(
        "metadata/furniture.yml:3: furniture: marker '^(a|aa)+$' ran longer")


@pytest.mark.parametrize("line", [
    'Russian and Belarusian soldiers in joint operation "Zapad-2021" held last September, Photo: Reuters',
    "Troops at the border near Brest (Image: Getty Images)",
    "Photo: AP",
    "Documentation from Ukraine: Armored battles near the center of Mariupol",
    "Read also: Belarus closes its border crossings",
])
def test_captions_credits_and_teasers_are_furniture_for_every_outlet(line, general_rules):
    assert kinds(f"Body of the article.\n\n{line}\n\nMore of the article.", rules=general_rules) == [
        ("paragraph", ("Body of the article.",)), ("furniture", (line,)), ("paragraph", ("More of the article.",))]


@pytest.mark.parametrize("line", [
    "The ambassador returned to Minsk",  # a subheading
    "The photo: a crowd outside the embassy, which the police dispersed.",
    "Read also: the ministry says the border will close on Friday.",  # a sentence, not a headline
    "He was credited: Reuters said the photo was taken on Monday.",
    "Photo: the crowd outside the embassy\nwas dispersed by the police",  # two lines: not a caption
    "The crowd outside the embassy was dispersed by the police.\nPhoto: AP",  # nor this: a sentence would go with it
])
def test_prose_that_looks_like_a_caption_or_teaser_is_kept(line, general_rules):
    assert kinds(f"Body of the article.\n\n{line}", rules=general_rules)[1][0] == "paragraph"


LEAD_IN = "A sniper kills a gunman involved in the hostage incident in Ukraine’s Poltava:"


def test_the_lead_in_of_an_embedded_item_is_furniture_when_the_article_resumes_after_it():
    blocks = classify_blocks(split_blocks(f"Body.\n\n{LEAD_IN}\n\nNonetheless, the article goes on."), "The Headline", (), RULES)
    assert [(b.kind, b.reason) for b in blocks] == [
        ("paragraph", ""), ("furniture", "lead-in of an item the page embedded, not in the text"), ("paragraph", "")]


@pytest.mark.parametrize("text", [
    f"Body.\n\n{LEAD_IN}",  # the last block: what follows is unknown
    f"Body.\n\n{LEAD_IN}\n\nThe video shows the gunman on a roof.",  # may be what the colon announces
    "Body.\n\nLast month, President Alexander Lukashenko warned that:\n\nNonetheless, he would not fight.",  # a quote left out
    "Body.\n\nSpiegler remembers one incident a few years ago:\n\nIt was a cold night in March.",
    "Body.\n\nThe agreement, signed last week, covers three points and a deadline:\n\n• Troops withdraw.",
])
def test_a_line_ending_with_a_colon_is_kept_when_it_may_introduce_what_follows(text):
    assert "furniture" not in [kind for kind, _ in kinds(text)]
