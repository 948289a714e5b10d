"""MkDocs' Markdown conversion across worker processes.

Converting Markdown is nine tenths of MkDocs' time here (at 1,000 articles, 17.0 s of a 19.0 s build;
the theme's templates take 1.7 s), and MkDocs converts one page after another. Before it starts,
this plugin has every page it will convert read and converted in forked workers; MkDocs' own loop
then takes each page's result instead of converting it again. Every plugin event still runs in
MkDocs' process, in MkDocs' order. Pages are converted by MkDocs' own code, only elsewhere, so
the site is the same byte for byte; a page whose conversion fails in a worker is left to MkDocs,
which fails on it with its usual message.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, MutableMapping

from mkdocs.plugins import BasePlugin, event_priority

from ..parallel import default_workers, map_in_order, pool_context

MIN_PAGES = 8  # fewer pages to convert than this are not worth starting workers for
# Events that run between reading a page and converting it: a plugin listening to any of them may
# change what is converted, so with one of them in use MkDocs converts every page itself.
EVENTS_BEFORE_CONVERSION = ("pre_page", "page_read_source", "page_markdown")


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


class _Keep(logging.Handler):
    """Keeps what MkDocs logs while a worker converts a page, for MkDocs' process to log again."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


def convert_page(shared: tuple, index: int) -> Converted | None:
    """In a worker: read and convert one page as MkDocs' _populate_page does; None if that fails."""
    from mkdocs.structure.pages import Page

    config, files, uris = shared
    file = files.get_file_from_path(uris[index])
    keep = _Keep()
    logger = logging.getLogger("mkdocs")
    # Only kept here: MkDocs' process logs it, once, where its handlers count warnings for strict mode.
    handlers, propagate = logger.handlers, logger.propagate
    logger.handlers, logger.propagate = [keep], False
    try:
        page = file.page if file.page is not None else Page(None, file, config)
        page.read_source(config)
        page.render(config, files)
    except Exception:  # MkDocs meets the same failure again in its own loop, and reports it
        return None
    finally:
        logger.handlers, logger.propagate = handlers, propagate
    links = page.links_to_anchors
    return Converted(page.markdown, page.meta, page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                     None if links is None else {linked.src_uri: anchors for linked, anchors in links.items()},
                     keep.records)


def apply_converted(page, converted: Converted) -> None:
    """Make MkDocs' next read_source and render of page hand over converted instead of doing the work."""

    def read_source(config):
        del page.read_source
        page.markdown, page.meta = converted.markdown, converted.meta

    def render(config, files):
        del page.render
        for name, level, message in converted.log:
            logging.getLogger(name).log(level, "%s", message)
        page.content, page.toc = converted.content, converted.toc
        page._title_from_render = converted.title_from_render
        page.present_anchor_ids = converted.present_anchor_ids
        if converted.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in converted.links_to_anchors.items()}

    page.read_source, page.render = read_source, render


class ConvertInWorkers(BasePlugin):
    """A MkDocs plugin that converts pages in workers; a hook module can take its bound methods as its events."""

    def __init__(self, workers: int | None = None):
        super().__init__()
        self.workers = default_workers() if workers is None else workers
        self.converted: dict[str, Converted] = {}

    @event_priority(-100)  # last: after any other plugin has changed the files or the navigation
    def on_nav(self, nav, config, files):
        """Convert every page MkDocs is about to convert, in workers (MkDocs reads pages right after this)."""
        from mkdocs.structure.files import InclusionLevel

        self.converted = {}
        # Workers must be forked (Linux): they inherit MkDocs' configuration and files, which cannot be pickled.
        if self.workers < 2 or pool_context() is None or self.others_listen(config):
            return nav
        # A dirty build converts only the pages whose files changed; any other build starts from an
        # empty site, where every page has changed.
        uris = [file.src_uri for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if file.is_modified()]
        if len(uris) < MIN_PAGES:
            return nav
        chunk = max(1, len(uris) // (self.workers * 32))  # small: listing pages cost several times an article page
        results = map_in_order(convert_page, (config, files, uris), len(uris), self.workers, chunk)
        self.converted = {uri: converted for uri, converted in zip(uris, results) if converted is not None}
        return nav

    def others_listen(self, config) -> bool:
        """Another plugin listens to an event between reading a page and converting it."""
        return any(getattr(handler, "__self__", None) is not self
                   for event in EVENTS_BEFORE_CONVERSION for handler in config.plugins.events[event])

    def on_pre_page(self, page, config, files):
        converted = self.converted.pop(page.file.src_uri, None)
        if converted is not None:
            apply_converted(page, converted)
        return page

    def on_post_build(self, config):
        self.converted = {}

    def on_build_error(self, error):
        self.converted = {}
