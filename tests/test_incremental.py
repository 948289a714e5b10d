"""A rebuild with nothing changed reuses site_src/ and the Pagefind index; any change or tampering rebuilds them."""
from __future__ import annotations

import gzip
import json
import shutil

import pytest
from conftest import repo_inputs, write_project

from publisher.pipeline import Stopwatch, build_site
from publisher.settings import KEYWORD_CACHE, PAGEFIND_CACHE, SEARCH_PAGES, SITE_SPARE, SITE_SRC_RECORD
from publisher.pages.routes import SEARCH_SCOPE


def build(root) -> dict:
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    return watch.stages


def test_a_rebuild_with_nothing_changed_reuses_site_src_and_gives_the_same_site(make_project):
    import gc

    root = make_project()
    thresholds = gc.get_threshold()
    build(root)
    assert gc.get_threshold() == thresholds  # the build's own collector settings end with it
    pages = {p: p.read_bytes() for p in (root / "site_src").rglob("*") if p.is_file()}
    stamps = {p: p.stat().st_mtime_ns for p in pages}
    (root / KEYWORD_CACHE).unlink()
    stages = build(root)
    assert {p: p.stat().st_mtime_ns for p in pages} == stamps  # not even rewritten
    assert "clean" not in stages and "keywords" not in stages  # nothing cleaned or extracted
    assert not (root / KEYWORD_CACHE).exists()  # not even the keyword cache was opened
    assert (root / "site" / "pagefind" / "shards.json").exists()
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


# --- A changed corpus: only what changed is rendered and built again, and the result is the full build's.

def tree(folder, skip=("pagefind",)):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part in skip for part in p.relative_to(folder).parts)}


def folders(folder, skip=("pagefind",)):
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_dir() and not any(part in skip for part in p.relative_to(folder).parts)}


def change_text(root):
    seed = root / "seeds" / "001_4411e158f26d3872.txt"
    seed.write_bytes(seed.read_bytes() + b"\nA correction was added to this article.\n")


def change_title(root):
    meta = root / "metadata" / "002_a83c688eb481b20a.yml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("Belarus - Ukraine", "Belarus and Ukraine", 1), encoding="utf-8")


def add_article(root):
    (root / "seeds" / "005_added.txt").write_text(
        "Belarus Opposition Leader Speaks in Vilnius\n\nSviatlana Tsikhanouskaya spoke in Vilnius on Monday about "
        "the detained protesters in Minsk and the sanctions against Alexander Lukashenko.\n", encoding="utf-8")
    (root / "metadata" / "005_added.yml").write_text(
        "title: Belarus Opposition Leader Speaks in Vilnius\noutlet: southfront\ndate: 2021-05-03\n"
        "topics:\n  - belarus-2020-election\n", encoding="utf-8")


def remove_article(root):
    (root / "seeds" / "003_f5749907f425ad4f.txt").unlink()
    (root / "metadata" / "003_f5749907f425ad4f.yml").unlink()


@pytest.mark.parametrize("change", [change_text, change_title, add_article, remove_article])
def test_an_incremental_build_gives_the_full_builds_site_src_and_site(tmp_path, monkeypatch, change):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the sitemap's date, the same for both builds
    root = write_project(tmp_path / "project", repo_inputs())
    build(root)
    meta = root / "metadata" / "004_b81497d0bf113f54.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("summary: ", "summary: Corrected. ", 1), encoding="utf-8")
    build(root)  # the first site is now kept: the build after an edit brings it up to date instead of making folders
    assert (root / SITE_SPARE / "index.html").is_file()
    spare_folder = (root / SITE_SPARE / "articles").stat().st_ino
    pages_before = sum(1 for p in (root / "site_src").rglob("*.md"))
    kept = root / "site_src" / "rights.md"
    kept_html = root / "site" / "rights" / "index.html"
    stamps = (kept.stat().st_mtime_ns, kept_html.stat().st_mtime_ns)
    change(root)
    full = tmp_path / "full"
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("site", "site_src", ".cache", ".build"))

    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    assert 0 < watch.pages_rendered < pages_before  # only the pages that show what changed
    assert watch.mkdocs_pages is not None and watch.mkdocs_pages < pages_before
    assert (kept.stat().st_mtime_ns, kept_html.stat().st_mtime_ns) == stamps  # untouched pages keep their times
    assert (root / "site" / "articles").stat().st_ino == spare_folder  # the kept site, brought up to date

    in_scope = sorted(p.relative_to(root / "site") for p in (root / "site").glob(SEARCH_SCOPE))
    assert sorted(p.relative_to(root / SEARCH_PAGES) for p in (root / SEARCH_PAGES).rglob("*") if p.is_file()) == in_scope

    build_site(full)
    assert tree(root / "site_src") == tree(full / "site_src")
    assert tree(root / "site") == tree(full / "site")
    assert folders(root / "site") == folders(full / "site")  # no folder left over from the site brought up to date
    assert (root / "published-pages.txt").read_bytes() == (full / "published-pages.txt").read_bytes()


