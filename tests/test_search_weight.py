"""A reader's first search on the hosted site stays light: measured in Chromium, as bench/ does at 10,000 articles."""
from __future__ import annotations

from bench.search_weight import measure_first_search

LIMIT = 3_000_000  # the budget for a first search at N = 10,000, index, scripts and fragments included


def test_first_search_downloads_little_and_finds_the_article_by_a_body_word(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    measured = measure_first_search(page, base, "Machulishchy", timeout_ms=15_000)
    assert measured["engine"] == "pagefind"
    assert measured["links"] == ["/articles/belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand/"]
    assert measured["requests"] >= 4  # script, entry, index chunk, fragment: the measurement saw the search
    assert 0 < measured["bytes"] < LIMIT


def test_the_hosted_site_ships_no_material_search_index(built_site):
    site = built_site / "site"
    assert not (site / "search" / "search_index.json").exists()
    html = (site / "index.html").read_text()
    assert 'class="md-search"' not in html and 'data-pagefind="pagefind/"' in html


def test_the_search_box_has_a_label_for_screen_readers(built_site, serve_dir, page):
    from playwright.sync_api import expect

    page.goto(serve_dir(built_site / "site") + "/")
    expect(page.locator(".archive-search__input")).to_have_attribute("aria-label", "Search the articles")
