"""The offline export: the hosted site/ in a zip that browses and searches the whole archive from disk, asking no server."""
from __future__ import annotations

import base64
import hashlib
import json
import html
import html.parser
import shutil
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import REPO, repo_inputs, write_project
from htmlsite import broken_links, parse_page
from publisher.citation import read_citation
from publisher.export import ZIP_TIME, export_site
from publisher.offline_files import file_link, offline_page
from publisher.pipeline import build_site
from publisher.search.cut_pages import cut_page
from searchui import is_inside, open_from_disk, open_search, result_titles, search, wait_idle

VERSION = read_citation(REPO).version  # the release's: the zip's name carries it
TOP = f"news-corpus-archive-{VERSION}-offline"
ZIP = f"dist/{TOP}.zip"
BELARUS = "belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand"
VIEWPORT = {"width": 1366, "height": 900}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    """The real corpus with the pages it has published (merged keywords redirect to theirs): built for
    hosting, then exported and unzipped; with snapshots taken between."""
    published = {"published-pages.txt": (REPO / "published-pages.txt").read_bytes()}
    root = write_project(tmp_path_factory.mktemp("export"), {**repo_inputs(), **published})
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
    with zipfile.ZipFile(exported["export"].path) as archive:
        assert archive.testzip() is None  # every entry's CRC holds


def article_texts(site: Path) -> dict[str, str]:
    """Each article's title and the text Pagefind indexes of it (its data-pagefind-body element), from the hosted site."""
    texts = {}
    for path in sorted((site / "articles").glob("*/index.html")):
        page = path.read_text(encoding="utf-8")
        body = cut_page(page)
        if body is None:
            continue  # a listing or a redirect
        title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        text = re.sub(r"<[^>]+>", " ", body)
        texts[html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).strip()] = " ".join(html.unescape(text).split())
    return texts


@pytest.fixture
def from_disk(browser, exported):
    """The offline copy's home page, opened from file:// with no network; requests outside its folder refused."""
    page = open_from_disk(browser, exported["site"], VIEWPORT)
    yield page
    page.context.close()


def test_search_from_disk_finds_exactly_the_articles_holding_a_word_or_a_phrase(exported, from_disk):
    page, texts = from_disk, article_texts(exported["root"] / "site")
    holding = sorted(title for title, text in texts.items() if re.search(r"\bLukashenko\b", text))
    assert len(holding) == 4
    search(page, "Lukashenko")
    assert sorted(result_titles(page)) == holding
    excerpts = " ".join(page.locator(".archive-search__excerpt").all_text_contents())
    # Nothing of the index's hidden data (sort dates, filter values) shows as text.
    assert not re.search(r"\d{4}-\d{2}|%20|%2C", excerpts), excerpts
    assert page.locator(".archive-search__excerpt mark").first.text_content().startswith("Lukashenko")
    phrase = sorted(title for title, text in texts.items() if re.search(r"\bBelarusian army\b", text, re.I))
    assert len(phrase) == 2
    search(page, '"Belarusian army"')
    assert sorted(result_titles(page)) == phrase
    # The outlet filter narrows "Lukashenko" to the Daily Express's one article.
    search(page, "Lukashenko")
    page.locator(".archive-search__filters summary").click()
    page.get_by_label("Outlet").select_option("Daily Express")
    wait_idle(page)
    assert page.locator(".archive-search__outlet").all_text_contents() == ["Daily Express"]
    # One Escape, from a result, closes the panel and leaves the focus on the box.
    page.locator(".archive-search__title").first.focus()
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('.archive-search__panel').hidden")
    assert "archive-search__input" in page.evaluate("document.activeElement.className")
    open_search(page)
    page.locator(".archive-search__title").first.click()
    expect(page.locator("h1")).to_have_text("Lukashenko mobilising troops could spell disaster for Putin – 'epic fail'")
    assert page.url.endswith("/index.html")
    assert page.problems == []


def test_search_loads_nothing_until_a_reader_searches(exported, from_disk):
    page = from_disk
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.reload()
    page.wait_for_load_state("load")
    assert [url for url in requested if "/pagefind/" in url] == []
    search(page, "Machulishchy")
    assert result_titles(page) == ["Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand"]
    assert any(url.endswith("/pagefind.js") for url in requested)
    assert page.problems == []


