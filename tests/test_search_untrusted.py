"""Hostile outlet names, topic titles and article titles stay text in search, hosted and offline.

Issue 12 item 1: Pagefind's own UI inserted filter values into the page as HTML, so an outlet named
`Daily Express <img src=x onerror=alert(document.domain)>` ran its script as soon as the search box
was focused. Our box writes everything it reads from the index with textContent; these tests focus
the search, open every filter, choose every value and search, and watch for a dialog or an element
that the page did not make.
"""
from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from playwright.sync_api import expect

from conftest import FIXTURE_FILES, OUTLETS_YML, TOPICS_YML, write_project
from searchui import open_from_disk, open_search, recorded_filter_values, result_titles, search, unzip_offline_copy, wait_idle
from test_untrusted import corpora, project_files

HOSTILE_OUTLET = "Daily Express <img src=x onerror=alert(document.domain)>"
HOSTILE_TOPIC = 'The alliance <svg onload=alert(1)> "><script>alert(2)</script>'
HOSTILE_TITLE = "Treaty Talks <img src=x onerror=alert(3)> Resume"
# Elements a payload above would add; the theme itself has none of them.
INJECTED = "img[src='x'], [onerror], [onload], script:not([src]):not([id='__config'])"
INLINE_SCRIPTS = ("__md_scope", "var palette", "var target")


def hostile_files() -> dict:
    outlets = OUTLETS_YML.replace("name: The Gazette", f"name: '{HOSTILE_OUTLET}'")
    topics = TOPICS_YML.replace("title: The alliance", f"title: '{HOSTILE_TOPIC}'")
    beta = FIXTURE_FILES["metadata/002_beta.yml"].replace("title: Treaty Talks Resume", f"title: '{HOSTILE_TITLE}'")
    return {**FIXTURE_FILES, "metadata/outlets.yml": outlets, "metadata/topics.yml": topics, "metadata/002_beta.yml": beta}


def watch(page) -> list[str]:
    """Record every dialog (and dismiss it) and every page error."""
    seen = []
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen


def injected(page) -> list[str]:
    """Markup on the page that no template wrote: elements from a payload, inline scripts not the theme's."""
    found = page.evaluate("""s => Array.from(document.querySelectorAll(s)).map(e => e.outerHTML.slice(0, 120))""", INJECTED)
    return [html for html in found if not any(mark in html for mark in INLINE_SCRIPTS)]


def exercise_hosted_search(page, query: str) -> None:
    """Focus the box, open the filters, choose every value of every filter, then search."""
    open_search(page)
    wait_idle(page)
    page.locator(".archive-search__filters summary").click()
    for select in page.locator(".archive-search__fields select").all():
        expect(select.locator("option").nth(1)).to_be_attached(timeout=15_000)
        values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
        for value in values:
            select.select_option(value)
            wait_idle(page)
        select.select_option("")
    wait_idle(page)
    search(page, query)


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory):
    from publisher.pipeline import build_site

    root = write_project(tmp_path_factory.mktemp("hostile-search"), hostile_files())
    build_site(root)
    return root


@pytest.fixture(scope="module")
def hostile_offline_copy(hostile_project, tmp_path_factory) -> Path:
    """The hostile project's offline copy, unzipped; returns its folder."""
    return unzip_offline_copy(hostile_project, tmp_path_factory.mktemp("hostile-offline"))


