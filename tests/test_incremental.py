"""A rebuild with nothing changed reuses site_src/ and the Pagefind index; any change or tampering rebuilds them."""
from __future__ import annotations

from publisher.pipeline import SITE_SRC_RECORD, Stopwatch, build_site


def build(root) -> dict:
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    return watch.stages


def test_a_rebuild_with_nothing_changed_reuses_site_src_and_gives_the_same_site(make_project):
    root = make_project()
    build(root)
    pages = {p: p.read_bytes() for p in (root / "site_src").rglob("*") if p.is_file()}
    stamps = {p: p.stat().st_mtime_ns for p in pages}
    build(root)
    assert {p: p.stat().st_mtime_ns for p in pages} == stamps  # not even rewritten
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
