"""MkDocs' Markdown conversion across worker processes, its results waiting on disk until each page is built.

Converting Markdown is nine tenths of MkDocs' time here (at 1,000 articles, 17.0 s of a 19.0 s build;
the theme's templates take 1.7 s), and MkDocs converts one page after another. Before it starts,
this plugin has every page it will convert read and converted in forked workers; MkDocs' own loop
then takes each page's result instead of converting it again. Every plugin event still runs in
MkDocs' process, in MkDocs' order. Pages are converted by MkDocs' own code, only elsewhere, so
the site is the same byte for byte; a page whose conversion fails in a worker is left to MkDocs,
which fails on it with its usual message.

MkDocs reads and converts every page before it builds the first, and keeps each until the build
ends: at 10,000 articles that is most of the build's memory, and it grows with the archive. So a
worker writes what it converted to a spool file, and MkDocs' process keeps only what MkDocs needs
before a page's build (the page's template, its anchors and links, what was logged). Each page's
Markdown, HTML, metadata and table of contents are read back just before the page is built and let
go once it is written; a spool file goes once all its pages are read back, so the spool never
holds much more than the pages not yet built (at 100,000 articles the spooled site would
otherwise lie on disk whole beside the site being written). Pages in the navigation are kept
whole: every page shows their titles.
"""
from __future__ import annotations

import logging
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any, MutableMapping

from mkdocs.plugins import BasePlugin, event_priority

from ..parallel import default_workers, map_in_order, pool_context

MIN_PAGES = 8  # fewer pages to convert than this are not worth starting workers for
CHUNK_PAGES = 32  # pages per spool file: a worker's task, and what MkDocs' process holds at a time
# Events that run between reading a page and building it: a plugin listening to any of them may
# change what is converted, or read it, so with one of them in use MkDocs converts every page itself.
EVENTS_BEFORE_BUILD = ("pre_page", "page_read_source", "page_markdown", "page_content")


@dataclass(frozen=True)
class Converted:
    """What MkDocs' Page.read_source and Page.render leave on a page, in a form that crosses processes."""

    markdown: str | None
    meta: MutableMapping[str, Any]
    content: str | None
    toc: object
    title_from_render: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # keyed by the linked file's src_uri
    log: list[tuple[str, int, str]]  # what MkDocs logged meanwhile: (logger, level, message), in order


@dataclass(frozen=True)
class Spooled:
    """What MkDocs' process keeps of a converted page until it builds it; the rest is in a spool file."""

    template: str | None  # the page's `template:`: MkDocs picks the template before any event of the build
    present_anchor_ids: set[str] | None  # checked by MkDocs after every page is built
    links_to_anchors: dict[str, dict[str, str]] | None
    log: list[tuple[str, int, str]]
    spool: str  # the file holding the page's Markdown, metadata, HTML, contents and title
    position: int


class _Keep(logging.Handler):
    """Keeps what MkDocs logs while a worker converts a page, for MkDocs' process to log again."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


def convert_page(config, files, uri: str) -> Converted | None:
    """In a worker: read and convert one page as MkDocs' _populate_page does; None if that fails."""
    from mkdocs.structure.pages import Page

    file = files.get_file_from_path(uri)
    keep = _Keep()
    logger = logging.getLogger("mkdocs")
    # Only kept here: MkDocs' process logs it, once, where its handlers count warnings for strict mode.
    handlers, propagate = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [keep], False
    made_here = file.page is None
    page = file.page if file.page is not None else Page(None, file, config)
    try:
        page.read_source(config)
        page.render(config, files)
        links = page.links_to_anchors
        return Converted(page.markdown, page.meta, page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                         None if links is None else {linked.src_uri: anchors for linked, anchors in links.items()},
                         keep.records)
    except Exception:  # MkDocs meets the same failure again in its own loop, and reports it
        return None
    finally:
        logger.handlers, logger.propagate = handlers, propagate
        forget_text(page)  # the worker's copy of the page: kept, it would hold every page the worker converts
        page.present_anchor_ids = page.links_to_anchors = None
        if made_here:
            file.page = None


def forget_text(page) -> None:
    """Let go of the Markdown, metadata, HTML, contents and title reading and converting put on page."""
    from mkdocs.structure.toc import TableOfContents

    page.markdown, page.content, page.meta, page.toc, page._title_from_render = None, None, {}, TableOfContents([]), None


def convert_chunk(shared: tuple, number: int) -> list[Converted | Spooled | None]:
    """In a worker: convert the number-th chunk of pages; pages outside the navigation go to a spool file."""
    config, files, uris, in_nav, spool_dir = shared
    chunk = uris[number * CHUNK_PAGES:(number + 1) * CHUNK_PAGES]
    converted = [convert_page(config, files, uri) for uri in chunk]
    spool = os.path.join(spool_dir, f"{number:07d}.pickle")
    waiting = [None if page is None or uri in in_nav else (page.markdown, page.meta, page.content, page.toc, page.title_from_render)
               for uri, page in zip(chunk, converted)]
    with open(spool, "wb") as out:
        pickle.dump(waiting, out, protocol=pickle.HIGHEST_PROTOCOL)
    return [page if page is None or uri in in_nav else
            Spooled(page.meta.get("template"), page.present_anchor_ids, page.links_to_anchors, page.log, spool, position)
            for position, (uri, page) in enumerate(zip(chunk, converted))]


def _links_by_file(files, links: dict[str, dict[str, str]] | None):
    return None if links is None else {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}


