"""The hosted site's search index, in shards: an edit makes Pagefind index the articles of one shard again.

Pagefind cannot update an index, and indexing every article again took 13 s of a 37 s rebuild at
10,000 articles. So the article pages, newest first, are cut into runs of at most
`search_shard_size` (runs.split_runs: one article more or less changes the run it falls in), or
by default of at most a quarter of them (shard_size), and each run gets an index of its own in
site/pagefind/<name>/. A shard is named after its oldest article, so its address outlives an
edit, and keyed by the bytes Pagefind reads of each of its pages: a shard of the last index with
the same name and key is linked, not made again.

The search box (templates/theme/assets/javascripts/search.js) reads the shards' names from
site/pagefind/shards.json, newest first, merges them into one Pagefind (one WebAssembly module,
one worker) and tags each with a `shard` filter: a query runs once per shard, so results keep
their shard's order (a search without words lists the newest first) and their ids cannot clash.
The manifest also lists the values of the outlet, topic and year filters, for the box's menus, and
dates.json every date, which the box loads when a reader first sets a date range: asking Pagefind
for them loads every shard's four filter files before the first result (at 100,000 articles, 280
requests and about a third of the first search's bytes).
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from ..build.incremental import mirror_links
from ..pages.routes import SEARCH_SCOPE
from ..runs import split_runs
from .cut_pages import SEARCH_BODY
from .pagefind_order import PagefindFormatError, order_index

FORMAT = 2  # 2: filters and metadata in one order (pagefind_order.py)
MANIFEST = "shards.json"
DATES = "dates.json"  # the date filter's values: thousands, wanted only for a date range
# The shard sizes the default picks from (shard_size). A size that changes cuts every shard anew, so
# an archive passes each step once as it grows; 2,000 holds a first search at 100,000 articles to 70 shards.
SHARD_SIZES = (250, 500, 1000, 2000)
# Pagefind writes its own search UIs next to every index; the search box uses none of them.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
_SORT_DATE = re.compile(r'<span data-pagefind-sort="date">([^<]*)</span>')
# A filter value as templates/article.md.j2 writes it (escaped text, percent-encoded names).
_FILTER = re.compile(r'<span data-pagefind-filter="([a-z]+)">([^<]*)</span>')


class PagefindError(Exception):
    """Pagefind could not index the built site; the message is Pagefind's own."""


@dataclass(frozen=True)
class SearchPage:
    """One article page as Pagefind reads it."""

    path: str  # relative to the pages' folder, with '/'
    date: str  # the value Pagefind sorts it by
    digest: str  # of its bytes
    filters: tuple[tuple[str, str], ...] = ()  # (filter, value) as Pagefind reads them: the text, unescaped


@dataclass(frozen=True)
class Shard:
    name: str
    key: str  # Pagefind's version and every page's path and digest: the same key, the same index
    pages: tuple[str, ...]


def read_search_pages(folder: Path) -> list[SearchPage]:
    """The pages of folder's search scope that hold an article's searchable text.

    The others (listings and redirects under articles/) Pagefind leaves out of an index once one
    page has such an element.
    """
    pages = []
    for path in sorted(folder.glob(SEARCH_SCOPE)):
        data = path.read_bytes()
        text = data.decode("utf-8")
        if SEARCH_BODY.search(text) is None:
            continue
        date = _SORT_DATE.search(text)
        filters = tuple((name, html.unescape(value).strip()) for name, value in _FILTER.findall(text))
        pages.append(SearchPage(path.relative_to(folder).as_posix(), date.group(1) if date else "",
                                hashlib.sha256(data).hexdigest(), filters))
    return pages


