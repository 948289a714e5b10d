"""Addresses: one module owns every page path and URL, and no two outputs can claim one path."""
from __future__ import annotations

import dataclasses
import datetime

import pytest

from conftest import ALPHA_YML, OUTLETS_YML, TOPICS_YML
from publisher.intake.load import load_project
from publisher.model import Keyword
from publisher.pages.render import render_site
from publisher.pages.routes import keyword_path, page_url, redirect_path, redirect_target
from publisher.intake.validate import validate_project

TODAY = datetime.date(2026, 1, 1)


def problems_of(make_project, overrides: dict) -> list[str]:
    """What validation says about the fixture project with overrides, as the lines `check` prints."""
    corpus, problems = validate_project(load_project(make_project(overrides)), TODAY)
    return [str(p) for p in problems]


def test_page_url_is_where_mkdocs_serves_the_page():
    assert [page_url(p) for p in ("index.md", "articles/index.md", "articles/x.md", "raw/a.txt")] == ["", "articles/", "articles/x/", "raw/a.txt"]
    assert page_url("articles/x.md", "https://example.org/site/") == "https://example.org/site/articles/x/"


def test_redirect_lives_at_the_old_address_and_points_to_the_new():
    assert redirect_path("articles/old.md") == "articles/old/index.html"
    assert redirect_target("articles/old.md", "articles/new.md") == "../new/"
    assert redirect_target("topics/gone.md", "topics/index.md") == "../"


@pytest.mark.parametrize("overrides, expected", [
    ({"metadata/001_alpha.yml": ALPHA_YML + "slug: index\n"},
     "metadata/001_alpha.yml:10: slug: 'index' would be published at articles/index.md, which is the list of all "
     "articles: give this article its own slug"),
    ({"metadata/001_alpha.yml": ALPHA_YML.replace("title: Troops Gather at the Border", "title: Index")},
     "metadata/001_alpha.yml:1: title: 'index' would be published at articles/index.md, which is the list of all "
     "articles: give this article its own slug"),
    ({"metadata/topics.yml": TOPICS_YML + "index:\n  title: Index\n  description: A topic named like a list.\n"},
     "metadata/topics.yml:7: id: 'index' would be published at topics/index.md, which is the list of topics: "
     "give this topic another id"),
    ({"metadata/outlets.yml": OUTLETS_YML + "index:\n  name: Index\n  country: x\n  language: en\n  description: y\n"},
     "metadata/outlets.yml:16: id: 'index' would be published at outlets/index.md, which is the list of outlets: "
     "give this outlet another id"),
], ids=["slug", "title", "topic", "outlet"])
def test_a_record_that_would_replace_a_listing_is_refused_naming_both(make_project, overrides, expected):
    assert expected in problems_of(make_project, overrides)


def test_a_keyword_that_would_replace_the_keyword_list_gets_its_own_address(make_project):
    corpus, problems = validate_project(load_project(make_project()), TODAY)
    assert problems == []
    index = Keyword(key="index", label="Index", slug="index")
    articles = tuple(dataclasses.replace(a, keywords=(index,)) for a in corpus.articles)
    pages = render_site(dataclasses.replace(corpus, articles=articles))
    assert keyword_path("index") == "keywords/index_keyword.md"
    assert "keywords/index_keyword.md" in pages
    assert pages["keywords/index.md"].count("index_keyword.md") == 1  # the list still lists, and links the keyword
    assert "(index_keyword.md)" in pages["keywords/index.md"]


def test_links_between_pages_are_those_posixpath_relpath_gives():
    """relative_to_folder skips relpath's trip through the working directory; same answers for the site's paths."""
    import itertools
    import posixpath

    from publisher.pages.routes import link_path

    paths = ["index.md", "rights.md", "articles/index.md", "articles/a.md", "articles/page/2.md", "keywords/k.md",
             "keywords/k/page/3.md", "keywords/kk/page/3.md", "keywords/k/page/30.md", "raw/a.txt", "data/corpus.json",
             "assets/stylesheets/archive.css", "keywords/index.md", "keywords/page/2.md", "timeline.md"]
    for target, here in itertools.product(paths, paths):
        assert link_path(target, here) == posixpath.relpath(target, posixpath.dirname(here) or "."), (target, here)


def test_addresses_written_as_html_are_those_mkdocs_makes_of_the_markdown_links():
    """Listings write their items as HTML, which MkDocs passes through: each address must be the one
    MkDocs would have made of the item's Markdown link, from every depth a listing page lies at."""
    import itertools

    from mkdocs.structure.files import File

    from publisher.pages.routes import url_path

    pages = ["index.md", "rights.md", "timeline.md", "articles/index.md", "articles/a.md", "articles/page/2.md",
             "keywords/k.md", "keywords/k/page/3.md", "keywords/kk/page/30.md", "keywords/index.md",
             "topics/t.md", "topics/t/page/2.md", "outlets/o/page/12.md", "timeline/page/4.md"]
    made = {path: File(path, "/docs", "/site", use_directory_urls=True) for path in pages}
    for target, here in itertools.product(pages, pages):
        assert url_path(target, here) == made[target].url_relative_to(made[here]), (target, here)