def _log_again(log: list[tuple[str, int, str]]) -> None:
    for name, level, message in log:
        logging.getLogger(name).log(level, "%s", message)


def apply_converted(page, converted: Converted | Spooled) -> None:
    """Make MkDocs' next read_source and render of page hand over converted instead of doing the work.

    A spooled page gets only its template and anchors then, and its Markdown and HTML as empty
    text; the rest comes back from the spool when it is built (ConvertInWorkers.on_page_context).
    """

    def read_source(config):
        del page.read_source
        if isinstance(converted, Spooled):
            page.markdown, page.meta = "", ({} if converted.template is None else {"template": converted.template})
        else:
            page.markdown, page.meta = converted.markdown, converted.meta

    def render(config, files):
        del page.render
        _log_again(converted.log)
        if isinstance(converted, Converted):
            page.content, page.toc = converted.content, converted.toc
            page._title_from_render = converted.title_from_render
        else:
            page.content = ""
        page.present_anchor_ids = converted.present_anchor_ids
        if converted.links_to_anchors is not None:
            page.links_to_anchors = _links_by_file(files, converted.links_to_anchors)

    page.read_source, page.render = read_source, render


class ConvertInWorkers(BasePlugin):
    """A MkDocs plugin that converts pages in workers; a hook module can take its bound methods as its events."""

    def __init__(self, workers: int | None = None):
        super().__init__()
        self.workers = default_workers() if workers is None else workers
        self.converted: dict[str, Converted | Spooled] = {}  # by src_uri, until MkDocs reads the page
        self.spooled: dict[str, Spooled] = {}  # by src_uri, until MkDocs builds the page
        self.unread: dict[str, int] = {}  # spool file: its pages not yet read back
        self.spool_dir: str | None = None
        self._open_spool: tuple[str, list] = ("", [])  # the spool file last read, and what it holds

    @event_priority(-100)  # last: after any other plugin has changed the files or the navigation
    def on_nav(self, nav, config, files):
        """Convert every page MkDocs is about to convert, in workers (MkDocs reads pages right after this)."""
        from mkdocs.structure.files import InclusionLevel

        self.forget()
        # Workers must be forked (Linux): they inherit MkDocs' configuration and files, which cannot be pickled.
        if self.workers < 2 or pool_context() is None or self.others_listen(config):
            return nav
        # A dirty build converts only the pages whose files changed; any other build starts from an
        # empty site, where every page has changed.
        uris = [file.src_uri for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if file.is_modified()]
        if len(uris) < MIN_PAGES:
            return nav
        in_nav = frozenset(page.file.src_uri for page in nav.pages)
        # Beside the site being written (the build's work folder), not in /tmp: a killed build's
        # spool goes with that folder, and /tmp may be memory.
        self.spool_dir = tempfile.mkdtemp(prefix="mkdocs-pages-", dir=os.path.dirname(os.path.abspath(config.site_dir)))
        chunks = -(-len(uris) // CHUNK_PAGES)
        results = map_in_order(convert_chunk, (config, files, uris, in_nav, self.spool_dir), chunks, self.workers, 1)
        for number, chunk in enumerate(results):
            for uri, converted in zip(uris[number * CHUNK_PAGES:(number + 1) * CHUNK_PAGES], chunk):
                if converted is not None:
                    self.converted[uri] = converted
                if isinstance(converted, Spooled):
                    self.unread[converted.spool] = self.unread.get(converted.spool, 0) + 1
        return nav

    def others_listen(self, config) -> bool:
        """Another plugin listens to an event between reading a page and building it."""
        return any(getattr(handler, "__self__", None) is not self
                   for event in EVENTS_BEFORE_BUILD for handler in config.plugins.events[event])

    def on_pre_page(self, page, config, files):
        converted = self.converted.pop(page.file.src_uri, None)
        if converted is not None:
            apply_converted(page, converted)
            if isinstance(converted, Spooled):
                self.spooled[page.file.src_uri] = converted
        return page

    @event_priority(100)  # first: every other listener sees the page whole
    def on_page_context(self, context, page, config, nav):
        """Give a spooled page its Markdown, metadata, HTML, contents and title back, just before it is built."""
        spooled = self.spooled.get(page.file.src_uri)
        if spooled is not None:
            page.markdown, page.meta, page.content, page.toc, page._title_from_render = self.read_spool(spooled)
        return context

    @event_priority(-100)  # last: the page is written right after
    def on_post_page(self, output, page, config):
        """Let go of a spooled page's text once it is built: it was read back for this build only."""
        if self.spooled.pop(page.file.src_uri, None) is not None:
            forget_text(page)  # its anchors and links stay: MkDocs checks them after the last page
        return output

    def read_spool(self, spooled: Spooled) -> tuple:
        name, pages = self._open_spool
        if name != spooled.spool:  # MkDocs builds pages in the order they were converted: each file is read once
            with open(spooled.spool, "rb") as spool:
                pages = pickle.load(spool)
            self._open_spool = (spooled.spool, pages)
        self.unread[spooled.spool] -= 1
        if not self.unread[spooled.spool]:
            os.unlink(spooled.spool)
            del self.unread[spooled.spool]
        return pages[spooled.position]

    def forget(self) -> None:
        self.converted, self.spooled, self.unread, self._open_spool = {}, {}, {}, ("", [])
        if self.spool_dir is not None:
            shutil.rmtree(self.spool_dir, ignore_errors=True)
            self.spool_dir = None

    def on_post_build(self, config):
        self.forget()

    def on_build_error(self, error):
        self.forget()