def test_a_build_that_cannot_trust_the_last_site_builds_all_of_it(make_project):
    root = make_project()
    build(root)
    (root / "site" / "404.html").write_text("touched")
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text().replace("Treaty Talks Resume", "Treaty Talks Resume Again"))
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    assert watch.pages_rendered is not None and watch.mkdocs_pages is None  # site_src/ in part, site/ whole
    assert "touched" not in (root / "site" / "404.html").read_text()


def test_pages_made_by_other_code_are_not_kept(make_project):
    root = make_project()
    build(root)
    template = root / "templates" / "rights.md.j2"
    template.write_text(template.read_text() + "\nA new closing line.\n")
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    # Everything rendered and built. (The tests render with the repository's templates, which
    # this edit of the project's copy does not reach; the build key covers the copy.)
    assert watch.files_changed is None and watch.mkdocs_pages is None


def test_build_py_says_what_an_incremental_build_changed(make_project):
    import subprocess
    import sys

    root = make_project()
    run = lambda: subprocess.run([sys.executable, "build.py"], cwd=root, capture_output=True, text=True)  # noqa: E731
    assert run().stdout == "Built 2 articles into site_src/ and site/.\n"
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text() + "summary: Negotiators met again.\n")
    done = run()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 2 articles into site_src/ and site/: ")
    assert " file" in done.stdout and "of site_src/ changed; MkDocs built " in done.stdout
    assert done.stdout.endswith(" Search index: Pagefind indexed 0 of 1 shard again.\n")  # the summary is not searched


def test_a_new_search_index_shares_the_files_that_did_not_change(tmp_path):
    from publisher.build.incremental import share_unchanged

    old, new = tmp_path / "old", tmp_path / "new"
    for folder, changed in ((old, b"old words"), (new, b"new words")):
        (folder / "fragment").mkdir(parents=True)
        (folder / "fragment" / "same.pf_fragment").write_bytes(b"the same bytes")
        (folder / "fragment" / "changed.pf_fragment").write_bytes(changed)
    (new / "fragment" / "added.pf_fragment").write_bytes(b"only in the new index")
    assert share_unchanged(new, old) == 1
    assert (new / "fragment" / "same.pf_fragment").stat().st_ino == (old / "fragment" / "same.pf_fragment").stat().st_ino
    assert (new / "fragment" / "changed.pf_fragment").read_bytes() == b"new words"
    assert (new / "fragment" / "added.pf_fragment").read_bytes() == b"only in the new index"


def add_a_sentence(root) -> None:
    """Edit the second fixture article's text (the sentence is searchable: tests look for it)."""
    text = root / "seeds" / "002_beta.txt"
    text.write_text(text.read_text() + "\nNegotiators met again on Friday.\n")


def fragment_inodes(root) -> dict[int, bytes]:
    return {p.stat().st_ino: p.read_bytes() for p in (root / "site" / "pagefind").glob("*/fragment/*")}


def test_a_changed_article_reuses_the_other_articles_search_fragments(make_project):
    """Pagefind indexes the shard again; the files that came out the same are the last index's, linked."""
    root = make_project()
    build(root)
    before = fragment_inodes(root)
    add_a_sentence(root)
    build(root)
    after = fragment_inodes(root)
    assert len(after) == len(before)
    assert len(after.keys() & before.keys()) == len(before) - 1  # the same files, linked: only one written


def test_a_touched_search_index_cache_is_not_reused(make_project):
    root = make_project()
    build(root)
    cached = sorted((root / PAGEFIND_CACHE).glob("*/fragment/*"))[0]
    cached.write_bytes(b"edited by hand")
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text().replace("Treaty Talks Resume", "Treaty Talks Resume Again"))
    build(root)
    assert b"edited by hand" not in fragment_inodes(root).values()


