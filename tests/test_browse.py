"""The Browse page: a reader narrows the archive by facets in real Chromium, hosted and from disk."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ALPHA_YML
from publisher.pages.browse import DATA_GLOBAL, dump_script_json
from publisher.pipeline import build_site
from publisher.website.mkdocs_build import build_with_mkdocs

# U+2028 in a title is refused by validation; its escaping in the data script is tested without a build.
HOSTILE_TITLE = '</script><img src=x onerror="document.title=1"> Troops Gather <!-- & -->'


def read_browse_data(site_src: Path) -> dict:
    text = (site_src / "assets" / "browse-data.js").read_text(encoding="utf-8")
    return json.loads(text.split(f"window.{DATA_GLOBAL} = ", 1)[1].rstrip().rstrip(";"))


def test_script_json_cannot_close_the_script_or_break_a_string():
    value = {"title": "</script><!-- \u2028\u2029 & 'x'"}
    text = dump_script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_data_lists_every_article_newest_first_with_its_facets(built_site):
    data = read_browse_data(built_site / "site_src")
    assert [a["date"] for a in data["articles"]] == ["2024-07", "2023-03-19", "2022-10", "2022-03-19", "2020-08"]
    zerohedge = data["articles"][1]
    assert zerohedge["path"] == "articles/belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand"
    assert zerohedge["outlet"] == "zerohedge" and zerohedge["year"] == "2023" and zerohedge["month"] == "2023-03"
    assert data["labels"]["month"]["2023-03"] == "March 2023"
    assert "belarusian-opposition" in zerohedge["topics"]
    assert data["labels"]["outlet"]["zerohedge"] == "ZeroHedge"


def counts(page, facet: str) -> dict[str, str]:
    """{label: count} of one facet's checkboxes as the reader sees them."""
    found = {}
    for label in page.locator(f'fieldset[data-facet="{facet}"] label').all():
        text = label.inner_text().strip()
        name, count = re.fullmatch(r"(.+) \((\d+)\)", text).groups()
        found[name] = count
    return found


def titles(page) -> list[str]:
    return [t.strip() for t in page.locator("#browse-results li a").all_inner_texts()]


def narrow_to_express_on_the_alliance_in_2022(page):
    """The reader's walk: a year, then an outlet, then a topic; the list and counts follow each step."""
    expect(page.locator("#browse-status")).to_have_text("5 of 5 articles")
    assert counts(page, "outlet") == {"Daily Express": "1", "Global Research": "1", "SouthFront": "1",
                                      "The Limited Times": "1", "ZeroHedge": "1"}
    page.get_by_label("2022").check()
    expect(page.locator("#browse-status")).to_have_text("2 of 5 articles")
    assert counts(page, "outlet") == {"Daily Express": "1", "Global Research": "0", "SouthFront": "0",
                                      "The Limited Times": "1", "ZeroHedge": "0"}
    assert counts(page, "year") == {"2024": "1", "2023": "1", "2022": "2", "2020": "1"}
    page.get_by_label("Daily Express").check()
    expect(page.locator("#browse-status")).to_have_text("1 of 5 articles")
    assert counts(page, "topic")["Russia-Belarus alliance"] == "1"
    assert counts(page, "topic")["Belarus 2020 presidential election"] == "0"
    page.get_by_label("Russia-Belarus alliance").check()
    expect(page.locator("#browse-status")).to_have_text("1 of 5 articles")
    assert titles(page) == ["Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'"]
    assert "· Daily Express · October 2022" in page.locator("#browse-results li").first.inner_text()


def expect_restored_view(page):
    expect(page.locator("#browse-status")).to_have_text("1 of 5 articles")
    expect(page.get_by_label("2022")).to_be_checked()
    expect(page.get_by_label("Daily Express")).to_be_checked()
    expect(page.get_by_label("Russia-Belarus alliance")).to_be_checked()
    expect(page.get_by_label("ZeroHedge")).not_to_be_checked()
    assert titles(page) == ["Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'"]


def test_reader_narrows_to_one_outlet_and_topic_in_a_year_and_shares_the_url(built_site, serve_dir, page, browser):
    base = serve_dir(built_site / "site")
    page.goto(base + "/")
    page.get_by_role("link", name="Browse").first.click()
    narrow_to_express_on_the_alliance_in_2022(page)
    shared = page.url
    assert re.search(r"/browse/\?", shared)
    assert set(re.split(r"[?&]", shared.split("?", 1)[1])) == {"outlet=express", "topic=russia-belarus-alliance", "year=2022"}

    fresh = browser.new_context().new_page()
    try:
        fresh.goto(shared)
        expect_restored_view(fresh)
        fresh.get_by_role("link", name=re.compile("Lukashenko mobilising troops")).click()
        expect(fresh).to_have_url(base + "/articles/lukashenko-mobilising-troops-could-spell-disaster-for-putin-epic-fail/")
        expect(fresh.locator("h1")).to_have_text("Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'")
    finally:
        fresh.context.close()


def test_the_same_works_from_disk_without_directory_urls(built_site, tmp_path, page, browser):
    site = tmp_path / "offline"
    build_with_mkdocs(built_site / "mkdocs.yml", built_site / "site_src", site, use_directory_urls=False)
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Browse").first.click()
    expect(page).to_have_url((site / "browse.html").as_uri())
    narrow_to_express_on_the_alliance_in_2022(page)
    shared = page.url
    assert shared.startswith((site / "browse.html").as_uri() + "?")

    fresh = browser.new_context().new_page()
    try:
        fresh.goto(shared)
        expect_restored_view(fresh)
        fresh.get_by_role("link", name=re.compile("Lukashenko mobilising troops")).click()
        target = site / "articles" / "lukashenko-mobilising-troops-could-spell-disaster-for-putin-epic-fail.html"
        expect(fresh).to_have_url(target.as_uri())
        expect(fresh.locator("h1")).to_have_text("Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'")
    finally:
        fresh.context.close()