def shard_size(pages: int) -> int:
    """The default shard size for an index of pages: the largest of SHARD_SIZES within a quarter of them.

    An edit indexes one or two shards again (Pagefind, 1.7 ms a page on one core), and a first
    search loads something of every shard: at most a quarter keeps a small archive's edits cheap
    and its shards at 4 to 16 until the largest size is reached.
    """
    return max([SHARD_SIZES[0], *(size for size in SHARD_SIZES if size <= pages // 4)])


def plan_shards(pages: list[SearchPage], size: int) -> list[Shard]:
    """pages, newest first as Pagefind sorts them, in shards of at most size pages."""
    ordered = sorted(pages, key=lambda page: (page.date, page.path), reverse=True)
    tool = version("pagefind-bin")
    shards = []
    for run in split_runs(ordered, size, _page_path):
        if not run:
            continue
        key = hashlib.sha256(f"{FORMAT}\0{tool}".encode("utf-8"))
        for page in run:
            key.update(f"\0{page.path}\0{page.digest}".encode("utf-8"))
        name = hashlib.sha256(run[-1].path.encode("utf-8")).hexdigest()[:12]
        shards.append(Shard(name, key.hexdigest(), tuple(page.path for page in run)))
    return shards


def _page_path(page: SearchPage) -> str:
    return page.path


def filter_values(pages: list[SearchPage]) -> dict[str, list[str]]:
    """Every value of every filter the pages have, sorted: what the search box offers in its menus."""
    values: dict[str, set[str]] = {}
    for page in pages:
        for name, value in page.filters:
            values.setdefault(name, set()).add(value)
    return {name: sorted(values[name]) for name in sorted(values)}


def read_shards(index: Path) -> dict[str, str]:
    """The shards an index holds, {name: key}; none when it holds no manifest this code can read."""
    try:
        data = json.loads((index / MANIFEST).read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            return {}
        return {str(shard["name"]): str(shard["key"]) for shard in data["shards"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_search_index(pages_dir: Path, output: Path, work: Path, size: int | None = None,
                       last: Path | None = None) -> tuple[int, int]:
    """Index pages_dir's article pages into output, in shards; return how many shards Pagefind made, and of how many.

    size: pages per shard at most; None picks one by the number of pages (shard_size).
    last: an earlier index whose files nobody has touched; its shards with the same name and key are linked.
    Raise PagefindError when Pagefind fails.
    """
    pages = read_search_pages(pages_dir)
    shards = plan_shards(pages, size or shard_size(len(pages)))
    kept = read_shards(last) if last is not None else {}
    output.mkdir(parents=True, exist_ok=True)
    to_make = []
    for shard in shards:
        if last is not None and kept.get(shard.name) == shard.key:
            mirror_links(last / shard.name, output / shard.name)
        else:
            to_make.append(shard)
    if to_make:
        # Each Pagefind uses a little more than one core; two at a time fill this machine's two.
        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            list(pool.map(lambda shard: index_shard(pages_dir, shard, output / shard.name, work), to_make))
    filters = filter_values(pages)
    dates = filters.pop("date", [])
    manifest = {"format": FORMAT, "shards": [{"name": shard.name, "key": shard.key, "pages": len(shard.pages)}
                                            for shard in shards],
                "filters": filters}
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (output / DATES).write_text(json.dumps(dates) + "\n", encoding="utf-8")
    return len(to_make), len(shards)


def index_shard(pages_dir: Path, shard: Shard, output: Path, work: Path) -> None:
    """Run Pagefind on the shard's pages alone (linked into a folder of their own under work)."""
    site = work / f"shard-{shard.name}"
    if site.exists():
        shutil.rmtree(site)
    for page in shard.pages:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(pages_dir / page, site / page)
        except OSError:
            shutil.copy2(pages_dir / page, site / page)
    run_pagefind(site, output)
    try:
        order_index(output)  # the same pages, the same bytes: Pagefind's own order changes from run to run
    except PagefindFormatError as error:
        raise PagefindError(f"{output}: {error} (publisher/search/pagefind_order.py knows Pagefind 1.5's index)") from None
    shutil.rmtree(site)
    for name in UNUSED_FILES:
        (output / name).unlink(missing_ok=True)


def run_pagefind(pages: Path, output: Path) -> None:
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(pages), "--glob", SEARCH_SCOPE, "--output-path", str(output), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise PagefindError(f"{done.stdout}{done.stderr}".strip() or f"exit status {done.returncode}")
