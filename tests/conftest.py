"""Shared fixtures: small projects in tmp_path, the real site built once, and Chromium."""
from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

OUTLETS_YML = """\
daily-planet:
  name: Daily Planet
  homepage: https://dailyplanet.example/
  country: United States
  language: en
  description: A newspaper made up for the tests.
  furniture:
    - '^Support the Daily Planet$'
  trailer:
    - '^More from the Planet$'
gazette:
  name: The Gazette
  country: unknown
  language: en
  description: Another outlet made up for the tests.
"""
TOPICS_YML = """\
border:
  title: The border
  description: Events on the border.
alliance:
  title: The alliance
  description: Two countries and their treaty.
"""
FURNITURE_YML = """\
furniture:
  - '^READ MORE: '
trailer:
  - '^Leave a Reply$'
"""
ALPHA_TXT = """\
Support the Daily Planet

Troops Gather at the Border

Troops gathered at the northern border on Monday, officials said.

The alliance treaty obliges both countries to respond to any attack.

Leave a Reply

Unrelated story about football
"""
BETA_TXT = """\
Treaty Talks Resume

Negotiators met in the capital to discuss the alliance treaty and the border.

READ MORE: Something else entirely
"""
ALPHA_YML = """\
title: Troops Gather at the Border
outlet: daily-planet
date: 2023-03-19
topics:
  - border
  - alliance
authors:
  - Jane Reporter
source_url: https://dailyplanet.example/troops
"""
BETA_YML = """\
title: Treaty Talks Resume
outlet: gazette
date: 2022-10
topics:
  - alliance
"""
FIXTURE_FILES = {
    "metadata/outlets.yml": OUTLETS_YML,
    "metadata/topics.yml": TOPICS_YML,
    "metadata/furniture.yml": FURNITURE_YML,
    "seeds/001_alpha.txt": ALPHA_TXT,
    "metadata/001_alpha.yml": ALPHA_YML,
    "seeds/002_beta.txt": BETA_TXT,
    "metadata/002_beta.yml": BETA_YML,
}
SITE_FILES = ("mkdocs.yml", "CITATION.cff", "build.py", "templates", "publisher",
              "requirements.site.lock.txt")  # the code and what it is fingerprinted by


def write_project(root: Path, files: dict) -> Path:
    """A project folder: the site's code and config from the repo, the inputs from files (None drops one)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    for rel, content in files.items():
        path = root / rel
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (root / "seeds").mkdir(exist_ok=True)
    (root / "metadata").mkdir(exist_ok=True)
    return root


@pytest.fixture
def worker_pools(monkeypatch) -> list[int]:
    """The worker count of every process pool started while the test runs (pools still run)."""
    import concurrent.futures

    pools: list[int] = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs["max_workers"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    return pools


@pytest.fixture
def make_project(tmp_path):
    """make_project(overrides) -> a fixture project in tmp_path; overrides replace or drop files."""
    def make(overrides: dict | None = None, name: str = "project") -> Path:
        return write_project(tmp_path / name, {**FIXTURE_FILES, **(overrides or {})})
    return make


def repo_inputs() -> dict:
    """The real corpus: every seed and metadata file of the repository."""
    files = {}
    for folder in ("seeds", "metadata"):
        for path in sorted((REPO / folder).iterdir()):
            if path.is_file():
                files[f"{folder}/{path.name}"] = path.read_bytes()
    return files


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real corpus built with real MkDocs into a temporary project; returns the project root."""
    from publisher.pipeline import build_site

    root = write_project(tmp_path_factory.mktemp("real"), repo_inputs())
    build_site(root)
    return root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve_dir():
    """serve_dir(folder) -> base URL of a static server on 127.0.0.1 for that folder."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def find_chromium() -> str | None:
    """Debian's Chromium where it is installed; None for Playwright's own (what setup.sh installs elsewhere)."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture(autouse=True)
def placeholder_addresses(monkeypatch):
    """Every test sees mkdocs.yml's own defaults, whatever SITE_URL or REPO_URL the shell exports."""
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("REPO_URL", raising=False)


