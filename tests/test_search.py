"""Search on the hosted site, in headless Chromium at a phone's and a laptop's width.

The site is the fixture corpus plus two articles made for the cases a reader noticed: a word that
is a longer word's beginning ("live", "Liverpool"), and words that are only in hidden furniture.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import FIXTURE_FILES, write_project
from searchui import HINT, open_from_disk, open_search, result_titles, search, status, unzip_offline_copy, wait_idle, watch_problems

EXTRA_FILES = {
    "seeds/003_gamma.txt": "Liverpool Fans Celebrate\n\nSupporters of Liverpool gathered downtown after the match.\n\n"
                           "The mayor said the city was proud of its team.\n",
    "metadata/003_gamma.yml": "title: Liverpool Fans Celebrate\noutlet: gazette\ndate: 2021-05-02\ntopics:\n  - border\n",
    "seeds/004_delta.txt": "People Live Quietly\n\nThe villagers live quietly near the river and the farmers lived well.\n\n"
                           "Withemes Website Blargh\n",
    "metadata/004_delta.yml": "title: People Live Quietly\noutlet: daily-planet\ndate: 2020\ntopics:\n  - alliance\n",
    "metadata/furniture.yml": "furniture:\n  - '^READ MORE: '\n  - '^Withemes'\ntrailer:\n  - '^Leave a Reply$'\n",
}
WIDTHS = [390, 1366]
WAYS = ["hosted", "offline"]  # the hosted site, served; its offline copy, opened from disk
TROOPS, TALKS = "Troops Gather at the Border", "Treaty Talks Resume"
LIVE, LIVERPOOL = "People Live Quietly", "Liverpool Fans Celebrate"


@pytest.fixture(scope="session")
def search_project(tmp_path_factory) -> Path:
    """The search fixture corpus built with real MkDocs and Pagefind, each article in a shard of the
    index of its own (the box merges them as it does a large archive's); returns the project root."""
    from publisher.pipeline import build_site
    from test_settings import set_limits

    root = write_project(tmp_path_factory.mktemp("search"), {**FIXTURE_FILES, **EXTRA_FILES})
    set_limits(root, "    search_shard_size: 1")
    build_site(root)
    shards = json.loads((root / "site" / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert [shard["pages"] for shard in shards] == [1, 1, 1, 1]
    return root


@pytest.fixture(scope="session")
def search_site(search_project, serve_dir) -> str:
    return serve_dir(search_project / "site")


@pytest.fixture(scope="session")
def search_offline_copy(search_project, tmp_path_factory) -> Path:
    """The same project's offline copy (build.py export), unzipped; returns its folder."""
    return unzip_offline_copy(search_project, tmp_path_factory.mktemp("search-offline"))


@pytest.fixture(params=[(way, width) for way in WAYS for width in WIDTHS], ids=lambda p: f"{p[0]}-{p[1]}px")
def reader(request, browser):
    """A home page of the search site, hosted or the offline copy from disk, at the given width, recording its problems."""
    way, width = request.param
    viewport = {"width": width, "height": 844}
    if way == "offline":
        page = open_from_disk(browser, request.getfixturevalue("search_offline_copy"), viewport)
        yield page
        page.context.close()
        return
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    watch_problems(page)
    page.offline = False
    page.goto(request.getfixturevalue("search_site") + "/")
    yield page
    context.close()


def local_problems(page) -> list[str]:
    """Errors of the site's own search: remote requests of the hosted site (the repository's API) are not
    ours to test here; the offline copy makes none, so every one of its problems counts."""
    if page.offline:
        return page.problems
    return [p for p in page.problems if "127.0.0.1" in p or not p.startswith(("failed", "4", "5"))]


@pytest.mark.parametrize("word", ["Withemes", "Website", "Blargh", "Zorglubnowhere"])
def test_a_word_only_in_furniture_or_nowhere_finds_nothing(reader, word):
    results = search(reader, word)
    expect(results).to_have_count(0)
    assert status(reader) == f"No article matches {word}."
    assert local_problems(reader) == []


def test_a_word_finds_whole_words_and_inflections_not_longer_words(reader):
    search(reader, "live")
    assert result_titles(reader) == [LIVE]  # "live" and "lived", not "Liverpool"
    search(reader, "Liverpool")
    assert result_titles(reader) == [LIVERPOOL]  # not "live"
    search(reader, "troop")
    assert result_titles(reader) == [TROOPS]  # "Troops"
    search(reader, "negotiator")
    assert result_titles(reader) == [TALKS]  # "Negotiators"


def test_a_body_word_finds_its_article_first(reader):
    results = search(reader, "northern border")
    assert result_titles(reader)[0] == TROOPS
    first = results.first
    expect(first.locator(".archive-search__outlet")).to_have_text("Daily Planet")
    expect(first.locator(".archive-search__date")).to_have_text("19 March 2023")
    expect(first.locator(".archive-search__excerpt mark").first).to_have_text("northern")
    size = first.locator(".archive-search__excerpt").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14
    first.locator(".archive-search__title").click()
    expect(reader.locator("h1")).to_have_text(TROOPS)


def test_a_phrase_in_quotes_matches_word_for_word(reader):
    search(reader, '"alliance treaty"')
    assert sorted(result_titles(reader)) == [TALKS, TROOPS]
    search(reader, '"treaty alliance"')
    assert result_titles(reader) == []
    search(reader, '"farmers lived" river')
    assert result_titles(reader) == [LIVE]


def test_filters_narrow_the_results(reader):
    search(reader, "border")
    assert sorted(result_titles(reader)) == [TALKS, TROOPS]
    reader.locator(".archive-search__filters summary").click()
    outlet = reader.get_by_label("Outlet")
    assert outlet.locator("option").all_text_contents() == ["Any outlet", "Daily Planet", "The Gazette"]
    outlet.select_option("The Gazette")
    wait_idle(reader)
    assert result_titles(reader) == [TALKS]
    outlet.select_option("")
    reader.get_by_label("Year").select_option("2023")
    wait_idle(reader)
    assert result_titles(reader) == [TROOPS]
    reader.get_by_label("Year").select_option("")
    reader.get_by_label("Topic").select_option("The alliance")
    wait_idle(reader)
    assert sorted(result_titles(reader)) == [TALKS, TROOPS]
    # A date range: an article dated to the month (October 2022) counts for the whole month.
    reader.get_by_label("From date").fill("2022-10-31")
    reader.get_by_label("To date").fill("2022-12-31")
    wait_idle(reader)
    assert result_titles(reader) == [TALKS]
    # Filters alone list their articles, newest first.
    search(reader, "")
    reader.get_by_label("From date").fill("2020-01-01")
    reader.get_by_label("To date").fill("2030-01-01")
    wait_idle(reader)
    assert result_titles(reader) == [TROOPS, TALKS, LIVE]
    reader.locator(".archive-search__clear").click()
    wait_idle(reader)
    assert result_titles(reader) == [] and status(reader) == HINT
    assert local_problems(reader) == []


def test_a_first_search_loads_no_filter_file_until_a_filter_is_used(browser, search_site):
    """The menus' values come with shards.json, the dates with dates.json once a range is set:
    Pagefind's filter files (four a shard, at 100,000 articles 280 requests and about a third of the
    bytes) load only when a search uses a filter."""
    context = browser.new_context(viewport={"width": 1366, "height": 844})
    page = context.new_page()
    watch_problems(page)
    page.offline = False
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto(search_site + "/")
    search(page, "border")
    assert sorted(result_titles(page)) == [TALKS, TROOPS]
    assert any(url.endswith(".pf_meta") for url in loaded) and not [url for url in loaded if "/filter/" in url]
    page.locator(".archive-search__filters summary").click()
    assert page.get_by_label("Outlet").locator("option").all_text_contents() == ["Any outlet", "Daily Planet", "The Gazette"]
    page.get_by_label("Outlet").select_option("The Gazette")
    wait_idle(page)
    assert result_titles(page) == [TALKS] and [url for url in loaded if "/filter/" in url]
    assert not [url for url in loaded if url.endswith("/dates.json")]  # until a reader sets a date range
    page.get_by_label("From date").fill("2022-10-31")
    wait_idle(page)
    assert result_titles(page) == [TALKS] and [url for url in loaded if url.endswith("/dates.json")]
    assert local_problems(page) == []
    context.close()


def test_escape_and_a_click_outside_close_the_panel_and_return_focus(reader):
    panel = reader.locator(".archive-search__panel")
    narrow = reader.locator(".archive-search__open").is_visible()
    where_focus_returns = "archive-search__open" if narrow else "archive-search__input"
    search(reader, "treaty")
    expect(panel).to_be_visible()
    reader.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert where_focus_returns in reader.evaluate("document.activeElement.className")
    # From anywhere in the panel, one Escape: here from a result, the focus back on the box and the panel closed.
    open_search(reader)
    expect(panel).to_be_visible()
    reader.locator(".archive-search__title").first.focus()
    reader.keyboard.press("Escape")
    assert reader.evaluate("document.querySelector('.archive-search__panel').hidden")
    assert where_focus_returns in reader.evaluate("document.activeElement.className")
    expect(panel).to_be_hidden()
    open_search(reader)
    expect(panel).to_be_visible()
    reader.mouse.click(5, 800)
    expect(panel).to_be_hidden()
    assert local_problems(reader) == []


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_nothing_is_wider_than_the_screen_with_the_panel_open(browser, search_site, width):
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    page.goto(search_site + "/articles/troops-gather-at-the-border/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    search(page, "border")
    page.locator(".archive-search__filters summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    controls = [".archive-search__input", ".archive-search__clear", ".archive-search__result",
                *(f".archive-search__fields p:nth-child({n}) :is(select, input)" for n in range(1, 6))]
    for selector in controls:
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    context.close()


@pytest.mark.parametrize("word", ["withemes", "Website", "Liverpool"])
def test_words_only_in_the_archives_furniture_find_nothing(built_site, serve_dir, page, word):
    """The bundled corpus: these words are only in hidden furniture (Pagefind's own matching found "with", "we", "live")."""
    page.goto(serve_dir(built_site / "site") + "/")
    results = search(page, word)
    expect(results).to_have_count(0)
    assert status(page) == f"No article matches {word}."
