"""The offline export: a zip that browses and searches the whole archive from disk, asking no server."""
from __future__ import annotations

import hashlib
import html.parser
import shutil
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import REPO, repo_inputs, write_project
from htmlsite import broken_links, parse_page
from publisher.citation import read_citation
from publisher.export import WORKER_SHIM, ZIP_TIME, export_site, offline_overrides
from publisher.pipeline import build_site

VERSION = read_citation(REPO).version  # the release's: the zip's name carries it
TOP = f"news-corpus-archive-{VERSION}-offline"
ZIP = f"dist/{TOP}.zip"
BELARUS = "belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    """The real corpus: built for hosting, then exported and unzipped; with snapshots taken between."""
    root = write_project(tmp_path_factory.mktemp("export"), repo_inputs())
    build_site(root)
    before = {"site": snapshot(root / "site"), "site_src": snapshot(root / "site_src")}
    export = export_site(root)
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(export.path) as archive:
        archive.extractall(folder)
    return {"root": root, "export": export, "before": before, "site": folder / TOP}


def test_the_export_is_one_zip_named_after_the_site(exported):
    export = exported["export"]
    assert export.path == exported["root"] / ZIP
    assert sorted(p.name for p in (exported["root"] / "dist").iterdir()) == [f"{TOP}.zip", f"{TOP}.zip.sha256"]
    assert export.size == export.path.stat().st_size
    assert export.articles == 5
    assert [p.name for p in (exported["root"] / ".build").iterdir()] == ["lock"]  # no work folder left behind


def test_the_zip_has_its_sha256_beside_it_in_the_format_sha256sum_checks(exported):
    zip_path = exported["export"].path
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert zip_path.with_name(zip_path.name + ".sha256").read_text(encoding="ascii") == f"{digest}  {TOP}.zip\n"
    if shutil.which("sha256sum"):  # what a reader runs after downloading both from the release
        checked = subprocess.run(["sha256sum", "-c", zip_path.name + ".sha256"], cwd=zip_path.parent, capture_output=True, text=True)
        assert checked.returncode == 0 and checked.stdout == f"{TOP}.zip: OK\n"


def test_zip_entries_are_sorted_with_fixed_times_and_modes(exported):
    with zipfile.ZipFile(exported["export"].path) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert all(name.startswith(TOP + "/") and not name.endswith("/") for name in names)
    assert {info.date_time for info in infos} == {ZIP_TIME}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    assert len(infos) == exported["export"].files


@pytest.fixture
def offline_page(browser):
    """A page in a browser context that has no network, as on the reader's machine."""
    context = browser.new_context(offline=True)
    yield context.new_page()
    context.close()


def search(page, word: str):
    """Material's search: focus the box, wait for its worker, then type key by key (FACTS.md)."""
    box = page.locator("input.md-search__input")
    box.click()
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("Type to start searching"), timeout=15_000)
    box.press_sequentially(word, delay=50)
    return page.locator(".md-search-result__item")


def test_reader_browses_and_searches_from_disk_and_nothing_leaves_the_folder(exported, offline_page):
    page, site = offline_page, exported["site"].resolve()
    requests, errors = [], []
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Outlets").first.click()
    expect(page).to_have_url((site / "outlets" / "index.html").as_uri())
    page.get_by_role("link", name="ZeroHedge").first.click()
    expect(page.locator("h1")).to_have_text("ZeroHedge")
    page.get_by_role("link", name=re.compile("Belarus Cracks Down")).first.click()
    expect(page).to_have_url((site / "articles" / f"{BELARUS}.html").as_uri())
    expect(page.locator(".archive-text")).to_contain_text("Machulishchy Air Base")
    page.get_by_role("link", name="Belarusian opposition and partisans").first.click()
    expect(page.locator("h1")).to_have_text("Belarusian opposition and partisans")
    assert [url for url in requests if not is_inside(url, site)] == []

    page.get_by_role("link", name="Home").first.click()
    expect(page).to_have_url((site / "index.html").as_uri())
    results = search(page, "Machulishchy")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(results).to_have_count(1)
    results.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(re.escape((site / "articles" / f"{BELARUS}.html").as_uri())))
    expect(page.locator("h1")).to_have_text("Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand")

    assert errors == []
    fetched = {urlsplit(url).path.rsplit("/", 1)[-1] for url in requests}
    assert {"shim.js", "search_index.js"} <= fetched  # search ran on the shipped shim and the inlined index
    outside = [url for url in requests if not is_inside(url, site)]
    assert outside == []