def test_title_words_keyword_and_sort_combine_with_the_keyboard(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    page.goto(base + "/browse/")
    expect(page.locator("#browse-status")).to_have_text("5 of 5 articles")
    page.get_by_label("Words in the title").focus()
    page.keyboard.type("lukashenko")
    expect(page.locator("#browse-status")).to_have_text("3 of 5 articles")
    assert titles(page) == ["Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'",
                            "Belarusian Front: Lukashenko with Putin, Belarus - Ukraine",
                            "Lukashenko & Zelensky Forging Ukrainian-Belarusian Front Against Russia"]
    page.get_by_label("Sort").select_option("title")
    assert titles(page) == ["Belarusian Front: Lukashenko with Putin, Belarus - Ukraine",
                            "Lukashenko & Zelensky Forging Ukrainian-Belarusian Front Against Russia",
                            "Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'"]
    page.get_by_label("Sort").select_option("oldest")
    assert titles(page)[0] == "Lukashenko & Zelensky Forging Ukrainian-Belarusian Front Against Russia"
    page.get_by_label("Sort").select_option("title")
    page.get_by_label("SouthFront").focus()
    page.keyboard.press("Space")
    expect(page.locator("#browse-status")).to_have_text("1 of 5 articles")
    assert "q=lukashenko" in page.url and "sort=title" in page.url and "outlet=southfront" in page.url
    page.get_by_role("button", name="Clear all filters").press("Enter")
    expect(page.locator("#browse-status")).to_have_text("5 of 5 articles")
    assert "?" not in page.url

    keyword = page.get_by_label("Keyword")
    expect(keyword.locator('option[value="crimean-bridge"]')).to_have_text("Crimean Bridge (1)")
    expect(keyword.locator('option[value="alexander-lukashenko"]')).to_have_text("Alexander Lukashenko (4)")
    page.get_by_label("SouthFront").check()
    expect(keyword.locator('option[value="crimean-bridge"]')).to_have_text("Crimean Bridge (0)")
    expect(keyword.locator('option[value="alexander-lukashenko"]')).to_have_text("Alexander Lukashenko (1)")
    keyword.select_option("alexander-lukashenko")
    expect(page.locator("#browse-status")).to_have_text("1 of 5 articles")
    assert counts(page, "outlet")["Daily Express"] == "1"  # what ticking it as well would add
    assert "keyword=alexander-lukashenko" in page.url
    # One keyword at a time: each option counts what choosing it instead would show.
    expect(keyword.locator('option[value="crimean-bridge"]')).to_have_text("Crimean Bridge (0)")


def test_month_narrows_within_a_year(built_site, serve_dir, page):
    page.goto(serve_dir(built_site / "site") + "/browse/?year=2022")
    expect(page.locator("#browse-status")).to_have_text("2 of 5 articles")
    month = page.get_by_label("Month")
    assert month.locator("option").all_inner_texts() == [
        "Any month", "July 2024 (0)", "March 2023 (0)", "October 2022 (1)", "March 2022 (1)", "August 2020 (0)"]
    month.select_option("2022-03")
    expect(page.locator("#browse-status")).to_have_text("1 of 5 articles")
    assert titles(page) == ["Belarusian Front: Lukashenko with Putin, Belarus - Ukraine"]
    assert counts(page, "year") == {"2024": "0", "2023": "0", "2022": "1", "2020": "0"}
    assert page.url.endswith("/browse/?year=2022&month=2022-03")


def test_unknown_values_in_a_shared_url_are_ignored(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    page.goto(base + "/browse/?outlet=nowhere&outlet=zerohedge&sort=sideways&keyword=%3Cscript%3E&month=2023-13")
    expect(page.locator("#browse-status")).to_have_text("1 of 5 articles")
    expect(page.get_by_label("Sort")).to_have_value("newest")
    expect(page.get_by_label("Keyword")).to_have_value("")
    expect(page.get_by_label("Month")).to_have_value("")
    assert page.url.endswith("/browse/?outlet=zerohedge")


@pytest.fixture
def hostile_site(make_project):
    root = make_project({"metadata/001_alpha.yml": ALPHA_YML.replace(
        "title: Troops Gather at the Border", "title: " + json.dumps(HOSTILE_TITLE))})
    build_site(root)
    return root


def test_hostile_titles_show_as_text(hostile_site, serve_dir, page):
    data = read_browse_data(hostile_site / "site_src")
    assert data["articles"][0]["title"] == HOSTILE_TITLE
    script = (hostile_site / "site_src" / "assets" / "browse-data.js").read_text(encoding="utf-8")
    assert "</script" not in script and "<img" not in script and "\u2028" not in script
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(serve_dir(hostile_site / "site") + "/browse/")
    expect(page.locator("#browse-status")).to_have_text("2 of 2 articles")
    link = page.locator("#browse-results li a").first
    assert link.text_content() == HOSTILE_TITLE
    expect(page.locator("#browse-results img")).to_have_count(0)
    assert page.title() == "Browse - News Corpus Archive"
    assert errors == []