def test_reader_browses_from_disk_and_nothing_leaves_the_folder(exported, from_disk):
    page, site = from_disk, exported["site"]
    page.get_by_role("link", name="Outlets").first.click()
    expect(page).to_have_url((site / "outlets" / "index.html").as_uri())
    page.get_by_role("link", name="ZeroHedge").first.click()
    expect(page.locator("h1")).to_have_text("ZeroHedge")
    page.get_by_role("link", name=re.compile("Belarus Cracks Down")).first.click()
    expect(page).to_have_url((site / "articles" / BELARUS / "index.html").as_uri())
    expect(page.locator(".archive-text")).to_contain_text("Machulishchy Air Base")
    expect(page.locator("#cite-bibtex")).to_contain_text("@misc{durden2023belarus")  # the citations
    raw = page.locator("a[href$='.txt']").first.get_attribute("href")
    page.get_by_role("link", name="Belarusian opposition and partisans").first.click()
    expect(page.locator("h1")).to_have_text("Belarusian opposition and partisans")
    page.goto((site / "articles" / BELARUS / raw).resolve().as_uri())
    expect(page.locator("body")).to_contain_text("Machulishchy")  # the raw text
    # Browse lists every article and its links open them; the Statistics page draws its charts.
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="Browse").first.click()
    expect(page.locator("#browse-status")).to_have_text("5 of 5 articles")
    page.locator("#browse-results li a").first.click()
    expect(page.locator(".archive-text")).to_be_visible()
    assert page.url.endswith("/index.html")
    page.get_by_role("link", name="Statistics").first.click()
    expect(page.locator("h1")).to_have_text(re.compile("Statistics"))
    assert page.locator("main svg, main figure, main table").count() > 0
    page.get_by_role("link", name="Home").first.click()
    expect(page).to_have_url((site / "index.html").as_uri())
    assert page.problems == []


def test_a_merged_keyword_leads_to_its_keyword_from_disk(exported, browser):
    page = open_from_disk(browser, exported["site"], VIEWPORT, "keywords/lukashenko/index.html")
    page.wait_for_url((exported["site"] / "keywords" / "alexander-lukashenko" / "index.html").as_uri(), timeout=15_000)
    expect(page.locator("h1")).to_have_text("Alexander Lukashenko")
    assert page.problems == []
    page.context.close()


def test_the_404_page_from_disk_is_styled_and_its_links_work(exported, browser):
    site = exported["site"]
    page = open_from_disk(browser, site, VIEWPORT, "404.html")
    expect(page.locator("h1")).to_have_text("Page not found")
    sheets = page.evaluate("Array.from(document.styleSheets).map(s => s.href).filter(Boolean)")
    assert sheets and all(is_inside(href, site) for href in sheets)
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    page.get_by_role("link", name="Topics").last.click()
    expect(page).to_have_url((site / "topics" / "index.html").as_uri())
    assert page.problems == []
    page.context.close()


def test_the_404_guess_survives_a_malformed_address(built_site, browser):
    """Hosted: an address with a broken escape shows the page, with a guess or none, and no script error."""
    from bench.screens import read_base_path, serve_site
    from searchui import watch_problems

    with serve_site(built_site / "site", read_base_path(built_site / "mkdocs.yml")) as address:
        context = browser.new_context()
        page = context.new_page()
        watch_problems(page)
        page.goto(address + "articles/%E0%A4%A/")
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page.locator("#not-found-guess")).to_be_hidden()
        page.goto(address + "articles/belarus-cracks-down-%E0%A4%A-pro-ukraine-guerrillas-war/")
        expect(page.locator("#not-found-guess a")).to_have_text(re.compile("^Belarus Cracks Down"))
        assert [p for p in page.problems if p.startswith(("page error", "console"))] == []
        context.close()


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
    assert 'data-md-component="source"' not in home  # Material would ask the GitHub API for the repository's facts
    assert 'type="application/atom+xml"' not in home  # Material fetches a sitemap.xml beside each feed link


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