def is_inside(url: str, folder: Path) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return True
    return parts.scheme == "file" and not parts.netloc and Path(unquote(parts.path)).resolve().is_relative_to(folder)


FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload", "modulepreload",
                 "prefetch", "preconnect", "dns-prefetch"}


class _Resources(html.parser.HTMLParser):
    """Every URL that a browser fetches on its own when it opens the page (links a reader follows are not)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" or (tag == "link" and not FETCHING_RELS & set((attrs.get("rel") or "").lower().split())):
            return
        for name in ("src", "href", "srcset", "data", "poster", "action"):
            if attrs.get(name):
                self.urls.append(attrs[name])


def is_outside_url(url: str) -> bool:
    return bool(re.match(r"\s*([a-z][a-z0-9+.-]*:|//)", url, re.I)) and not url.strip().lower().startswith(("data:", "blob:"))


def test_no_page_or_stylesheet_loads_anything_from_elsewhere(exported):
    site = exported["site"]
    outside = []
    for path in sorted(site.rglob("*.html")):
        parser = _Resources()
        parser.feed(path.read_text(encoding="utf-8"))
        outside += [f"{path.relative_to(site)}: {url}" for url in parser.urls if is_outside_url(url)]
    for path in sorted(site.rglob("*.css")):
        for url in re.findall(r"""(?:url\(\s*|@import\s+)["']?([^"')\s;]+)""", path.read_text(encoding="utf-8")):
            if is_outside_url(url):
                outside.append(f"{path.relative_to(site)}: {url}")
    assert outside == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in home and "unpkg.com" not in home and "gtag" not in home
    assert f'src="{WORKER_SHIM}"' in home


def test_every_link_names_a_file_that_is_in_the_zip(exported):
    site = exported["site"]
    assert broken_links(site) == []
    directory_links = []
    for path in sorted(site.rglob("*.html")):
        for link in parse_page(path).links:
            parts = urlsplit(link)
            if not parts.scheme and not parts.netloc and parts.path and parts.path.endswith("/"):
                directory_links.append(f"{path.relative_to(site)}: {link}")
    assert directory_links == []  # file:// shows a folder listing, not its index.html


def test_export_holds_the_raw_texts_the_search_index_and_the_shim_with_its_licence(exported):
    site, root = exported["site"], exported["root"]
    for seed in sorted((root / "seeds").glob("*.txt")):
        assert (site / "raw" / seed.name).read_bytes() == seed.read_bytes()
    index = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert index.startswith("var __index = ")
    assert "Machulishchy" in index and "@misc" not in index  # article text searched, citations not
    # Other articles' titles under "Related coverage" and "In the timeline" would make every article
    # a hit for its neighbours' words, and weigh a fifth of the index at 10,000 articles.
    sections = {location.partition("#")[2] for location in re.findall(r'"location":\s*"([^"]*)"', index)}
    assert "provenance" in sections and not sections & {"related-coverage", "in-the-timeline"}
    assert (site / WORKER_SHIM).read_bytes() == (root / "templates" / "theme" / WORKER_SHIM).read_bytes()
    licence = (site / WORKER_SHIM).with_name("LICENSE").read_text(encoding="utf-8")
    assert "Copyright (c) 2020-2022 Martin Donath" in licence and "Permission is hereby granted" in licence
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()


def test_export_holds_every_file_that_site_src_offers(exported):
    site, root = exported["site"], exported["root"]
    for rel in snapshot(root / "site_src"):
        built = rel[:-3] + ".html" if rel.endswith(".md") else rel
        assert (site / built).is_file(), rel


def test_export_leaves_the_hosted_site_as_it_was(exported):
    root, before = exported["root"], exported["before"]
    assert snapshot(root / "site") == before["site"]
    assert snapshot(root / "site_src") == before["site_src"]
    assert (root / "site" / "articles" / BELARUS / "index.html").is_file()


def test_two_exports_of_the_same_inputs_are_byte_identical(make_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    first = export_site(make_project(name="first")).path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # another build day
    second = export_site(make_project(name="second")).path.read_bytes()
    assert first == second


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "build.py"), *args], cwd=root, capture_output=True, text=True)