def inodes(folder) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("articles/*/index.html")}


def test_a_rebuild_cuts_again_only_the_article_pages_mkdocs_built_again(make_project):
    """The cut pages are updated in place: the others keep their file and time."""
    root = make_project()
    build(root)
    site_before, cut_before = inodes(root / "site"), inodes(root / SEARCH_PAGES)
    assert site_before.keys() == cut_before.keys() and len(site_before) > 1
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text() + "summary: A summary only this article's page shows.\n")
    build(root)
    site_after, cut_after = inodes(root / "site"), inodes(root / SEARCH_PAGES)
    assert site_after.keys() == cut_after.keys()
    kept = {page for page in site_after if site_before.get(page) == site_after[page]}
    assert kept and len(kept) < len(site_after)  # some pages were built again, not all
    assert {page for page in cut_after if cut_before.get(page) == cut_after[page]} == kept


def search_index(root) -> dict[str, int]:
    folder = root / "site" / "pagefind"
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def fragments(root) -> list[bytes]:
    return [gzip.decompress(p.read_bytes()) for p in (root / "site" / "pagefind").glob("*/fragment/*")]


def test_an_edit_outside_the_searchable_text_makes_no_shard_of_the_search_index_again(make_project):
    """A summary is not in what Pagefind reads: the index is the last one, file for file, and Pagefind does not run."""
    root = make_project()
    build(root)
    before = search_index(root)
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text() + "summary: Negotiators met again.\n")
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    assert "Negotiators met again." in (root / "site" / "articles" / "treaty-talks-resume" / "index.html").read_text()
    assert watch.mkdocs_pages and watch.search_shards == (0, 1)
    assert search_index(root) == {**before, "shards.json": search_index(root)["shards.json"]}


def test_an_edit_makes_only_its_articles_shard_of_the_search_index_again(make_project):
    from test_settings import set_limits

    root = make_project()
    set_limits(root, "    search_shard_size: 1")  # each article in a shard of its own
    build(root)
    names = [shard["name"] for shard in json.loads((root / "site" / "pagefind" / "shards.json").read_text())["shards"]]
    before = search_index(root)
    add_a_sentence(root)
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    assert watch.search_shards == (1, 2)
    after = search_index(root)
    manifest = json.loads((root / "site" / "pagefind" / "shards.json").read_text())
    assert [shard["name"] for shard in manifest["shards"]] == names  # the same addresses, newest first
    kept = {name for name in names if all(after.get(rel) == ino for rel, ino in before.items() if rel.startswith(name + "/"))}
    assert len(kept) == 1  # the other article's shard: the same files
    assert any(b"Negotiators met again on Friday" in fragment for fragment in fragments(root))


def test_shards_follow_the_articles_dates_newest_first():
    from publisher.search.index import SearchPage, plan_shards

    pages = [SearchPage(f"articles/a{n:03d}/index.html", f"20{10 + n % 15:02d}-0{1 + n % 9}", f"{n:064x}") for n in range(300)]
    shards = plan_shards(pages, 40)
    dates = {page.path: page.date for page in pages}
    order = [path for shard in shards for path in shard.pages]
    assert sorted(order) == sorted(dates) and all(len(shard.pages) <= 40 for shard in shards) and len(shards) > 7
    assert [dates[path] for path in order] == sorted(dates.values(), reverse=True)
    edited = [SearchPage(p.path, p.date, "f" * 64) if p.path == order[100] else p for p in pages]
    again = plan_shards(edited, 40)
    assert [s.name for s in again] == [s.name for s in shards]
    assert sum(a.key != b.key for a, b in zip(again, shards)) == 1


def test_by_default_an_edit_indexes_at_most_a_quarter_of_a_small_archive_again():
    """Pagefind takes 1.7 ms a page on one core: shards of a quarter of the pages (250 at the least,
    2,000 at the most) keep a small archive's edit to a few hundred pages and its shards to 4 to 16."""
    from publisher.search.index import SearchPage, plan_shards, shard_size

    sizes = {n: shard_size(n) for n in (0, 5, 1000, 1999, 2000, 3999, 4000, 8000, 100_000)}
    assert sizes == {0: 250, 5: 250, 1000: 250, 1999: 250, 2000: 500, 3999: 500, 4000: 1000, 8000: 2000, 100_000: 2000}
    pages = [SearchPage(f"articles/a{n:04d}/index.html", f"20{10 + n % 15:02d}-{1 + n % 12:02d}", f"{n:064x}") for n in range(1000)]
    shards = plan_shards(pages, shard_size(len(pages)))
    assert 4 <= len(shards) <= 8 and max(len(shard.pages) for shard in shards) <= 250
    added = plan_shards([*pages, SearchPage("articles/new/index.html", "2019-06", "e" * 64)], shard_size(len(pages) + 1))
    remade = [shard for shard in added if shard.key not in {old.key for old in shards}]
    assert len(remade) <= 2 and sum(len(shard.pages) for shard in remade) <= 500


