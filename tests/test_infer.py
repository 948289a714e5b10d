"""Each inference rule of `add`, on realistic page texts (tests/fixtures/pages/) and on the real seeds."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from publisher.intake.infer import find_outlet, find_title, infer_fields, parse_printed_date
from publisher.intake.load import load_project
from publisher.intake.validate import validate_project

REPO = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
TODAY = datetime.date(2026, 1, 1)


@pytest.fixture(scope="module")
def registry():
    corpus, problems = validate_project(load_project(REPO), TODAY)
    assert problems == []
    return corpus


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def infer(name: str, registry, **options):
    return infer_fields(page(name), registry.outlets, registry.general_rules, TODAY, **options)


def test_title_is_the_headline_not_the_furniture_above_it(registry):
    found = infer("southfront_donations_first.txt", registry)
    assert found.title.value == "Minsk Moves Air Defence Units Closer to the Southern Border"
    assert found.title.line == 5


def test_title_skips_the_outlets_name_printed_above_it(registry):
    found = infer("limitedtimes_dateline.txt", registry)
    assert found.title.value == "Exiled Belarusians Open a Second Aid Centre in Warsaw Israel today"
    assert found.title.line == 3


def test_title_skips_breadcrumbs(registry):
    assert infer("blog_by_line_month_name.txt", registry).title.value == "Belarus Holds Snap Military Drills Near Polish Border"


def test_title_skips_a_menu_whose_items_only_spaces_keep_apart(registry):
    text = "Home  World  Europe\n\nBelarus opens new border crossing with Poland\n\nBy Anna Kowalska\n"
    assert find_title(text, registry.outlets, registry.general_rules, TODAY).value == "Belarus opens new border crossing with Poland"
    headline = "Home Secretary Visits Minsk Border Post\n\nThe text.\n"  # one space apart: a headline, not a menu
    assert find_title(headline, registry.outlets, registry.general_rules, TODAY).value == "Home Secretary Visits Minsk Border Post"


def test_no_title_when_running_text_comes_first(registry):
    text = ("Belarusian border guards reported on Monday that the number of crossings had doubled since the "
            "start of the month, and that more staff would be sent to the southern checkpoints this week.\n\n"
            "Short Line Without Much Else\n")
    assert find_title(text, registry.outlets, registry.general_rules, TODAY) is None


def test_outlet_from_its_furniture_markers_and_name(registry):
    found = infer("southfront_donations_first.txt", registry).outlet
    assert found.value == "southfront"
    assert found.reason.startswith("line 1 matches its marker ")


def test_outlet_from_its_name_alone(registry):
    text = "Belarus Extends Its Army Exercises\n\nThe exercises will last another month.\n\nThis article was originally published on Global Research.\n"
    found = find_outlet(text, registry.outlets)
    assert (found.value, found.line, found.reason) == ("globalresearch", 5, "its name 'Global Research' is on line 5")


def test_outlet_from_its_byline_block(registry):
    assert infer("zerohedge_byline_at_end.txt", registry).outlet.value == "zerohedge"


def test_outlet_from_the_url_host_beats_markers(registry):
    found = find_outlet(page("limitedtimes_dateline.txt"), registry.outlets, url="https://www.zerohedge.com/geopolitical/x")
    assert (found.value, found.reason.split(";")[0]) == ("zerohedge", "the URL is on zerohedge.com")


def test_no_outlet_when_the_text_shows_none(registry):
    assert infer("unknown_outlet_iso.txt", registry).outlet is None


def test_no_outlet_on_a_tie(registry):
    text = "Some Headline About Belarus Today\n\nThe Limited Times and Global Research both covered it.\n"
    assert find_outlet(text, registry.outlets) is None


def test_date_with_slashes_and_a_time(registry):
    found = infer("limitedtimes_dateline.txt", registry).date
    assert (found.value, found.line) == ("2022-11-05", 5)
    assert found.reason == "line 5 reads '11/5/2022, 6:02:17 PM' (read as month/day/year, as US pages print it)"


def test_date_with_weekday_and_dash(registry):
    found = infer("zerohedge_byline_at_end.txt", registry).date
    assert (found.value, found.line, found.reason) == ("2023-02-16", 10, "line 10 reads 'Thu, 02/16/2023 - 21:40'")


def test_date_with_month_name_after_a_byline(registry):
    assert infer("blog_by_line_month_name.txt", registry).date.value == "2022-10-10"


def test_date_iso_with_a_label(registry):
    assert infer("unknown_outlet_iso.txt", registry).date.value == "2021-06-14"


@pytest.mark.parametrize("line, iso", [
    ("3/19/2022, 9:44:29 PM", "2022-03-19"),
    ("Sun, 03/19/2023 - 13:00", "2023-03-19"),
    ("Sun, 03/19/2023 – 13:00", "2023-03-19"),
    ("October 10, 2022", "2022-10-10"),
    ("Oct. 10, 2022 at 9:44 a.m. EDT", "2022-10-10"),
    ("Monday, October 10th, 2022", "2022-10-10"),
    ("10 October 2022", "2022-10-10"),
    ("2022-10-10", "2022-10-10"),
    ("2022-10-10T13:00:00+03:00", "2022-10-10"),
    ("19.03.2023 13:00", "2023-03-19"),
    ("19/03/2023", "2023-03-19"),
    ("Updated: March 2023", "2023-03"),
])
def test_printed_date_forms(line, iso):
    date, _ = parse_printed_date(line, TODAY)
    assert date.iso == iso


@pytest.mark.parametrize("line", ["2/30/2022", "March 3, 2031", "On October 10, 2022 the council met", "1/2/1750"])
def test_not_a_dateline(line):
    assert parse_printed_date(line, TODAY) is None


def test_byline_by_names(registry):
    found = infer("blog_by_line_month_name.txt", registry).authors
    assert (found.value, found.line) == (("Anna Novak", "Piotr Zielinski"), 5)


def test_byline_name_beside_the_dateline(registry):
    found = infer("zerohedge_byline_at_end.txt", registry).authors
    assert found.value == ("Tyler Durden",)
    assert found.reason == "line 9 names 'Tyler Durden' beside the dateline on line 10"


def test_byline_from_the_authors_note_at_the_end(registry):
    found = infer("globalresearch_author_note.txt", registry).authors
    assert (found.value, found.line) == (("Maria Kovalenko",), 17)


def test_no_byline_when_none_is_printed(registry):
    assert infer("southfront_donations_first.txt", registry).authors is None


SEED_EXPECTED = {
    # id: (outlet, title as printed, date printed in the text or None)
    "000_ece0d557dbdc8653": ("southfront", "Lukashenko & Zelensky Forging Ukrainian-Belarusian Front Against Russia", None),
    "001_4411e158f26d3872": ("globalresearch", "Kiev Regime Worsening Tensions by Sending Troops to Belarussian Border", None),
    "002_a83c688eb481b20a": ("limitedtimes", "Belarusian Front: Lukashenko with Putin, Belarus - Ukraine Israel today", "2022-03-19"),
    "003_f5749907f425ad4f": ("zerohedge", "Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand", "2023-03-19"),
    "004_b81497d0bf113f54": ("express", "Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'", None),
}


@pytest.mark.parametrize("seed_id", sorted(SEED_EXPECTED))
def test_real_seeds_agree_with_their_reviewed_metadata(seed_id, registry):
    """The five real scrapes: what the text prints is read as the reviewed metadata records it."""
    text = (REPO / "seeds" / f"{seed_id}.txt").read_text(encoding="utf-8")
    found = infer_fields(text, registry.outlets, registry.general_rules, TODAY)
    outlet, title, date = SEED_EXPECTED[seed_id]
    article = next(a for a in registry.articles if a.id == seed_id)
    assert found.outlet.value == outlet == article.outlet
    assert found.title.value == title and found.title.value.startswith(article.title)
    assert (found.date.value if found.date else None) == date
    if date:
        assert date == article.date.iso
    if found.authors:
        assert found.authors.value == article.authors
