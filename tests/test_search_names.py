"""Search knows the archive's names: aliases, authors, outlets and original publishers, in real Chromium and Pagefind."""
from __future__ import annotations

import html

import pytest
from conftest import ALPHA_YML

from searchui import result_titles, search

# The real seeds' articles by their titles' first words.
ZEROHEDGE = "Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand"
KYIV_OR_KIEV = 4  # the articles printing Kyiv or Kiev: the keyword page of Kyiv lists them


@pytest.fixture(scope="module")
def reader(browser, built_site, serve_dir):
    context = browser.new_context(viewport={"width": 1366, "height": 844})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(serve_dir(built_site / "site") + "/")
    yield page
    context.close()


def test_both_spellings_find_the_articles_that_use_either(reader):
    search(reader, "Kiev")
    kiev = sorted(result_titles(reader))
    search(reader, "Kyiv")
    assert len(kiev) == KYIV_OR_KIEV and sorted(result_titles(reader)) == kiev


def test_an_alias_finds_the_articles_naming_the_keyword(reader):
    search(reader, "Tikhanovskaya")
    assert len(result_titles(reader)) == 2


@pytest.mark.parametrize("word", ["Durden", "ZeroHedge"])
def test_an_author_and_an_outlet_find_the_article(reader, word):
    search(reader, word)
    assert result_titles(reader) == [ZEROHEDGE]


def test_an_original_publisher_finds_the_republished_article(reader):
    search(reader, "Hayom")
    assert len(result_titles(reader)) == 1
    assert reader.problems == []


def test_the_names_are_not_shown_on_the_page_and_an_excerpt_says_what_they_are(reader):
    search(reader, "Durden")
    excerpt = reader.locator(".archive-search__excerpt").first.inner_text()
    assert "Names to search it by:" in excerpt and "Tyler Durden" in excerpt and "<" not in excerpt
    reader.locator(".archive-search__title").first.click()
    reader.wait_for_url("**/articles/belarus-cracks-down-*/")
    names = reader.locator(".archive-search-names")
    assert names.count() == 1 and not names.is_visible()


def test_names_from_metadata_are_escaped(make_project):
    from publisher.pipeline import build_site

    hostile = """'<img src=x onerror="alert(1)"> & Co'"""  # a YAML string in single quotes
    root = make_project({"metadata/001_alpha.yml": ALPHA_YML.replace("Jane Reporter", hostile)})
    build_site(root, run_mkdocs=False)
    page = root / "site_src/articles/troops-gather-at-the-border.md"
    line = next(line for line in page.read_text(encoding="utf-8").splitlines() if "archive-search-names" in line)
    text = line.split(">", 1)[1].rsplit("<", 1)[0]
    assert "<" not in text and '"' not in text
    assert html.unescape(text) == """Names to search it by: <img src=x onerror="alert(1)"> & Co; Daily Planet."""
