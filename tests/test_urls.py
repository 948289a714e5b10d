"""Published addresses never break: the manifest of page paths, redirects, and check's verdict on them."""
from __future__ import annotations

import re

import pytest
from conftest import ALPHA_YML, BETA_YML, TOPICS_YML

from publisher.model import InputError
from publisher.pipeline import build_site, check_project
from publisher.pages.routes import page_url
from publisher.pages.manifest import MANIFEST_FILE

OLD = "articles/troops-gather-at-the-border.md"
EXPECTED = "expected 'folder/name.md' (or raw/<id>.txt, feeds/<name>.xml), then an article id or '-> folder/other.md'"


def problems_of(root) -> list[str]:
    with pytest.raises(InputError) as error:
        check_project(root)
    return [str(p) for p in error.value.problems]


def refresh_target(html: str) -> str:
    return re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)


def test_page_url_is_where_mkdocs_serves_the_page():
    assert [page_url(p) for p in ("index.md", "articles/index.md", "articles/x.md", "timeline.md")] == ["", "articles/", "articles/x/", "timeline/"]


def test_the_build_records_every_page_with_its_article(make_project):
    root = make_project()
    build_site(root, run_mkdocs=False)
    manifest = (root / MANIFEST_FILE).read_text()
    pages = sorted(str(p.relative_to(root / "site_src")) for pattern in ("*.md", "raw/*.txt", "feeds/**/*.xml")
                   for p in (root / "site_src").glob(pattern if "/" in pattern else f"**/{pattern}")
                   if p.name != "sitemap.xml")  # the feeds' empty sitemaps are for the theme, not addresses to keep
    recorded = [line.split(" ")[0] for line in manifest.splitlines() if line and not line.startswith("#")]
    assert recorded == pages
    assert f"{OLD} 001_alpha" in manifest.splitlines()
    assert "raw/001_alpha.txt 001_alpha" in manifest.splitlines()
    build_site(root, run_mkdocs=False)
    assert (root / MANIFEST_FILE).read_text() == manifest
    check_project(root)


def test_a_changed_slug_redirects_from_the_old_address(make_project):
    root = make_project()
    build_site(root)
    (root / "metadata/001_alpha.yml").write_text(ALPHA_YML + "slug: troops-at-the-border\n")
    build_site(root)
    stub = (root / "site" / "articles" / "troops-gather-at-the-border" / "index.html").read_text()
    assert refresh_target(stub) == "../troops-at-the-border/"
    assert (root / "site" / "articles" / "troops-at-the-border" / "index.html").exists()
    assert (root / "site_src" / "articles" / "troops-gather-at-the-border" / "index.html").read_text() == stub
    assert f"{OLD} 001_alpha" in (root / MANIFEST_FILE).read_text().splitlines()
    check_project(root)


def test_a_removed_article_redirects_to_the_list_of_articles(make_project):
    root = make_project()
    build_site(root, run_mkdocs=False)
    (root / "seeds/001_alpha.txt").unlink()
    (root / "metadata/001_alpha.yml").unlink()
    build_site(root, run_mkdocs=False)
    stub = (root / "site_src" / "articles" / "troops-gather-at-the-border" / "index.html").read_text()
    assert refresh_target(stub) == "../"
    check_project(root)


def test_a_listing_that_loses_its_last_page_sends_its_readers_to_the_page_before(make_project):
    from test_settings import set_limits

    root = make_project()
    set_limits(root, "    page_size: 1")  # two articles: the list of articles has a page 2
    build_site(root, run_mkdocs=False)
    assert (root / "site_src" / "articles" / "page" / "2.md").is_file()
    (root / "seeds/001_alpha.txt").unlink()
    (root / "metadata/001_alpha.yml").unlink()
    build_site(root, run_mkdocs=False)  # the page is gone, its address is not
    stub = (root / "site_src" / "articles" / "page" / "2" / "index.html").read_text()
    assert refresh_target(stub) == "../../"  # the list's first page, now its last
    check_project(root)


def append_to_manifest(root, text: str) -> tuple[str, int]:
    """Add a line to the built manifest; return the manifest as it was and the new line's number."""
    manifest = (root / MANIFEST_FILE).read_text()
    (root / MANIFEST_FILE).write_text(manifest + text)
    return manifest, len(manifest.splitlines()) + 1


def test_check_fails_on_a_published_path_that_neither_exists_nor_redirects(make_project):
    root = make_project()
    build_site(root)
    manifest, line = append_to_manifest(root, "guides/setup.md\n")
    assert problems_of(root) == [
        f"{MANIFEST_FILE}:{line}: guides/setup.md: published at /guides/setup/ but neither exists nor redirects: no page has its "
        "article and its folder has no index page; restore the page or send it elsewhere with 'guides/setup.md -> folder/page.md'"]
    before = (root / "site" / "index.html").read_bytes()
    with pytest.raises(InputError):
        build_site(root)
    assert (root / "site" / "index.html").read_bytes() == before
    assert (root / MANIFEST_FILE).read_text() == manifest + "guides/setup.md\n"

    (root / MANIFEST_FILE).write_text(manifest + "guides/setup.md -> timeline.md\n")
    build_site(root)
    assert refresh_target((root / "site" / "guides" / "setup" / "index.html").read_text()) == "../../timeline/"
    assert "guides/setup.md -> timeline.md" in (root / MANIFEST_FILE).read_text().splitlines()


