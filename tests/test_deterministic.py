"""Same inputs, same bytes: a pull request's effect on the site is a reviewable diff."""
from __future__ import annotations

from conftest import repo_inputs, write_project

from publisher.pipeline import build_site


def tree(folder) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def without_pagefind(files: dict) -> dict:
    return {rel: data for rel, data in files.items() if not rel.startswith("pagefind/")}


def test_site_src_is_byte_identical_across_builds_and_folders(tmp_path):
    first = write_project(tmp_path / "one", repo_inputs())
    second = write_project(tmp_path / "two", dict(reversed(list(repo_inputs().items()))))
    build_site(first, run_mkdocs=False)
    build_site(second, run_mkdocs=False)
    assert tree(first / "site_src") == tree(second / "site_src")
    assert (first / "published-pages.txt").read_bytes() == (second / "published-pages.txt").read_bytes()


def test_site_is_byte_identical_with_source_date_epoch(tmp_path, monkeypatch):
    """MkDocs stamps the sitemap with the build time unless SOURCE_DATE_EPOCH gives one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = write_project(tmp_path / "one", repo_inputs())
    second = write_project(tmp_path / "two", repo_inputs())
    build_site(first)
    build_site(second)
    # Pagefind writes the same index in chunks whose names and order differ from run to run.
    assert "pagefind/shards.json" in tree(first / "site")
    assert without_pagefind(tree(first / "site")) == without_pagefind(tree(second / "site"))
    gzip_mtime = int.from_bytes((first / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little")
    assert gzip_mtime == 1700000000 - 1700000000 % 86400  # the day of SOURCE_DATE_EPOCH, not of the build