def test_export_holds_the_raw_texts_and_one_search_index_as_scripts(exported):
    site, root = exported["site"], exported["root"]
    for seed in sorted((root / "seeds").glob("*.txt")):
        assert (site / "raw" / seed.name).read_bytes() == seed.read_bytes()
    hosted = root / "site" / "pagefind"
    shards = json.loads((hosted / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert (site / "pagefind" / "shards.json.js").is_file()
    for shard in shards:
        index = hosted / shard["name"]
        for path in sorted(index.rglob("*")):
            rel = path.relative_to(hosted).as_posix()
            if path.is_dir() or path.name in ("pagefind.js", "pagefind-worker.js"):
                continue
            wrapped = (site / "pagefind" / f"{rel}.js").read_text(encoding="ascii")
            head, _, tail = wrapped.partition(",")
            assert head == f'archivePagefindFile("{rel}"'
            assert base64.b64decode(tail.strip().rstrip(");").strip('"')) == path.read_bytes()
        script = (site / "pagefind" / shard["name"] / "pagefind.js").read_text(encoding="utf-8")
        assert "import.meta" not in script and "export{" not in script and "window.archivePagefind=" in script
    # One index: no file Pagefind fetches as it is, no worker that file:// cannot start, no Material search.
    left = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and (
        p.suffix in (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
        or (p.suffix == ".json" and "pagefind" in p.parts)
        or p.name == "pagefind-worker.js" or "lunr" in p.parts or "workers" in p.parts or "search_index" in p.name)]
    assert left == []
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()


def test_export_holds_every_file_of_the_hosted_site(exported):
    site, root = exported["site"], exported["root"]
    hosted = root / "site"
    for path in sorted(hosted.rglob("*")):
        rel = path.relative_to(hosted).as_posix()
        if path.is_dir() or rel.startswith(("pagefind/", "assets/javascripts/lunr/", "assets/javascripts/workers/", "sitemap.xml")):
            continue
        assert (site / rel).is_file(), rel
        if not rel.endswith(".html"):
            assert (site / rel).read_bytes() == path.read_bytes(), rel


FOLDER_LINKS = [
    ("../topics/", "../topics/index.html"), ("..", "../index.html"), ("../..", "../../index.html"), (".", "./index.html"),
    ("./", "./index.html"), ("bypol/", "bypol/index.html"), ("../x/#cite", "../x/index.html#cite"),
    ("../x/?q=1", "../x/index.html?q=1"), ("#top", "#top"), ("../raw/a.txt", "../raw/a.txt"), ("../a..", "../a.."),
    ("https://example.org/a/", "https://example.org/a/"), ("mailto:a@b.c", "mailto:a@b.c"), ("", ""),
    ("/root/", "/root/"), ("//host/a/", "//host/a/"), ("x.html", "x.html"), ("../.", ".././index.html"),
]


@pytest.mark.parametrize(("link", "offline"), FOLDER_LINKS)
def test_a_link_to_a_folder_names_its_index_html(link, offline):
    assert file_link(link) == offline


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


def test_an_export_after_an_edit_copies_unchanged_files_and_equals_a_fresh_one(make_project):
    from conftest import ALPHA_YML

    root = make_project()
    first = export_site(root)
    assert first.reused == 0
    (root / "metadata/001_alpha.yml").write_text(ALPHA_YML.replace("Troops Gather at the Border", "Troops Gather at the Northern Border"))
    again = export_site(root)
    assert 0 < again.reused < again.files  # the theme and raw texts copied; the edited pages made again
    reused = again.path.read_bytes()
    (root / ".cache" / "export.json").unlink()  # no record: every file compressed afresh
    fresh = export_site(root)
    assert fresh.reused == 0 and fresh.path.read_bytes() == reused
    zipped = again.path.with_name("copy.zip")
    zipped.write_bytes(reused)
    with zipfile.ZipFile(zipped) as archive:
        assert archive.testzip() is None
        page = archive.read(f"{TOP}/articles/troops-gather-at-the-northern-border/index.html").decode("utf-8")
    assert "Troops Gather at the Northern Border" in page


def test_a_touched_zip_is_not_copied_from(make_project):
    root = make_project()
    export = export_site(root)
    with open(export.path, "r+b") as handle:  # one byte of the last zip changed after it was recorded
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 0xFF]))
    again = export_site(root)
    assert again.reused == 0
    with zipfile.ZipFile(again.path) as archive:
        assert archive.testzip() is None


