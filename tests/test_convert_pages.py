"""MkDocs' Markdown conversion in worker processes (publisher/website/convert_pages.py) makes the same site."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# Elsewhere MkDocs converts every page itself: workers that are not forked cannot inherit its configuration.
forked_only = pytest.mark.skipif(sys.platform != "linux", reason="pages are converted in workers only where processes fork")


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def conversions(monkeypatch) -> list[str]:
    """Workers on (two, from the first page); lists the pages MkDocs' own process converted."""
    from mkdocs.structure.pages import Page

    monkeypatch.setattr("publisher.website.convert_pages.default_workers", lambda: 2)
    monkeypatch.setattr("publisher.website.convert_pages.MIN_PAGES", 1)
    in_mkdocs: list[str] = []
    render = Page.render

    def counted(page, config, files):
        in_mkdocs.append(page.file.src_uri)  # a worker's calls are counted in the worker's copy of this list
        return render(page, config, files)

    monkeypatch.setattr(Page, "render", counted)
    return in_mkdocs


def build(project: Path, docs: Path, site: Path) -> None:
    from publisher.website.mkdocs_build import build_mkdocs_only

    build_mkdocs_only(project / "mkdocs.yml", docs, site)


@forked_only
def test_pages_converted_in_workers_make_the_same_site_as_mkdocs_alone(built_site, tmp_path, conversions, worker_pools, monkeypatch):
    build(built_site, built_site / "site_src", tmp_path / "workers")
    assert worker_pools == [2] and conversions == []  # every page was converted in the workers

    monkeypatch.setattr("publisher.website.convert_pages.default_workers", lambda: 1)
    build(built_site, built_site / "site_src", tmp_path / "alone")
    assert len(conversions) == len(list((built_site / "site_src").rglob("*.md")))

    assert site_files(tmp_path / "workers") == site_files(tmp_path / "alone")


@forked_only
def test_a_warning_in_a_worker_still_fails_the_strict_build_with_mkdocs_message(built_site, tmp_path, conversions):
    from publisher.website.mkdocs_build import MkDocsError

    docs = tmp_path / "site_src"
    shutil.copytree(built_site / "site_src", docs)
    (docs / "articles" / "broken.md").write_text("# Broken\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    with pytest.raises(MkDocsError) as failure:
        build(built_site, docs, tmp_path / "site")
    assert "'articles/broken.md' contains a link 'missing.md', but the target 'articles/missing.md' is not found" in str(failure.value)
    assert "Aborted with 1 warnings in strict mode!" in str(failure.value)
    assert conversions == []  # the warning was logged in a worker, and logged again here


@forked_only
def test_a_page_a_worker_cannot_read_is_left_to_mkdocs_which_names_it_once(built_site, tmp_path, conversions, caplog):
    docs = tmp_path / "site_src"
    shutil.copytree(built_site / "site_src", docs)
    (docs / "articles" / "latin1.md").write_bytes("# Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):  # what MkDocs alone raises
        build(built_site, docs, tmp_path / "site")
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "Encoding error reading file: articles/latin1.md",
        "Error reading page 'articles/latin1.md': 'utf-8' codec can't decode byte 0xe9 in position 5: invalid continuation byte"]


def test_where_processes_do_not_fork_mkdocs_converts_every_page_itself(built_site, tmp_path, conversions, worker_pools, monkeypatch):
    monkeypatch.setattr("publisher.website.convert_pages.pool_context", lambda: None)
    build(built_site, built_site / "site_src", tmp_path / "site")
    assert worker_pools == []
    assert len(conversions) == len(list((built_site / "site_src").rglob("*.md")))
