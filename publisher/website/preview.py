"""The live preview's rebuilds (`build.py serve`, through publisher/website/serve_hook.py): site_src/ again from the inputs.

It renders what the build does, redirects and stand-ins for gone addresses included, so that
serving never leaves site_src/ different from what a build commits. Like a build, it renders only
the pages whose inputs changed since the last render, and `serve` runs MkDocs' dirty build, told
here exactly which files of site_src/ changed: one edited metadata file rebuilds a few pages.
When an edit changed only what articles show (a summary, a title at the same address, a source),
it does not even key the pages that show none of them (render_tasks.ShownOnly).

MkDocs executes a hook file anew with each rebuild's configuration, so what the preview remembers
between rebuilds lives here, in a module imported once.
"""
from __future__ import annotations

import dataclasses
import gc
import logging
import os
from pathlib import Path

import watchdog.events
import watchdog.observers

from ..build import incremental
from ..build.write import sync_tree
from ..model import Corpus, InputError
from ..pages.kinds import shown_fields
from ..pages.render_tasks import ShownOnly
from ..parallel import FEWER_COLLECTIONS, fewer_collections
from ..pipeline import prepare_corpus, read_inputs, render_published, report_slow_markers
from ..settings import KEYWORD_CACHE, PAGE_KEYS, SITE_SRC, SITE_SRC_RECORD, read_settings
from .mkdocs_build import DirtyNotice, mark_changed

log = logging.getLogger("mkdocs.archive")
logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice())  # the preview's dirty builds are intended


class _Preview:
    """What the preview knows between rebuilds: each page's inputs as site_src/ holds it, and what changed."""

    page_keys: dict[str, str] | None = None
    code: str | None = None  # the code key page_keys were rendered under
    related: tuple[tuple[int, ...], ...] = ()  # each article's related coverage in that render
    related_memo: dict | None = None  # the same as the next render reuses it (pages.related.RelatedIndex.memo)
    changed: set[str] | None = None  # None: MkDocs decides (the first build makes every page)
    every_page = False  # the code changed (a template, the theme, mkdocs.yml): MkDocs builds every page again
    prepared: Corpus | None = None  # the last corpus cleaned and with keywords
    poll = False  # watch the inputs by polling them, as MkDocs does (`build.py serve --poll`)


_preview = _Preview()


# What an article shows and nothing else reads: no field a page kind groups or orders by (pages/kinds.py).
SHOWN_FIELDS = shown_fields()


def shown_only_since(last: Corpus | None, corpus: Corpus, related: tuple[tuple[int, ...], ...]) -> ShownOnly | None:
    """The articles whose shown fields alone changed since the last render (its related coverage: related),
    if nothing else did; else None."""
    if last is None or not related or len(last.articles) != len(corpus.articles):
        return None
    if corpus.keyword_index is not last.keyword_index or (last.outlets, last.topics, last.general_rules, last.keyword_rules) != (
            corpus.outlets, corpus.topics, corpus.general_rules, corpus.keyword_rules):
        return None
    changed = set()
    for old, new in zip(last.articles, corpus.articles):
        if old == new:
            continue
        if dataclasses.replace(old, **{name: getattr(new, name) for name in SHOWN_FIELDS}) != new:
            return None
        changed.add(new.id)
    return ShownOnly(frozenset(changed), related)


def last_page_keys(root: Path, code: str) -> dict[str, str]:
    """The page keys site_src/ was rendered under, if under code and untouched since; {} renders every page."""
    if _preview.page_keys is not None:
        return _preview.page_keys if _preview.code == code else {}
    src_key = incremental.current_key(root / SITE_SRC, root / SITE_SRC_RECORD)
    return (incremental.read_page_keys(root / PAGE_KEYS, src_key, code) if src_key else None) or {}