def links_as_file_link_makes_them(page: str) -> str:
    """The page with every href, src and refresh address put through file_link, one call per link."""
    def link(match: re.Match) -> str:
        return f"{match.group(1)}{file_link(match.group(2))}{match.group(3)}"

    page = re.sub(r'(\s(?:href|src)=")([^"]*)(")', link, page)
    return re.sub(r'(<meta http-equiv="refresh" content="\d+; url=)([^"]*)(")', link, page)


def test_pages_get_the_links_file_link_makes(exported):
    """offline_page changes links with two substitutions, for speed: they agree with file_link on every page."""
    site = exported["root"] / "site"
    links = "".join(f'<a href="{link}">x</a> <img src="{link}">\n' for link, _ in FOLDER_LINKS)
    pages = [(site / "x.html", links + '<meta http-equiv="refresh" content="0; url=../moved/">')]
    pages += [(path, path.read_text(encoding="utf-8")) for path in sorted(site.rglob("*.html")) if path.name != "404.html"]
    for path, page in pages:
        expected = links_as_file_link_makes_them(page)
        assert offline_page(page) == offline_page_rest(expected), path


def offline_page_rest(page: str) -> str:
    """What offline_page does besides links (feed links, the source component, the search box's switch)."""
    page = re.sub(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', "", page)
    page = page.replace(' data-md-component="source"', "")
    return page.replace(' data-pagefind="', ' data-pagefind-scripts data-pagefind="')


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "build.py"), *args], cwd=root, capture_output=True, text=True)


def test_build_py_export_says_where_the_zip_is(make_project):
    root = make_project()
    result = run_build(root, "export")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Exported 2 articles to dist/{re.escape(TOP)}\.zip \(\d+ files, \d+\.\d MB\): "
                        r"unzip it and open index\.html\.\n", result.stdout)
    assert (root / ZIP).is_file()
    assert (root / "site" / "index.html").is_file()  # the offline copy is the hosted site's


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


def test_a_redirect_in_the_export_opens_the_moved_page_from_disk(make_project, tmp_path, browser):
    from conftest import ALPHA_YML

    root = make_project()
    build_site(root, run_mkdocs=False)
    (root / "metadata/001_alpha.yml").write_text(ALPHA_YML + "slug: troops-at-the-border\n")
    export = export_site(root)
    with zipfile.ZipFile(export.path) as archive:
        archive.extractall(tmp_path / "unzipped")
    site = (tmp_path / "unzipped" / TOP).resolve()
    page = open_from_disk(browser, site, VIEWPORT, "articles/troops-gather-at-the-border/index.html")
    page.wait_for_url((site / "articles" / "troops-at-the-border" / "index.html").as_uri(), timeout=15_000)
    expect(page.locator("h1")).to_have_text("Troops Gather at the Border")
    assert page.problems == []
    page.context.close()


def test_a_failing_pack_leaves_site_and_the_previous_export_untouched(make_project, monkeypatch):
    """The zip is an option of the build line: packed from the new site/ and swapped in with it, or neither."""
    from publisher import export as export_module
    from publisher.build.publish import PublishError

    root = make_project()
    export_site(root)
    previous, site = (root / ZIP).read_bytes(), snapshot(root / "site")
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("Treaty Talks Resume", "Treaty Talks Stall"), encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(export_module, "pack_site", fail)
    with pytest.raises((OSError, PublishError)):
        export_site(root)
    assert (root / ZIP).read_bytes() == previous
    assert snapshot(root / "site") == site  # the build's new site/ was not committed without its zip
    monkeypatch.undo()
    export_site(root)
    assert snapshot(root / "site") != site
    assert (root / ZIP).read_bytes() != previous


def test_a_zip_too_large_for_a_github_release_is_named_with_a_warning(exported):
    """At 100,000 articles the zip is 1.93 GB; GitHub takes release files under 2 GiB only."""
    from publisher.export import RELEASE_ASSET_LIMIT, Export

    export = exported["export"]
    assert export.too_large_to_release() is None
    assert Export(export.path, 1, RELEASE_ASSET_LIMIT - 1, 1).too_large_to_release() is None
    warning = Export(export.path, 1, RELEASE_ASSET_LIMIT, 1).too_large_to_release()
    assert warning is not None and export.path.name in warning and "2 GiB" in warning and "docs/hosting.md" in warning