def test_touched_cut_pages_are_not_reused(make_project):
    root = make_project()
    build(root)
    page = sorted((root / SEARCH_PAGES).glob("articles/*/index.html"))[0]
    page.write_text(page.read_text(encoding="utf-8").replace("<p>", "<p>Zeppelin ", 1), encoding="utf-8")
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text().replace("Treaty Talks Resume", "Treaty Talks Resume Again"))
    build(root)
    assert "Zeppelin" not in page.read_text(encoding="utf-8")
    assert not any(b"Zeppelin" in fragment for fragment in fragments(root))


def test_mirror_links_keeps_what_is_linked_and_drops_what_is_gone(tmp_path):
    from publisher.build.incremental import mirror_links

    source, dest = tmp_path / "new", tmp_path / "cache"
    for name, data in {"same": b"kept", "changed": b"new bytes", "added": b"only new"}.items():
        (source / "fragment").mkdir(parents=True, exist_ok=True)
        (source / "fragment" / name).write_bytes(data)
    (dest / "fragment").mkdir(parents=True)
    (dest / "fragment" / "same").hardlink_to(source / "fragment" / "same")
    (dest / "fragment" / "changed").write_bytes(b"old bytes")
    (dest / "fragment" / "gone").write_bytes(b"stale")
    (dest / "fragment" / "added").symlink_to(tmp_path / "elsewhere")
    kept = (dest / "fragment" / "same").stat().st_ino

    mirror_links(source, dest)

    assert sorted(p.name for p in (dest / "fragment").iterdir()) == ["added", "changed", "same"]
    assert (dest / "fragment" / "same").stat().st_ino == kept
    for name in ("same", "changed", "added"):
        target = dest / "fragment" / name
        assert not target.is_symlink() and target.samefile(source / "fragment" / name)


def test_a_shard_made_by_another_pagefind_is_made_again(monkeypatch):
    from publisher.search import index as search_index

    pages = [search_index.SearchPage("articles/a/index.html", "2024-01-02", "0" * 64)]
    key = search_index.plan_shards(pages, 10)[0].key
    monkeypatch.setattr(search_index, "version", lambda name: "9.9.9")
    assert search_index.plan_shards(pages, 10)[0].key != key


@pytest.mark.parametrize("edit_an_article", [True, False])
def test_a_file_outside_hard_linked_into_the_search_index_cache_never_becomes_a_file_of_site(make_project, tmp_path, edit_an_article):
    """Same bytes, same size and time as the cache's file: still never linked into site/, so editing it later edits nothing published."""
    import gzip
    import os

    from publisher.settings import SITE_RECORD

    root = make_project()
    build(root)
    # The first article's fragment: add_a_sentence edits the second, whose fragment gets a new name.
    cached = next(p for p in sorted((root / PAGEFIND_CACHE).glob("*/fragment/*"))
                  if b'"url":"/articles/troops-gather-at-the-border/"' in gzip.decompress(p.read_bytes()))
    outside = tmp_path / "outside.pf_fragment"
    outside.write_bytes(cached.read_bytes())
    stamp = cached.stat()
    cached.unlink()
    os.link(outside, cached)
    os.utime(cached, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    if edit_an_article:
        add_a_sentence(root)  # the shard is made again: its files that come out the same would be the cache's
    else:
        (root / SITE_RECORD).unlink()  # site/ is made again from the same site_src/: the cache's index would be taken whole
    build(root)
    site_inodes = {p.stat().st_ino for p in (root / "site").rglob("*") if p.is_file()}
    assert outside.stat().st_ino not in site_inodes
    assert outside.stat().st_nlink == 1  # not in the cache either: the next build cannot take it
    assert (root / "site" / "pagefind" / cached.relative_to(root / PAGEFIND_CACHE)).read_bytes() == outside.read_bytes()