def test_build_py_export_says_where_the_zip_is(make_project):
    root = make_project()
    result = run_build(root, "export")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Exported 2 articles to dist/{re.escape(TOP)}\.zip \(\d+ files, \d+\.\d MB\): "
                        r"unzip it and open index\.html\.\n", result.stdout)
    assert (root / ZIP).is_file()
    assert not (root / "site").exists()


def test_bad_input_leaves_the_previous_export_untouched(make_project):
    root = make_project()
    assert run_build(root, "export").returncode == 0
    previous = (root / ZIP).read_bytes()
    (root / "metadata" / "002_beta.yml").write_text("title: Treaty Talks Resume\noutlet: gazete\ndate: 2022-10\ntopics:\n  - alliance\n")
    result = run_build(root, "export")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("metadata/002_beta.yml:2: outlet: 'gazete' is not in metadata/outlets.yml (did you mean 'gazette'?)\n"
                             "1 problem found; nothing was written.\n")
    assert (root / ZIP).read_bytes() == previous


def test_offline_overrides_turn_search_on_and_everything_remote_off():
    hosted = {
        "site_name": "Archive",
        "plugins": ["redirects", {"offline": {"enabled": False}}],
        "extra": {"analytics": {"provider": "google", "property": "G-X"}, "consent": {"title": "Cookies"},
                  "social": [], "polyfills": ["assets/other.js"]},
        "theme": {"name": "material", "font": {"text": "Roboto"}, "features": ["navigation.instant", "navigation.instant.prefetch", "toc.follow"]},
    }
    assert offline_overrides(hosted) == {
        "plugins": ["search", "redirects", "offline"],
        "extra": {"social": [], "polyfills": ["assets/other.js", WORKER_SHIM], "archive_offline": True},
        "theme": {"name": "material", "font": False, "features": ["toc.follow"]},
    }
    assert hosted["extra"]["polyfills"] == ["assets/other.js"]  # the hosted configuration is left as it was
    kept = offline_overrides({"plugins": [{"search": {"lang": ["en", "de"]}}], "theme": "material"})
    assert kept["plugins"] == [{"search": {"lang": ["en", "de"]}}, "offline"]
    assert kept["theme"] == {"name": "material", "font": False, "features": []}


def test_a_failing_mkdocs_leaves_the_previous_export_untouched(make_project):
    root = make_project()
    assert run_build(root, "export").returncode == 0
    previous = (root / ZIP).read_bytes()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - no-such-plugin\n"), encoding="utf-8")
    result = run_build(root, "export")
    assert result.returncode == 1
    assert result.stderr.startswith("MkDocs failed; the previous site is untouched:\n")
    assert "The \"no-such-plugin\" plugin is not installed" in result.stderr
    assert (root / ZIP).read_bytes() == previous
    assert [p.name for p in (root / ".build").iterdir()] == ["lock"]


@pytest.mark.parametrize("old_address", ["articles/troops-gather-at-the-border.html", "articles/troops-gather-at-the-border/index.html"])
def test_a_redirect_in_the_export_opens_the_moved_page_from_disk(make_project, tmp_path, offline_page, old_address):
    from conftest import ALPHA_YML

    root = make_project()
    build_site(root, run_mkdocs=False)
    (root / "metadata/001_alpha.yml").write_text(ALPHA_YML + "slug: troops-at-the-border\n")
    export = export_site(root)
    with zipfile.ZipFile(export.path) as archive:
        archive.extractall(tmp_path / "unzipped")
    site = (tmp_path / "unzipped" / TOP).resolve()
    offline_page.goto((site / old_address).as_uri())
    offline_page.wait_for_url((site / "articles" / "troops-at-the-border.html").as_uri(), timeout=15_000)
    expect(offline_page.locator("h1")).to_have_text("Troops Gather at the Border")
