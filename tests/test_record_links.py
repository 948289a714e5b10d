"""From the site back to the record: each article page links its metadata file and original text."""
from __future__ import annotations

from conftest import REPO
from mkdocs.utils.yaml import yaml_load  # MkDocs' reader: mkdocs.yml's !ENV tags resolved

from publisher.pipeline import check_corpus


def test_article_pages_link_their_metadata_and_text_in_the_repository(built_site):
    config = yaml_load((REPO / "mkdocs.yml").read_text())
    base = config["repo_url"].rstrip("/") + "/"
    for article in check_corpus(built_site).articles:
        html = (built_site / "site" / "articles" / article.slug / "index.html").read_text()
        assert f'<a href="{base}edit/main/{article.metadata_path}" rel="edit">edit its metadata ({article.metadata_path})</a>' in html
        assert f'<a href="{base}blob/main/{article.source_path}">see its original text ({article.source_path})</a>' in html
        assert "site_src/" not in html  # never a link to a generated file


def test_generated_listing_pages_have_no_edit_link(built_site):
    for page in ("index.html", "articles/index.html", "timeline/index.html", "topics/index.html"):
        html = (built_site / "site" / page).read_text()
        assert "archive-record-links" not in html and 'rel="edit"' not in html


def test_the_repository_is_named_in_one_place():
    text = (REPO / "mkdocs.yml").read_text()
    config = yaml_load(text)
    assert text.count(config["repo_url"]) == 1
    assert config["edit_uri"] == "edit/main/"
