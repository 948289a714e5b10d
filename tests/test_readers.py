"""Every page kind at a phone's and a desktop's width: fits the screen, loads cleanly, passes axe.

The site is served under its own path with its 404 page, as GitHub Pages serves it
(bench/screens.py, which also writes the screenshots a reviewer looks at).
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from bench.screens import WIDTHS, list_page_kinds, read_base_path, serve_site
from conftest import REPO
from test_accessibility import describe, run_axe
from test_export import exported  # noqa: F401 (the offline export, built once for this module)

ARTICLE = "articles/belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand/"
REPUBLISHED = "articles/kiev-regime-worsening-tensions-by-sending-troops-to-belarussian-border/"
# Elements wider than the screen, left out of the measure: the header's Pagefind search box is the
# search owner's (issue 15 item 2), and boxes that scroll sideways on purpose hold their content.
OVERFLOW_JS = """() => {
  const skip = ".archive-search, .archive-table-scroll, .md-typeset__scrollwrap, pre, .md-search";
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(skip)) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.height && box.right > window.innerWidth + 1 && box.left < window.innerWidth) {
      wide.push(el.tagName.toLowerCase() + "." + el.className + " right=" + Math.round(box.right));
    }
  }
  return wide.slice(0, 5);
}"""


@pytest.fixture(scope="module")
def site_address(built_site):
    with serve_site(built_site / "site", read_base_path(REPO / "mkdocs.yml")) as address:
        yield address


@pytest.fixture(scope="module")
def page_kinds(built_site):
    return list_page_kinds(built_site / "site")


def open_watched(browser, width: int, address: str, path: str):
    """A page at width x its height, with its console errors and failed requests of the site's own."""
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    page = context.new_page()
    problems: list[str] = []
    own = urlsplit(address).netloc
    # A resource from elsewhere (the theme asks GitHub's API for the repository's stars) is not the site's own.
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text} ({m.location.get('url')})")
            if m.type == "error" and urlsplit(m.location.get("url") or address).netloc == own
            and m.location.get("url") != address + path else None)  # the 404 page's own status
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}") if urlsplit(r.url).netloc == own else None)
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}")
            if r.status >= 400 and urlsplit(r.url).netloc == own and r.url != address + path else None)
    page.goto(address + path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # the theme's requests (sitemaps) start after load
    return context, page, problems


KINDS = ("home", "article", "topic", "outlet", "keyword", "keywords-index", "timeline", "browse", "statistics",
         "data", "rights", "404")


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("kind", KINDS)
def test_page_fits_loads_cleanly_and_passes_axe(kind, width, browser, site_address, page_kinds):
    context, page, problems = open_watched(browser, width, site_address, page_kinds[kind])
    try:
        assert page.evaluate(OVERFLOW_JS) == []
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        violations = run_axe(page)
        assert violations == [], describe(violations)
        assert problems == []
    finally:
        context.close()


def test_every_page_kind_is_covered(page_kinds):
    assert set(page_kinds) == set(KINDS)


# Each chart the reader sees: its box, its smallest label in px, its texts past its own or the screen's edges,
# and the boxes around it that hide part of it (a scroll or a clip).
CHARTS_JS = """() => [...document.querySelectorAll('svg.archive-chart')].filter(s => s.getClientRects().length).map(s => {
  const box = s.getBoundingClientRect();
  const texts = [...s.querySelectorAll('text')];
  const hiding = [];
  for (let el = s.parentElement; el && el !== document.body; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) hiding.push(el.tagName + '.' + el.className);
  }
  return {
    title: s.querySelector('title').textContent, left: box.left, right: box.right,
    smallest: Math.min(...texts.map(t => Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b) * parseFloat(getComputedStyle(t).fontSize))),
    outside: texts.filter(t => { const r = t.getBoundingClientRect(); return r.left < Math.max(box.left, 0) - 0.5
                                 || r.right > Math.min(box.right, innerWidth) + 0.5; }).length,
    hiding,
  };
})"""


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_chart_fits_the_screen_with_labels_of_11_px_or_more(width, browser, site_address):
    context, page, _ = open_watched(browser, width, site_address, "statistics/")
    try:
        charts = page.evaluate(CHARTS_JS)
        assert [chart["title"] for chart in charts] == [
            "Articles per month by outlet", "Articles by outlet and topic", "The most frequent keywords"]
        for chart in charts:
            assert chart["left"] >= 0 and chart["right"] <= width, chart
            assert chart["outside"] == 0 and chart["hiding"] == [], chart
            assert chart["smallest"] >= 11, chart
    finally:
        context.close()


def test_browse_shows_results_first_on_a_phone(browser, site_address):
    context, page, _ = open_watched(browser, 390, site_address, "browse/")
    try:
        first = page.locator("#browse-results li").first
        expect(first).to_be_in_viewport()
        expect(page.locator("#browse-panel")).not_to_have_attribute("open", "")
        page.locator("#browse-panel > summary").click()
        page.get_by_label("ZeroHedge").check()
        expect(page.locator("#browse-results li")).to_have_count(1)
    finally:
        context.close()


def test_browse_on_a_desktop_shows_the_change_a_tick_makes(browser, site_address):
    context, page, _ = open_watched(browser, 1366, site_address, "browse/")
    try:
        page.get_by_label("ZeroHedge").check()
        expect(page.locator("#browse-results li")).to_have_count(1)
        expect(page.locator("#browse-results li").first).to_be_in_viewport()
        expect(page.locator("#browse-status")).to_be_in_viewport()
    finally:
        context.close()


def test_404_page_offers_the_sections_and_the_likely_article(browser, site_address):
    context, page, problems = open_watched(browser, 1366, site_address,
                                           "articles/belarus-cracks-down-on-pro-ukraine-guerillas/")
    try:
        expect(page.locator("h1")).to_have_text("Page not found")
        for section in ("Topics", "Outlets", "Browse", "Statistics"):
            expect(page.locator(".md-content").get_by_role("link", name=section, exact=True)).to_be_visible()
        guess = page.locator("#not-found-guess a")
        expect(guess).to_have_text("Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand")
        guess.click()
        expect(page).to_have_url(re.compile(ARTICLE + "$"))
        assert problems == []
    finally:
        context.close()


def test_404_page_guesses_nothing_for_an_unrelated_address(browser, site_address):
    context, page, _ = open_watched(browser, 1366, site_address, "articles/weather-in-lisbon/")
    try:
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page.locator("#not-found-guess")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("path,tab", [(ARTICLE, "Articles"), ("topics/belarusian-opposition/", "Topics"),
                                      ("outlets/zerohedge/", "Outlets"), ("keywords/belarus/", "Keywords")])
def test_pages_outside_the_navigation_mark_their_section(path, tab, browser, site_address):
    context, page, _ = open_watched(browser, 1366, site_address, path)
    try:
        expect(page.locator(".md-tabs__item--active")).to_have_text(tab)
        sidebar = page.locator(".md-sidebar--primary .md-nav__list").first
        expect(sidebar.get_by_role("link", name="Statistics")).to_be_visible()
        expect(sidebar.locator(".md-nav__item--active > .md-nav__link")).to_have_text(tab)
    finally:
        context.close()


def read_page(built_site, path: str) -> str:
    return (built_site / "site" / path / "index.html").read_text(encoding="utf-8")


def meta_tags(text: str) -> list[tuple[str, str]]:
    return [(key, html.unescape(value)) for key, value in
            re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', text)]


def test_article_head_carries_open_graph_highwire_and_json_ld(built_site):
    text = read_page(built_site, REPUBLISHED)
    tags = meta_tags(text)
    title = "Kiev Regime Worsening Tensions by Sending Troops to Belarussian Border"
    for expected in [("og:type", "article"), ("og:title", title), ("twitter:card", "summary"),
                     ("citation_title", title), ("citation_publisher", "InfoBrics"),
                     ("citation_publication_date", "2024/07"),
                     ("og:url", "https://owner.github.io/news-corpus-archive/" + REPUBLISHED)]:
        assert expected in tags
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == title
    assert data["publisher"] == {"@type": "Organization", "name": "InfoBrics"}
    assert data["provider"] == {"@type": "Organization", "name": "Global Research"}
    assert data["datePublished"] == "2024-07"


def test_json_ld_and_meta_tags_hold_a_hostile_title_as_text(untrusted_site):
    from untrusted import HOSTILE_PUBLISHER, HOSTILE_TITLE

    pages = [p for p in (untrusted_site / "site" / "articles").glob("*/index.html") if "hyperlink" in str(p)]
    text = pages[0].read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["headline"] == HOSTILE_TITLE
    assert data["publisher"]["name"] == HOSTILE_PUBLISHER
    assert ("citation_title", HOSTILE_TITLE) in meta_tags(text)
    assert text.count("<script>alert(1)") == 0


def test_article_header_names_the_republisher_and_the_original_publisher(built_site):
    text = read_page(built_site, REPUBLISHED)
    assert "<strong>First published by:</strong> InfoBrics" in text
    assert re.search(r"<strong>Republished by:</strong> <a [^>]*>Global Research</a>", text)
    assert "The original text, linked under Provenance below, keeps them." in text
    # "Improve this record" comes after the text, not before the headline
    assert text.index("<h1") < text.index("archive-text") < text.index("Improve this record")


def test_listings_show_summaries_and_outlet_pages_do_not_repeat_the_outlet(built_site):
    outlet = read_page(built_site, "outlets/zerohedge")
    assert "<strong>Language:</strong> English" in outlet
    items = re.findall(r"<li><a href=\"../../articles/[^<]*</a>([^<]*)", outlet)
    assert items and all("ZeroHedge" not in item for item in items)
    home = read_page(built_site, "")
    assert 'class="archive-summary">Reports arrests in Belarus' in home
    for section in ("Browse", "Statistics"):
        assert re.search(rf'<li><a href="[^"]+">{section}</a>', home)


def test_no_page_asks_for_a_sitemap_that_is_missing(built_site):
    site = built_site / "site"
    for feed_folder in {p.parent for p in (site / "feeds").rglob("*.xml")}:
        assert (feed_folder / "sitemap.xml").exists()


OFFLINE_PAGES = ("index.html", "articles/belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand/index.html",
                 "topics/belarusian-opposition/index.html", "outlets/zerohedge/index.html", "keywords/belarus/index.html",
                 "keywords/index.html", "timeline/index.html", "browse/index.html", "statistics/index.html", "data/index.html",
                 "404.html")


def test_offline_export_pages_load_without_an_error_or_a_failed_request(exported, browser):  # noqa: F811 (the fixture imported above)
    site = exported["site"].resolve()
    context = browser.new_context(offline=True, viewport={"width": 390, "height": WIDTHS[390]})
    try:
        for rel in OFFLINE_PAGES:
            page, problems = context.new_page(), []
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
            page.goto((site / rel).as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            assert (rel, problems) == (rel, [])
            assert page.evaluate(OVERFLOW_JS) == []
            page.close()
    finally:
        context.close()


# Where the focus is: what it is, and whether the reader can see it (on screen, not hidden or transparent).
FOCUS_JS = """() => {
  const e = document.activeElement, box = e.getBoundingClientRect();
  return {
    what: e.tagName.toLowerCase() + ' ' + ((e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 30)),
    menu: e.classList.contains('archive-menu-button'),
    inDrawer: !!e.closest('.md-sidebar--primary'),
    seen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth && box.bottom > 0 && box.top < innerHeight
          && e.checkVisibility({visibilityProperty: true, opacityProperty: true}),
  };
}"""


def press(page, key: str) -> dict:
    page.keyboard.press(key)
    page.wait_for_timeout(250)  # the theme fades the skip link in
    return page.evaluate(FOCUS_JS)


def test_on_a_phone_tab_reaches_the_menu_and_nothing_off_screen(browser, site_address):
    """At 390 px the closed drawer's links take no Tab stop; the menu button does, and opens the drawer."""
    context, page, problems = open_watched(browser, 390, site_address, ARTICLE)
    try:
        stops = [press(page, "Tab") for _ in range(15)]
        assert [stop["what"] for stop in stops if not stop["seen"]] == []
        assert [stop["menu"] for stop in stops].count(True) == 1
        page.locator(".archive-menu-button").focus()
        assert page.locator(".archive-menu-button").get_attribute("aria-expanded") == "false"
        opened = press(page, "Enter")
        assert page.locator(".archive-menu-button").get_attribute("aria-expanded") == "true"
        drawer_stops = [opened] + [press(page, "Tab") for _ in range(4)]
        assert all(stop["inDrawer"] and stop["seen"] for stop in drawer_stops), drawer_stops
        assert any(stop["what"] == "a Articles" for stop in drawer_stops)
        closed = press(page, "Escape")
        assert closed["menu"] and page.locator("#__drawer").is_checked() is False
        assert problems == []
    finally:
        context.close()


def test_on_a_desktop_the_navigation_is_in_the_tab_order_and_the_menu_button_is_not(browser, site_address):
    context, page, _ = open_watched(browser, 1366, site_address, ARTICLE)
    try:
        expect(page.locator(".archive-menu-button")).to_be_hidden()
        link = page.locator(".md-sidebar--primary a.md-nav__link", has_text="Articles").first
        link.focus()
        assert page.evaluate(FOCUS_JS)["seen"]
    finally:
        context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_fields_table_fits_the_screen_without_scrolling(width, browser, site_address):
    """On a phone each field stacks its type, CSV column and meaning under its name, each named."""
    context, page, _ = open_watched(browser, width, site_address, "data/")
    try:
        box = page.locator(".archive-fields")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
        cells = box.locator("td")
        assert cells.count() > 10
        rights = cells.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().right)")
        assert max(rights) <= width
        meaning = box.locator("tbody tr").first.locator("td").last
        if width < 720:
            assert meaning.evaluate("e => getComputedStyle(e, '::before').content") == '"meaning: "'
        expect(box.get_by_role("cell").first).to_be_visible()
    finally:
        context.close()
