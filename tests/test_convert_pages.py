"""MkDocs' Markdown conversion in worker processes (publisher/website/convert_pages.py) makes the same site."""
from __future__ import annotations

import os
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


@forked_only
def test_mkdocs_holds_the_text_of_the_page_it_builds_not_of_every_page(built_site, tmp_path, conversions, monkeypatch):
    """Memory stays flat as the archive grows: a page's HTML is held from just before it is built until it is written."""
    import functools

    from publisher.website.convert_pages import ConvertInWorkers

    files_seen, nav_pages, held = [], [], []
    on_nav, on_post_page = ConvertInWorkers.on_nav, ConvertInWorkers.on_post_page

    @functools.wraps(on_nav)
    def watch_nav(self, nav, config, files):
        files_seen.extend(files.documentation_pages())
        nav_pages.extend(nav.pages)
        return on_nav(self, nav, config, files)

    @functools.wraps(on_post_page)
    def count_held(self, output, page, config):
        output = on_post_page(self, output, page, config)
        held.append(sum(1 for file in files_seen if file.page is not None and file.page.content))
        return output

    spooled_files, spool_dirs = [], set()
    on_page_context = ConvertInWorkers.on_page_context

    @functools.wraps(on_page_context)
    def count_spooled(self, context, page, config, nav):
        context = on_page_context(self, context, page, config, nav)
        spooled_files.append(len(os.listdir(self.spool_dir)))
        spool_dirs.add(self.spool_dir)
        return context

    monkeypatch.setattr(ConvertInWorkers, "on_nav", watch_nav)
    monkeypatch.setattr(ConvertInWorkers, "on_post_page", count_held)
    monkeypatch.setattr(ConvertInWorkers, "on_page_context", count_spooled)
    monkeypatch.setattr("publisher.website.convert_pages.CHUNK_PAGES", 4)
    build(built_site, built_site / "site_src", tmp_path / "site")
    assert conversions == [] and len(held) == len(files_seen) > len(nav_pages) + 50
    # Pages in the navigation are kept whole (every page shows their titles); of the others, none.
    assert max(held) <= len(nav_pages)
    # And on disk: a spool file goes once its pages are read back, so the last pages find one or none left.
    assert spooled_files[0] > 10 and spooled_files[-1] <= 1
    # The spool lies beside the site written (in a build, its work folder, which goes with a killed
    # build), not in /tmp, and it is gone once the site is built.
    (spool_dir,) = spool_dirs
    assert Path(spool_dir).parent == tmp_path and not Path(spool_dir).exists()


def test_a_worker_keeps_nothing_of_the_pages_it_converted(built_site, tmp_path):
    """A worker converts half the site: what it keeps of each page would grow with the archive."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from publisher.website.convert_pages import convert_page

    config = load_config(str(built_site / "mkdocs.yml"), docs_dir=str(built_site / "site_src"), site_dir=str(tmp_path / "site"))
    config.plugins.on_config(config)
    files = get_files(config)
    get_navigation(files, config)  # MkDocs makes a Page for every file here, before the workers fork
    pages = files.documentation_pages()
    converted = [convert_page(config, files, file.src_uri) for file in pages]
    assert all(c is not None and c.content for c in converted)
    assert [file.src_uri for file in pages if file.page is not None and (file.page.markdown or file.page.content)] == []