# The slow tier: tests that build whole sites with MkDocs and Pagefind, drive Chromium, or run
# build.py in another process. `pytest -m "not slow"` runs the rest (DEVELOPING.md, "Tests").
SLOW_FIXTURES = {"browser", "built_site", "untrusted_site", "statistics"}
SLOW_FILES = {
    "test_atomic.py",
    "test_bench_corpus.py",
    "test_cli.py",
    "test_deterministic.py",
    "test_differential.py",
    "test_export.py",
    "test_hardening.py",
    "test_incremental.py",
    "test_progress.py",
    "test_publish.py",
    "test_serve_hook.py",
    "test_untrusted.py",
}
# Tests (names without parameters) of files whose other tests are fast.
SLOW_TESTS = {
    "test_add.py::test_add_from_a_raw_scrape_then_check_then_build",
    "test_bad_input.py::test_an_article_with_nothing_to_read_is_refused_with_how_to_fix_it",
    "test_bad_input.py::test_arabic_title_is_accepted",
    "test_bad_input.py::test_byte_order_mark_crlf_and_cr_line_ends_are_read_as_lf",
    "test_bad_input.py::test_cyrillic_and_belarusian_titles_get_transliterated_slugs",
    "test_bad_input.py::test_right_to_left_and_zero_width_characters_in_a_seed_stay_in_their_paragraph",
    "test_check.py::test_check_passes_on_a_built_project_and_writes_nothing",
    "test_clean.py::test_a_marker_that_backtracks_without_end_is_stopped_and_named",
    "test_keyword_cache.py::test_worker_processes_give_the_serial_keywords_and_index_on_the_seeds",
    "test_keyword_stage.py::test_a_damaged_memo_is_ignored_and_replaced",
    "test_keyword_stage.py::test_choices_are_made_again_only_where_a_fact_they_looked_up_changed",
    "test_keyword_stage.py::test_the_memo_gives_what_a_run_from_nothing_gives_after_each_kind_of_edit",
    "test_packaging.py::test_every_subcommand_has_a_description_of_its_own",
    "test_page_kinds.py::test_a_toy_kind_is_built_and_an_authors_edit_built_incrementally_is_the_full_build",
    "test_packaging.py::test_flags_are_accepted_after_the_subcommand_as_well_as_before",
    "test_packaging.py::test_the_installed_environment_is_the_lock_and_holds_nothing_that_nothing_needs",
    "test_publishing.py::test_check_for_publishing_refuses_the_placeholders_and_passes_with_real_addresses",
    "test_render.py::test_article_pages_keyed_in_worker_processes_are_the_serial_ones",
    "test_urls.py::test_a_changed_slug_redirects_from_the_old_address",
    "test_urls.py::test_a_failed_build_leaves_site_and_manifest_untouched",
    "test_urls.py::test_check_fails_on_a_published_path_that_neither_exists_nor_redirects",
    "test_workflows.py::test_workflow_is_valid_against_the_github_workflow_schema",
}


def is_slow(item) -> bool:
    """Whether a test belongs to the slow tier: by the fixtures it uses, its file, or its name."""
    return (bool(SLOW_FIXTURES & set(getattr(item, "fixturenames", ())))
            or item.path.name in SLOW_FILES
            or f"{item.path.name}::{item.originalname}" in SLOW_TESTS)


def pytest_collection_modifyitems(items):
    """Mark every test that drives Chromium, so `-m 'not browser'` runs the rest (CI on macOS and Windows),
    and every slow one, so `-m 'not slow'` runs the fast tier."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if is_slow(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    """Chromium driven by Playwright: Debian's where installed, else the one setup.sh had Playwright install."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        except Error as error:
            pytest.fail(f"no Chromium for the browser tests ({CHROMIUM} is missing and Playwright has none): "
                        f"run `bash setup.sh`, or leave them out with `-m 'not browser'`\n{error}", pytrace=False)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def untrusted_site(tmp_path_factory) -> Path:
    """The fixture corpus plus an article whose every field tries to break out, built with real MkDocs."""
    from publisher.pipeline import build_site
    from untrusted import UNTRUSTED_FILES

    root = write_project(tmp_path_factory.mktemp("untrusted"), {**FIXTURE_FILES, **UNTRUSTED_FILES})
    build_site(root)
    return root
