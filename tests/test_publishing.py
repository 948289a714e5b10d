"""Publishing: addresses from the environment as MkDocs reads them, placeholders refused, the offline
copy's download linked from the home and data pages, and the page on the archived texts' rights."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import REPO
from publisher.citation import read_citation
from publisher.settings import read_site_settings
from publisher.model import InputError
from publisher.pipeline import build_site
from test_provenance import line_of, write_config

SITE_LINE = 'site_url: !ENV [SITE_URL, "https://owner.github.io/news-corpus-archive/"]\n'
REPO_LINE = 'repo_url: !ENV [REPO_URL, "https://github.com/example-org/news-corpus-archive"]\n'
VERSION = read_citation(REPO).version
# the release of this version (tag vX.Y.Z), whose zip's name carries the version
DOWNLOAD = f"https://github.com/example-org/news-corpus-archive/releases/download/v{VERSION}/news-corpus-archive-{VERSION}-offline.zip"


def check(root, *args, env=None):
    """`build.py check` in root; the conftest fixture has taken SITE_URL and REPO_URL out of os.environ."""
    return subprocess.run([sys.executable, "build.py", "check", *args], cwd=root, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_the_shipped_mkdocs_yml_reads_both_addresses_with_env_and_a_default():
    text = (REPO / "mkdocs.yml").read_text()
    assert SITE_LINE in text and REPO_LINE in text


def test_env_takes_the_first_variable_set_else_the_default(make_project):
    config = make_project() / "mkdocs.yml"
    assert read_site_settings(config, environ={}).url == "https://owner.github.io/news-corpus-archive/"
    settings = read_site_settings(config, environ={"SITE_URL": "https://news.example.org/archive", "REPO_URL": "https://github.com/o/r/"})
    assert (settings.url, settings.repo_url) == ("https://news.example.org/archive/", "https://github.com/o/r")


def test_env_with_one_name_and_nothing_set_is_refused_with_its_line(make_project):
    root = make_project()
    config = write_config(root, SITE_LINE, "site_url: !ENV ARCHIVE_URL\n")
    assert read_site_settings(config, environ={"ARCHIVE_URL": "https://a.example/"}).url == "https://a.example/"
    with pytest.raises(InputError) as error:
        read_site_settings(config, environ={})
    assert str(error.value) == (
        f"mkdocs.yml:{line_of(root, 'site_url:')}: site_url: no environment variable that !ENV names is set, and it gives no default: "
        "expected the site's public http(s) address, like 'https://owner.github.io/news-corpus-archive/'")


def test_a_bad_address_from_the_environment_is_refused_like_a_written_one(make_project):
    root = make_project()
    with pytest.raises(InputError) as error:
        read_site_settings(root / "mkdocs.yml", environ={"SITE_URL": "javascript:alert(1)"})
    assert str(error.value).startswith(f"mkdocs.yml:{line_of(root, 'site_url:')}: site_url: 'javascript:alert(1)' is not usable: ")


def test_check_for_publishing_refuses_the_placeholders_and_passes_with_real_addresses(make_project):
    root = make_project()
    build_site(root, run_mkdocs=False)  # records the pages, which check asks for
    assert check(root).returncode == 0  # a local check keeps the defaults
    refused = check(root, "--publishing")
    assert refused.returncode == 1
    assert refused.stderr == (
        f"mkdocs.yml:{line_of(root, 'site_url:')}: site_url: 'https://owner.github.io/news-corpus-archive/' is the placeholder: "
        "set SITE_URL in the environment (mkdocs.yml reads it with !ENV) or write the real address here\n"
        f"mkdocs.yml:{line_of(root, 'repo_url:')}: repo_url: 'https://github.com/example-org/news-corpus-archive' is the placeholder: "
        "set REPO_URL in the environment (mkdocs.yml reads it with !ENV) or write the real address here\n"
        "2 problems found; nothing was written.\n")
    accepted = check(root, "--publishing", env={"SITE_URL": "https://o.github.io/r/", "REPO_URL": "https://github.com/o/r"})
    assert accepted.returncode == 0, accepted.stderr


def test_the_addresses_from_the_environment_reach_the_pages_and_a_rebuild_follows_them(make_project, monkeypatch):
    root = make_project()
    build_site(root, run_mkdocs=False)
    monkeypatch.setenv("SITE_URL", "https://news.example.org/")
    monkeypatch.setenv("REPO_URL", "https://github.com/news/archive")
    build_site(root, run_mkdocs=False)  # mkdocs.yml did not change, the addresses did: not "up to date"
    home = (root / "site_src" / "index.md").read_text()
    assert f"https://github.com/news/archive/releases/download/v{VERSION}/news-corpus-archive-{VERSION}-offline.zip" in home
    assert "https://news.example.org/" in (root / "site_src" / "feeds" / "all.xml").read_text()


def test_home_and_data_pages_link_this_versions_release_download_and_its_checksum(built_site):
    for page in ("index.html", "data/index.html"):
        html = (built_site / "site" / page).read_text()
        assert f'href="{DOWNLOAD}"' in html, page
        assert f'href="{DOWNLOAD}.sha256"' in html, page


def test_without_a_repository_there_is_no_download_link(make_project):
    root = make_project()
    write_config(root, REPO_LINE, "")
    build_site(root, run_mkdocs=False)
    assert "/releases/" not in (root / "site_src" / "index.md").read_text()
    assert "/releases/" not in (root / "site_src" / "data" / "index.md").read_text()


def test_the_rights_page_says_who_owns_the_texts_and_every_footer_links_it(built_site):
    site = built_site / "site"
    rights = (site / "rights" / "index.html").read_text()
    for heading in ("Who owns the texts", "Why they are kept", "Asking for a correction or a removal"):
        assert heading in rights
    forms = re.findall(r'href="https://github\.com/example-org/news-corpus-archive/issues/new\?template=([\w.-]+)"', rights)
    assert forms == ["correction.yml", "removal.yml", "article.yml"]
    assert all((REPO / ".github" / "ISSUE_TEMPLATE" / form).is_file() for form in forms)
    for page, link in (("index.html", "rights/"), ("articles/index.html", "../rights/"), ("data/index.html", "../rights/")):
        assert f'<a href="{link}">Rights, corrections and removal</a>' in (site / page).read_text(), page


def test_no_page_puts_a_plural_after_one_or_a_singular_verb_after_many(built_site):
    """"1 article mentions this keyword", "2 articles mention it": never "1 article mention" or "1 articles"."""
    import re

    nouns = "articles|keywords|outlets|topics|mentions|months|years|pages|article mention"
    wrong = re.compile(rf"(?<![\d.,])1 (?:{nouns})\b|(?<![\d.,])(?:[02-9]|\d\d+) articles mentions\b")
    said = []
    for page in sorted((built_site / "site").rglob("*.html")):
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        said += [f"{page.relative_to(built_site)}: {match.group(0)}" for match in wrong.finditer(text)]
    assert said == []
    keyword_pages = [p.read_text(encoding="utf-8") for p in (built_site / "site" / "keywords").glob("*/index.html")]
    assert any("1 article mentions this keyword" in page for page in keyword_pages)
    assert not [page for page in (built_site / "site").rglob("*.html") if "whose the" in page.read_text(encoding="utf-8").lower()]
