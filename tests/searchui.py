"""Driving the search box (templates/theme/partials/pagefind.html) as a reader does, hosted or from disk."""
from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

HINT = 'Type a word, or put a phrase in quotes: "border guards".'


def open_search(page):
    """Open the search: click the box, or on a phone the icon that stands for it; return the box."""
    button = page.locator(".archive-search__open")
    if button.is_visible():
        button.click()
    box = page.locator(".archive-search__input")
    box.click()
    return box


def wait_idle(page, timeout: int = 15_000) -> None:
    """Wait until the search has answered what the box and the filters say now (aria-busy is false)."""
    page.locator(".archive-search[aria-busy=false]").wait_for(state="attached", timeout=timeout)


def search(page, query: str):
    """Type the query key by key, as a reader does, and wait for its answer; return the result items."""
    box = open_search(page)
    box.fill("")
    box.press_sequentially(query, delay=20)
    page.wait_for_function("q => document.querySelector('.archive-search__input').value === q", arg=query)
    wait_idle(page)
    return page.locator(".archive-search__result")


def status(page) -> str:
    return page.locator(".archive-search__status").text_content()


def result_titles(page) -> list[str]:
    return page.locator(".archive-search__title").all_text_contents()


def watch_problems(page) -> None:
    """Record the page's script errors, console errors and failed requests in page.problems."""
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    # A failed load shows as a console error without its address: the listeners below name it.
    page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
            and page.problems.append(f"console: {m.text}"))
    # A load that the next navigation cancels (the favicon, often) is no fault of the site.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and page.problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and "sitemap.xml" not in r.url and page.problems.append(f"{r.status}: {r.url}"))


def open_from_disk(browser, folder: Path, viewport: dict, page_path: str = "index.html"):
    """A page of the offline copy in folder, opened from file:// in a context with no network.

    Any request for something outside the folder is refused and counted as a problem.
    """
    context = browser.new_context(offline=True, viewport=viewport)
    page = context.new_page()
    watch_problems(page)
    page.offline = True

    def only_the_folder(route):
        page.problems.append(f"left the folder: {route.request.url}")
        route.abort()

    context.route(lambda url: not is_inside(url, folder), only_the_folder)
    page.goto((folder / page_path).as_uri())
    return page


def is_inside(url: str, folder: Path) -> bool:
    """Whether url names a file under folder (data: and blob: URLs are the page's own)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return True
    return parts.scheme == "file" and not parts.netloc and Path(unquote(parts.path)).resolve().is_relative_to(folder)


def unzip_offline_copy(project: Path, folder: Path) -> Path:
    """The project's offline copy (build.py export), unzipped into folder; returns the copy's own folder."""
    from publisher.export import export_site

    with zipfile.ZipFile(export_site(project).path) as archive:
        archive.extractall(folder)
    return next(folder.iterdir()).resolve()


def recorded_filter_values(index: Path) -> dict[str, list[str]]:
    """Every value Pagefind recorded in the filter files of every shard of index (site/pagefind/), sorted."""
    from publisher.search.pagefind_order import _text, decode, read_payload

    values: dict[str, set[str]] = {}
    for path in index.glob("*/filter/*.pf_filter"):
        root, _ = decode(read_payload(path))
        assert root.items is not None and root.items[1].items is not None
        name = _text(root.items[0]) or ""
        values.setdefault(name, set()).update(_text(value.items[0]) or "" for value in root.items[1].items if value.items)
    return {name: sorted(values[name]) for name in sorted(values)}
