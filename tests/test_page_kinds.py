"""Page kinds as data: a toy kind (a page per author) declared here is rendered, built by MkDocs,
redirected when gone and rebuilt incrementally like the kinds the site has (DEVELOPING.md,
"How to add a page kind"). A new kind's test goes here."""
from __future__ import annotations

import datetime
import shutil

import pathspec
import pytest
import yaml
from conftest import BETA_YML, FIXTURE_FILES, write_project

from publisher.intake.load import load_project
from publisher.intake.slugs import slugify
from publisher.intake.validate import validate_project
from publisher.model import Article, Corpus, newest_first
from publisher.pages import kinds, markup
from publisher.pages.kinds import KINDS, ListingKind, gone_page_target, shown_fields
from publisher.pages.render import render_site
from publisher.pages.routes import ARTICLES_INDEX, listing_path, page_path
from publisher.pipeline import build_site

TODAY = datetime.date(2026, 1, 1)


def group_by_author(corpus: Corpus) -> dict[str, tuple[object, list[Article]]]:
    """Every author named by an article, with their articles, newest first."""
    groups: dict[str, tuple[str, list[Article]]] = {}
    for article in corpus.articles:
        for author in article.authors:
            groups.setdefault(slugify(author) or "unnamed", (author, []))[1].append(article)
    return {slug: (name, newest_first(articles)) for slug, (name, articles) in sorted(groups.items())}


PEOPLE = ListingKind("person", "person.md.j2", "people", group_by_author, lambda slug: listing_path("people", slug, "person"),
                     reads=("authors",))

PERSON_TEMPLATE = """\
{% from "_article_item.md.j2" import article_item with context %}
{{ {"title": person ~ (" (page %d)" % pager.number if pager.number > 1 else ""), "search": {"exclude": True}} | front_matter }}
{% if total is not none %}{{ total }} article{% if total != 1 %}s{% endif %} by {{ person }}, newest first.{% endif %}

{% include "_pager.md.j2" %}{% for article in articles %}
{{ article_item(article) | safe }}
{% endfor %}
"""


@pytest.fixture
def people(monkeypatch, tmp_path):
    """The site's kinds and the toy one; its template beside the site's, in a copy of templates/."""
    templates = tmp_path / "templates"
    shutil.copytree(markup.TEMPLATES_DIR, templates)
    (templates / "person.md.j2").write_text(PERSON_TEMPLATE, encoding="utf-8")
    monkeypatch.setattr(kinds, "KINDS", KINDS + (PEOPLE,))
    monkeypatch.setattr(markup, "TEMPLATES_DIR", templates)
    markup.make_environment.cache_clear()
    yield templates
    markup.make_environment.cache_clear()


def test_a_kind_grouped_by_a_field_takes_it_out_of_the_previews_shown_fields():
    assert "authors" in shown_fields()
    assert "authors" not in shown_fields(KINDS + (PEOPLE,))
    assert shown_fields(KINDS + (PEOPLE,)) == tuple(f for f in shown_fields() if f != "authors")


def test_every_page_of_every_kind_is_out_of_the_navigation():
    config = yaml.load((markup.TEMPLATES_DIR.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    spec = pathspec.gitignore.GitIgnoreSpec.from_lines(config["not_in_nav"].splitlines())
    nav = {next(iter(entry.values())) for entry in config["nav"]}
    for kind in KINDS + (PEOPLE,):
        first = kind.path("some-slug")
        assert first in nav or spec.match_file(first), kind.name
        assert spec.match_file(page_path(first, 2)), kind.name


def test_a_gone_page_of_a_kind_goes_to_its_index_or_else_to_all_articles(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", KINDS + (PEOPLE,))
    assert gone_page_target("topics/gone.md") == "topics/index.md"
    assert gone_page_target("keywords/gone/page/3.md") == "keywords/index.md"
    assert gone_page_target("people/gone.md") == ARTICLES_INDEX
    assert gone_page_target("rights.md") is None


def test_a_toy_kind_renders_a_paged_listing_per_author(people, make_project):
    authors = "authors:\n  - Jane Reporter\n  - Index\n"
    corpus, problems = validate_project(load_project(make_project({"metadata/002_beta.yml": BETA_YML + authors})), TODAY)
    assert problems == []
    pages = render_site(corpus)
    assert sorted(path for path in pages if path.startswith("people/")) == ["people/index_person.md", "people/jane-reporter.md"]
    jane = pages["people/jane-reporter.md"]
    assert "title: Jane Reporter" in jane and "2 articles by Jane Reporter, newest first." in jane
    assert jane.index("Troops Gather at the Border") < jane.index("Treaty Talks Resume")  # newest first


def tree(folder, skip=("pagefind",)):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part in skip for part in p.relative_to(folder).parts)}


def test_a_toy_kind_is_built_and_an_authors_edit_built_incrementally_is_the_full_build(people, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the sitemap's date, the same for both builds
    root = write_project(tmp_path / "project", {**FIXTURE_FILES, "metadata/002_beta.yml": BETA_YML + "authors:\n  - John Doe\n"})
    build_site(root)
    assert "Jane Reporter" in (root / "site" / "people" / "jane-reporter" / "index.html").read_text(encoding="utf-8")
    assert "Treaty Talks Resume" in (root / "site" / "people" / "john-doe" / "index.html").read_text(encoding="utf-8")
    assert "people/john-doe.md" in (root / "published-pages.txt").read_text(encoding="utf-8").splitlines()

    # John Doe's article is now Jane Reporter's too, and his page is gone: it redirects to all articles.
    meta = root / "metadata" / "002_beta.yml"
    meta.write_text(BETA_YML + "authors:\n  - Jane Reporter\n", encoding="utf-8")
    full = tmp_path / "full"
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("site", "site_src", ".cache", ".build"))
    build_site(root)
    jane = (root / "site_src" / "people" / "jane-reporter.md").read_text(encoding="utf-8")
    assert "2 articles by Jane Reporter" in jane
    assert not (root / "site_src" / "people" / "john-doe.md").exists()
    assert "../../articles/" in (root / "site" / "people" / "john-doe" / "index.html").read_text(encoding="utf-8")

    build_site(full)
    assert tree(root / "site_src") == tree(full / "site_src")
    assert tree(root / "site") == tree(full / "site")
    assert (root / "published-pages.txt").read_bytes() == (full / "published-pages.txt").read_bytes()