def on_pre_build(config):
    root = Path(config.config_file_path).parent
    try:
        # The preview holds two corpora and every page's key: fewer collections, as in rendering.
        with report_slow_markers(root), fewer_collections():
            settings = read_settings(root)
            code = incremental.code_key(settings)
            inputs = read_inputs(root)
            prepared = prepare_corpus(inputs.corpus, root / KEYWORD_CACHE, last=_preview.prepared)
            last_keys = last_page_keys(root, code)
            shown_only = shown_only_since(_preview.prepared, prepared, _preview.related) if last_keys else None
            site = render_published(settings, prepared, inputs.sources, last_keys=last_keys, shown_only=shown_only,
                                    last_related=_preview.related_memo if code == _preview.code else None)[0]
    except InputError as error:
        for problem in error.problems:
            log.error(str(problem))
        log.error("The preview shows the last good build until these are fixed.")
        _preview.changed, _preview.every_page = set(), False  # the code key stays the last good build's
        return
    changed = sync_tree(site.files, root / SITE_SRC)
    _preview.prepared = prepared
    if _preview.page_keys is not None:
        _preview.changed = changed
        _preview.every_page = code != _preview.code
    _preview.page_keys, _preview.code, _preview.related = site.page_keys, code, site.related
    if site.related_memo is not None:  # a shown-only render ranks nothing: the last memo still holds
        _preview.related_memo = site.related_memo
    rendered = sum(1 for path in site.files if path.endswith(".md") and not site.files.is_kept(path))
    log.info(f"Rendered {rendered} of {len(site.page_keys)} pages; {len(changed)} file(s) of {SITE_SRC}/ changed")


# What a save, a copy, a removal or a rename raises; not opening or reading, which the rebuild itself does.
_CHANGES: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileDeletedEvent,
    watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent, watchdog.events.FileAttribEvent]


class _ChangeObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]  # a platform's class, chosen at import
    """The system's file events, changes only: MkDocs' server takes any event as an edit."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or _CHANGES,
                                follow_symlink=follow_symlink)


def poll_inputs() -> None:
    """Watch seeds/, metadata/ and templates/ by polling them, as MkDocs does: for folders whose changes the system does not report."""
    _preview.poll = True


def on_serve(server, config, builder):
    """Watch what the preview is made of, not what it writes, and without polling the inputs.

    `mkdocs serve` watches docs_dir and mkdocs.yml before this event and the paths of `watch=`
    (seeds/, metadata/, templates/) after it, all with one polling observer (mkdocs/commands/serve.py,
    mkdocs/livereload). site_src/ is the hook's own output: watching it queued a second rebuild
    behind every edit, and the server holds every request until no rebuild is pending. Polling the
    20,000 inputs of 10,000 articles twice a second slowed each rebuild by about half (the polling
    thread shares the interpreter with the build), so they get the system's file events instead,
    unless `--poll` (MkDocs polls for containers and network mounts, which may not report changes).
    mkdocs.yml stays polled: an editor that saves by renaming would leave an event watch on the old file.
    """
    server.unwatch(config.docs_dir)
    # The server keeps the preview's corpora and page keys (millions of objects) between rebuilds,
    # and every full collection walks them all: one rebuild at 10,000 articles (MkDocs' and ours) took
    # 8.7 to 9.0 s with these thresholds, 9.2 to 10.3 s without (four edits each, in one process).
    gc.set_threshold(*FEWER_COLLECTIONS)
    if not _preview.poll:
        polled, server.observer = server.observer, _ChangeObserver()
        polled.start()  # mkdocs.yml alone now; a daemon thread, like the server's own observer
    return server


def on_files(files, config):
    """After the first build, MkDocs builds again only the files of site_src/ that on_pre_build changed."""
    if _preview.changed is None:
        return files
    changed, every_page = _preview.changed, _preview.every_page
    mark_changed(files, config, lambda file: every_page or file.src_uri in changed or not os.path.exists(file.abs_dest_path))
    return files
