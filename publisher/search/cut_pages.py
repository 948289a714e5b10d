"""What Pagefind reads of each article page, cut out and kept between builds: a third of the bytes to parse.

Pagefind indexes only the element marked data-pagefind-body (and the page's language from the
<html> tag), but parses every byte of the page: at 10,000 articles that is 353 MB of pages against
104 MB of search elements, and parsing is most of what a rebuild's index costs (README, "Pagefind
on a rebuild"). A page cut to its <html> tag and that element indexes to the same fragments and
word chunks, byte for byte (tests/test_site.py).

Cutting every page costs about 4 s at 10,000 articles, so the cut pages are kept in the cache
folder and updated in place: a rebuild cuts only the pages that are not the last build's (MkDocs'
incremental build links unchanged pages from the last site/, so the same file means the same page).
"""
from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

from ..pages.routes import SEARCH_SCOPE

SEARCH_BODY = re.compile(r"<div\b[^>]*\sdata-pagefind-body[\s>=]")
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_DIV_TAG = re.compile(r"<(/?)div\b")


def cut_page(page: str) -> str | None:
    """The page as Pagefind reads it: its <html> tag and its data-pagefind-body element; None without one.

    The element ends at the </div> that closes it: article text inside is escaped, so no '<div'
    in it can be taken for a tag.
    """
    body, html = SEARCH_BODY.search(page), _HTML_TAG.search(page)
    if body is None or html is None:
        return None
    depth = 0
    for tag in _DIV_TAG.finditer(page, body.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = page.index(">", tag.end()) + 1
            return f"<!DOCTYPE html>\n{html.group(0)}<body>{page[body.start():end]}</body></html>\n"
    return None


def cut_search_pages(site_dir: Path, dest: Path, last_site: Path | None = None) -> int:
    """Make dest hold each page of site_dir's search scope as Pagefind reads it, and nothing else; return how many were cut.

    With last_site, whose pages dest holds cut as they are: a page that is the very file of
    last_site's at its path is kept as it is (updating dest in place spares making a folder for
    every article). A page that cannot be cut goes whole.
    """
    wanted = {page.relative_to(site_dir) for page in site_dir.glob(SEARCH_SCOPE)}
    held = {Path(folder, name).relative_to(dest) for folder, _dirs, names in os.walk(dest) for name in names}
    for rel in held - wanted:
        (dest / rel).unlink()
        with contextlib.suppress(OSError):
            (dest / rel).parent.rmdir()  # the folder of a removed article, when it is empty
    cut = 0
    for rel in sorted(wanted):
        target = dest / rel
        if last_site is not None and rel in held and _same_file(site_dir / rel, last_site / rel) and _is_plain_file(target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # a new file: never written through whatever was there
        html = (site_dir / rel).read_text(encoding="utf-8")
        target.write_text(cut_page(html) or html, encoding="utf-8")
        cut += 1
    return cut


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _is_plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