@pytest.mark.parametrize(("way", "width"), [("hosted", 390), ("hosted", 1366), ("offline", 1366)])
def test_hostile_filter_values_stay_text_in_the_search(request, hostile_project, serve_dir, browser, way, width):
    """The hosted site, and its offline copy opened from disk."""
    viewport = {"width": width, "height": 844}
    if way == "offline":
        page = open_from_disk(browser, request.getfixturevalue("hostile_offline_copy"), viewport)
        context = page.context
    else:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.problems = []
    seen = watch(page)
    if way == "hosted":
        page.goto(serve_dir(hostile_project / "site") + "/")
    exercise_hosted_search(page, "treaty")
    assert sorted(result_titles(page)) == sorted(["Troops Gather at the Border", HOSTILE_TITLE])
    outlets = page.get_by_label("Outlet", exact=True).locator("option").all_text_contents()
    topics = page.get_by_label("Topic", exact=True).locator("option").all_text_contents()
    assert HOSTILE_OUTLET in outlets and HOSTILE_TOPIC in topics
    page.get_by_label("Outlet", exact=True).select_option(HOSTILE_OUTLET)
    wait_idle(page)
    expect(page.locator(".archive-search__outlet")).to_have_text([HOSTILE_OUTLET])
    # A quote in a filter value: Pagefind 1.5.2 matched nothing for it until values were percent-encoded.
    page.get_by_label("Outlet", exact=True).select_option("")
    page.get_by_label("Topic", exact=True).select_option(HOSTILE_TOPIC)
    wait_idle(page)
    assert sorted(result_titles(page)) == sorted(["Troops Gather at the Border", HOSTILE_TITLE])
    assert seen == [] and injected(page) == [] and page.problems == []
    context.close()


def test_the_menus_offer_exactly_the_filter_values_pagefind_recorded(tmp_path):
    """The search box takes its menus' values from shards.json (dates.json for a date range), not from Pagefind's filter files
    (which would load whole before the first result): they must be the values Pagefind matches,
    whatever the names hold (escaped as text, percent-encoded, characters kept by both)."""
    import json

    from publisher.pipeline import build_site
    from test_settings import set_limits

    odd = "Under_score ~tilde~ & 'quote' \\back\\slash #1 (one) *star* é"
    files = hostile_files()
    files["metadata/topics.yml"] = files["metadata/topics.yml"].replace("title: The border", "title: " + json.dumps(odd))
    root = write_project(tmp_path / "odd", files)
    set_limits(root, "    search_shard_size: 1")
    build_site(root)
    index = root / "site" / "pagefind"
    manifest = json.loads((index / "shards.json").read_text(encoding="utf-8"))
    assert len(manifest["shards"]) > 1
    dates = json.loads((index / "dates.json").read_text(encoding="utf-8"))  # apart: wanted only for a range
    assert {**manifest["filters"], "date": dates} == recorded_filter_values(index)
    assert set(manifest["filters"]) == {"outlet", "topic", "year"} and dates
    assert len(manifest["filters"]["topic"]) == 2 and "Under_score" in "".join(manifest["filters"]["topic"])


def with_known_word(corpus):
    """The corpus with a paragraph every article shares: Pagefind leaves out a page without a word."""
    articles = tuple(dataclasses.replace(a, text=a.text + "\n\nZyxwvut is the shared word.\n") for a in corpus.articles)
    return dataclasses.replace(corpus, articles=articles)


# No shrinking: each example is a whole build, and a failure prints its corpus as it is.
@settings(derandomize=True, max_examples=3, deadline=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(corpora(count=2).map(with_known_word))
def test_generated_names_and_titles_stay_text_in_the_search(tmp_path, browser, serve_dir, corpus):
    """Whole builds from generated registry names and titles; the search UI and every filter driven in Chromium."""
    from publisher.pipeline import build_site

    root = write_project(Path(tempfile.mkdtemp(dir=tmp_path)) / "project", project_files(corpus))
    built = build_site(root)
    page = browser.new_page()
    seen = watch(page)
    page.goto(serve_dir(root / "site") + "/")
    exercise_hosted_search(page, "zyxwvut")
    assert len(result_titles(page)) == 2
    # Filters alone list every article: each title, outlet and date shows as the text it is.
    search(page, "")
    page.get_by_label("Outlet", exact=True).select_option(index=1)
    wait_idle(page)
    titles = sorted(" ".join(t.split()) for t in result_titles(page))
    assert titles == sorted(" ".join(a.title.split()) for a in built.articles)
    outlet = " ".join(built.outlets[0].name.split())
    assert [" ".join(t.split()) for t in page.locator(".archive-search__outlet").all_text_contents()] == [outlet] * 2
    assert seen == [] and injected(page) == []
    page.close()

