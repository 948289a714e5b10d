#!/usr/bin/env python3
"""Screenshot every page kind of a built site at a phone's and a desktop's width.

  python -m bench.screens OUTDIR [--site SITE_DIR]    (default: site/, as `python build.py` leaves it)

Writes OUTDIR/<kind>-<width>.png (full page) for home, article, topic, outlet, keyword, the
keywords index, timeline, Browse, statistics, data, rights and the 404 page, at 320, 390 and 1366 px. The site
is served under its own path (site_url's), as GitHub Pages serves it, 404 page included.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import socketserver
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from publisher.settings import read_site_settings

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {320: 640, 390: 844, 1366: 900}  # width: height of the window
# Each page kind: a way to pick one page of that kind from a built site (directory URLs).
FIXED_PAGES = {
    "home": "",
    "keywords-index": "keywords/",
    "timeline": "timeline/",
    "browse": "browse/",
    "statistics": "statistics/",
    "data": "data/",
    "rights": "rights/",
    "404": "articles/belarus-cracks-down-on-pro-ukraine-guerillas/",  # mistyped and cut short
}
FIRST_OF = {"article": "articles", "topic": "topics", "outlet": "outlets", "keyword": "keywords"}


def read_base_path(config_file: Path) -> str:
    """The path part of site_url in mkdocs.yml, with slashes at both ends."""
    site_url = read_site_settings(config_file).url
    return "/" + urlsplit(site_url).path.strip("/") + "/" if urlsplit(site_url).path.strip("/") else "/"


def list_page_kinds(site: Path) -> dict[str, str]:
    """{kind: path below the site's base} for every page kind, the first page of a kind by name."""
    kinds = dict(FIXED_PAGES)
    for kind, folder in FIRST_OF.items():
        names = sorted(p.name for p in (site / folder).iterdir()
                       if p.is_dir() and p.name != "page" and (p / "index.html").exists())
        kinds[kind] = f"{folder}/{names[0]}/"
    return dict(sorted(kinds.items()))


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a built site under its base path; a missing page gets 404.html, as GitHub Pages does."""

    base = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(self.base):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(self.base):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_site(site: Path, base: str):
    """A static server for site under base on 127.0.0.1; yields the site's address."""
    handler = functools.partial(type("Handler", (SiteHandler,), {"base": base}), directory=str(site))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}"
    finally:
        server.shutdown()
        server.server_close()


def take_screenshots(site: Path, base: str, outdir: Path) -> list[Path]:
    """Write a full-page PNG of every page kind at every width into outdir; return their paths."""
    from playwright.sync_api import sync_playwright

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_site(site, base) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for kind, path in list_page_kinds(site).items():
                page.goto(address + path)
                page.wait_for_load_state("load")
                target = outdir / f"{kind}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            context.close()
        browser.close()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument("--site", type=Path, default=REPO / "site", help="built site (default: site/)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"error: {args.site}/index.html is missing: run `python build.py` first", file=sys.stderr)
        return 1
    for path in take_screenshots(args.site, read_base_path(REPO / "mkdocs.yml"), args.outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
