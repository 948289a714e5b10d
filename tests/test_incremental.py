"""A rebuild with nothing changed reuses site_src/ and the Pagefind index; any change or tampering rebuilds them."""
from __future__ import annotations

from publisher.pipeline import KEYWORD_CACHE, PAGEFIND_CACHE, SITE_SRC_RECORD, Stopwatch, build_site


def build(root) -> dict:
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    return watch.stages


def test_a_rebuild_with_nothing_changed_reuses_site_src_and_gives_the_same_site(make_project):
    root = make_project()
    build(root)
    pages = {p: p.read_bytes() for p in (root / "site_src").rglob("*") if p.is_file()}
    stamps = {p: p.stat().st_mtime_ns for p in pages}
    (root / KEYWORD_CACHE).unlink()
    stages = build(root)
    assert {p: p.stat().st_mtime_ns for p in pages} == stamps  # not even rewritten
    assert "clean" not in stages and "keywords" not in stages  # nothing cleaned or extracted
    assert not (root / KEYWORD_CACHE).exists()  # not even the keyword cache was opened
    assert (root / "site" / "pagefind" / "pagefind-entry.json").exists()
    assert (root / "site" / "articles" / "troops-gather-at-the-border" / "index.html").exists()


def test_a_changed_article_renders_again(make_project):
    root = make_project()
    build(root)
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text().replace("Treaty Talks Resume", "Treaty Talks Resume Again"))
    build(root)
    assert "Treaty Talks Resume Again" in (root / "site_src" / "articles" / "index.md").read_text()
    html = (root / "site" / "articles" / "treaty-talks-resume-again" / "index.html").read_text()
    assert "Treaty Talks Resume Again" in html


def test_a_hand_edited_site_src_is_not_trusted(make_project):
    root = make_project()
    build(root)
    page = root / "site_src" / "articles" / "index.md"
    original = page.read_text()
    page.write_text(original + "\nEdited by hand.\n")
    build(root)
    assert page.read_text() == original


def test_a_corrupt_record_is_not_trusted(make_project):
    root = make_project()
    build(root)
    (root / SITE_SRC_RECORD).write_text("garbage")
    (root / "site_src" / "timeline.md").unlink()
    build(root)
    assert (root / "site_src" / "timeline.md").exists()


def test_a_changed_configuration_renders_again_with_the_keywords_from_the_cache(make_project):
    root = make_project()
    build(root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: News Corpus Archive", "site_name: Renamed Archive"))
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    assert watch.extraction.extracted == 0 and watch.extraction.cached == len(list((root / "seeds").iterdir()))
    assert "\n# Renamed Archive\n" in (root / "site_src" / "index.md").read_text()


def test_a_rebuild_with_nothing_changed_keeps_site_as_it_is(make_project):
    import subprocess
    import sys

    root = make_project()
    build(root)
    stamps = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")}
    done = subprocess.run([sys.executable, "build.py"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Nothing changed since the last build: site_src/ and site/ are up to date (2 articles).\n"
    assert {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*")} == stamps  # MkDocs did not run


def test_a_touched_site_is_built_again(make_project):
    root = make_project()
    build(root)
    page = root / "site" / "articles" / "troops-gather-at-the-border" / "index.html"
    original = page.read_bytes()
    page.write_text("defaced")
    stages = build(root)
    assert "mkdocs" in stages and page.read_bytes() == original
    (root / "site" / "404.html").unlink()
    build(root)
    assert (root / "site" / "404.html").exists()


def test_another_source_date_epoch_builds_site_again(make_project, monkeypatch):
    root = make_project()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(root)
    assert "mkdocs" not in build(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert "mkdocs" in build(root)
    gzip_mtime = int.from_bytes((root / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert gzip_mtime == 1800000000 - 1800000000 % 86400


def fragment_inodes(root) -> dict[int, bytes]:
    return {p.stat().st_ino: p.read_bytes() for p in (root / "site" / "pagefind" / "fragment").iterdir()}


def test_a_changed_article_reuses_the_other_articles_search_fragments(make_project):
    root = make_project()
    build(root)
    before = fragment_inodes(root)
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text().replace("Treaty Talks Resume", "Treaty Talks Resume Again"))
    build(root)
    after = fragment_inodes(root)
    assert len(after) == len(before)
    assert len(after.keys() & before.keys()) == len(before) - 1  # the same files, linked: only one written


def test_a_touched_search_index_cache_is_not_reused(make_project):
    root = make_project()
    build(root)
    cached = sorted((root / PAGEFIND_CACHE / "fragment").iterdir())[0]
    cached.write_bytes(b"edited by hand")
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text().replace("Treaty Talks Resume", "Treaty Talks Resume Again"))
    build(root)
    assert b"edited by hand" not in fragment_inodes(root).values()