@pytest.mark.parametrize("line, message", [
    ("articles/../../etc.md", f"'articles/../../etc.md' is not a page path: {EXPECTED}"),
    ("articles/Old Page.md", f"'articles/Old' is not a page path: {EXPECTED}"),
    ("articles/x.md -> /etc/passwd", f"articles/x.md: redirect target '/etc/passwd' is not a page path of the same kind: {EXPECTED}"),
    ("raw/x.txt -> articles/index.md", f"raw/x.txt: redirect target 'articles/index.md' is not a page path of the same kind: {EXPECTED}"),
    ("feeds/../../x.xml", f"'feeds/../../x.xml' is not a page path: {EXPECTED}"),
    ("index.md", "index.md: listed twice (first on line 1)"),
])
def test_malformed_manifest_lines_are_named(make_project, line, message):
    root = make_project({MANIFEST_FILE: f"index.md\n{line}\n"})
    assert f"{MANIFEST_FILE}:2: {message}" in problems_of(root)


def test_a_failed_build_leaves_site_and_manifest_untouched(make_project):
    root = make_project()
    build_site(root)
    before = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    manifest = (root / MANIFEST_FILE).read_bytes()
    (root / "metadata/002_beta.yml").write_text(BETA_YML.replace("outlet: gazette", "outlet: gazete") + "slug: treaty-talks\n")
    with pytest.raises(InputError):
        build_site(root)
    assert {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()} == before
    assert (root / MANIFEST_FILE).read_bytes() == manifest


def test_a_removed_article_keeps_an_answer_at_its_raw_text(make_project):
    root = make_project()
    build_site(root, run_mkdocs=False)
    for rel in ("seeds/001_alpha.txt", "metadata/001_alpha.yml"):
        (root / rel).unlink()
    build_site(root, run_mkdocs=False)
    assert (root / "site_src/raw/001_alpha.txt").read_text() == (
        "This text is no longer in the archive: https://owner.github.io/news-corpus-archive/raw/001_alpha.txt was removed.\n\n"
        "The archive's articles: https://owner.github.io/news-corpus-archive/articles/\n")
    assert "raw/001_alpha.txt 001_alpha" in (root / MANIFEST_FILE).read_text().splitlines()
    check_project(root)


def test_a_removed_topic_keeps_a_valid_feed_that_says_it_ended(make_project):
    import xml.etree.ElementTree as ElementTree

    root = make_project()
    build_site(root, run_mkdocs=False)
    topics = TOPICS_YML.replace("border:\n  title: The border\n  description: Events on the border.\n", "")
    (root / "metadata/topics.yml").write_text(topics)
    (root / "metadata/001_alpha.yml").write_text(ALPHA_YML.replace("  - border\n", ""))
    build_site(root, run_mkdocs=False)
    feed = ElementTree.fromstring((root / "site_src/feeds/topics/border.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}title").text == "This feed has ended – News Corpus Archive"
    assert feed.find(f"{atom}id").text == "https://owner.github.io/news-corpus-archive/feeds/topics/border.xml"
    assert feed.find(f"{atom}updated").text == "2023-03-19T00:00:00Z"  # the newest article's date, not the build's
    assert feed.findall(f"{atom}entry") == []
    check_project(root)


def test_a_gone_feed_sent_elsewhere_by_hand_serves_that_feed(make_project):
    root = make_project()
    build_site(root, run_mkdocs=False)
    manifest = (root / MANIFEST_FILE).read_text()
    (root / MANIFEST_FILE).write_text(manifest.replace("feeds/topics/border.xml\n", "feeds/topics/frontier.xml -> feeds/topics/alliance.xml\nfeeds/topics/border.xml\n"))
    build_site(root, run_mkdocs=False)
    assert (root / "site_src/feeds/topics/frontier.xml").read_bytes() == (root / "site_src/feeds/topics/alliance.xml").read_bytes()


def test_a_gone_feed_sent_to_a_file_that_is_not_there_is_named(make_project):
    root = make_project()
    build_site(root, run_mkdocs=False)
    _, line = append_to_manifest(root, "feeds/topics/frontier.xml -> feeds/topics/nowhere.xml\n")
    assert problems_of(root) == [
        f"{MANIFEST_FILE}:{line}: feeds/topics/frontier.xml: its redirect target 'feeds/topics/nowhere.xml' is not a file of the site; "
        "name one that is, or drop the '-> ...' to serve a notice there"]
