"""What a reader's first search costs, measured in headless Chromium on a built site.

    python -m bench.search_weight SITE WORD                      # hosted site: Pagefind
    python -m bench.search_weight SITE WORD --material           # a site built with Material's search
    python -m bench.search_weight FOLDER WORD --offline          # an unzipped export, opened from disk (its index as scripts)

Serves SITE on 127.0.0.1 (or, with --offline, opens FOLDER/index.html from file://), opens the home
page, searches for WORD key by key as a reader types, and reports every byte the search needed
(Pagefind's scripts, index chunks and fragments; or Material's worker and whole index; from disk,
the sizes of the files read, as file:// reports no transfer sizes), the time from the first key to
the first result, and the results' links.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import socketserver
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[socketserver.ThreadingTCPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def is_search_request(url: str, material: bool) -> bool:
    if material:
        return "/search/" in url or "/workers/search" in url
    return "/pagefind/" in url or url.endswith(("/javascripts/search.js", "/stylesheets/search.css"))


def measure_first_search(page, base: str, word: str, material: bool = False, timeout_ms: int = 600_000,
                         home: str = "/") -> dict:
    """Search for word on the site at base; the bytes and time it took, and the results' links."""
    sizes: dict[str, int] = {}

    def finished(request):
        if is_search_request(request.url, material):
            sizes[request.url] = request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]

    page.on("requestfinished", finished)
    page.goto(base + home)
    page.wait_for_load_state("load")
    if material:
        box = page.locator("input.md-search__input")
        started = time.perf_counter()
        box.click()
        page.locator(".md-search-result__meta").filter(has_text="Type to start searching").wait_for(timeout=timeout_ms)
        ready = time.perf_counter()
        box.press_sequentially(word, delay=50)
        results = page.locator(".md-search-result__item")
    else:
        box = page.locator(".archive-search__input")
        started = time.perf_counter()
        box.click()
        ready = started
        box.press_sequentially(word, delay=50)
        results = page.locator(".archive-search__result")
    results.first.wait_for(timeout=timeout_ms)
    found = time.perf_counter()
    if not material:
        # Results for a prefix typed earlier can still be on screen: wait for the whole word's.
        page.locator(".archive-search[aria-busy=false]").wait_for(state="attached", timeout=timeout_ms)
    page.wait_for_load_state("networkidle")
    links = [link.get_attribute("href") for link in results.locator("a").all()]
    page.remove_listener("requestfinished", finished)
    return {
        "engine": "material" if material else "pagefind",
        "bytes": sum(sizes.values()),
        "requests": len(sizes),
        "largest": max(sizes.items(), key=lambda item: item[1])[0].replace(base, "") if sizes else None,
        "seconds_to_index_ready": round(ready - started, 2),
        "seconds_to_first_result": round(found - started, 2),
        "results": len(links),
        "links": links[:5],
        "urls": sorted(sizes),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_weight", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("word")
    parser.add_argument("--material", action="store_true", help="the site searches with Material's search, not Pagefind")
    parser.add_argument("--offline", action="store_true",
                        help="SITE is an unzipped `build.py export`: open it from file://")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if args.offline:
        base, home, server = args.site.resolve().as_uri(), "/index.html", None
    else:
        (server, base), home = serve(args.site), "/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            result = measure_first_search(page, base, args.word, args.material, home=home)
            if args.offline:  # file:// reports no transfer sizes: weigh the files the search read
                result["bytes"] = sum(Path(unquote(urlsplit(url).path)).stat().st_size for url in result.pop("urls"))
            else:
                result.pop("urls")
            print(json.dumps(result, indent=2))
            browser.close()
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
