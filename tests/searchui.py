"""Driving the hosted site's search box (templates/theme/partials/pagefind.html) as a reader does."""
from __future__ import annotations

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
