"""A reader in headless Chromium: search finds an article by a word only it contains."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from searchui import search, wait_idle


def test_search_finds_the_one_article_with_a_unique_word(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    page.goto(base + "/")
    results = search(page, "Machulishchy")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand")
    results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand/"))
    expect(page.locator("h1")).to_have_text("Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand")


def test_search_filters_by_outlet_topic_and_year(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    page.goto(base + "/")
    results = search(page, "Lukashenko")
    expect(results.first).to_be_visible(timeout=15_000)
    page.locator(".archive-search__filters summary").click()
    for name in ("Outlet", "Topic", "Year"):
        expect(page.get_by_label(name, exact=True)).to_be_visible()
    page.get_by_label("Outlet", exact=True).select_option("ZeroHedge")
    wait_idle(page)
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Belarus Cracks Down")


def test_listing_pages_stay_out_of_the_search_index(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    page.goto(base + "/")
    results = search(page, "Timeline")
    for link in results.locator("a").all():
        assert "/articles/" in link.get_attribute("href")


def test_reader_walks_from_home_to_outlet_to_article_to_topic(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    page.goto(base + "/")
    page.get_by_role("link", name="Outlets").first.click()
    page.get_by_role("link", name="ZeroHedge").first.click()
    expect(page.locator("h1")).to_have_text("ZeroHedge")
    page.get_by_role("link", name=re.compile("Belarus Cracks Down")).first.click()
    expect(page.locator(".archive-text")).to_contain_text("Machulishchy Air Base")
    page.get_by_role("link", name="Belarusian opposition and partisans").first.click()
    expect(page.locator("h1")).to_have_text("Belarusian opposition and partisans")
