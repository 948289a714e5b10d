"""A reader in headless Chromium: search finds an article by a word only it contains."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def search(page, word: str):
    """Type into Material's search box the way its worker expects: focus, wait for it, then type."""
    box = page.locator("input.md-search__input")
    box.click()
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("Type to start searching"), timeout=15_000)
    box.press_sequentially(word, delay=50)
    return page.locator(".md-search-result__item")


def test_search_finds_the_one_article_with_a_unique_word(built_site, serve_dir, page):
    base = serve_dir(built_site / "site")
    page.goto(base + "/")
    results = search(page, "Machulishchy")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(results).to_have_count(1)
    results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand/"))
    expect(page.locator("h1")).to_have_text("Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand")


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
