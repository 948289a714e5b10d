"""The hosted site's search index within a build: article pages cut for Pagefind and the index's shards, each reused when it may be."""
from __future__ import annotations

from pathlib import Path

from ..build import incremental
from ..settings import PAGEFIND_CACHE, SEARCH_PAGES, SITE, SITE_SPARE, Settings
from .cut_pages import cut_search_pages
from .index import read_shards, write_search_index


def index_site(settings: Settings, site_dir: Path, key: str, work: Path, last_site_key: str | None = None) -> tuple[int, int]:
    """Pagefind's index of the hosted site, in shards (search_index.py); return how many shards Pagefind made, of how many.

    The last build's index is copied when it was made from key. Otherwise the article pages are
    cut to what Pagefind reads (the last build's cut pages reused for the pages site_dir shares
    with site/, when site/ is untouched and made from last_site_key), and each shard whose pages
    are the ones the last index's shard was made from is linked from it, when nobody has touched
    that index since it was recorded; Pagefind indexes the others.
    """
    cache = settings.path(PAGEFIND_CACHE)
    record = cache.with_name("pagefind.key")
    if cache.is_dir():
        incremental.drop_linked_outside(cache, tuple(folder / "pagefind" for folder in
                                                     (site_dir, settings.path(SITE), settings.path(SITE_SPARE))))
    cached_key = incremental.current_key(cache, record)
    if cached_key == key:
        incremental.mirror_links(cache, site_dir / "pagefind")
        return 0, len(read_shards(cache))
    incremental.forget(record)
    pages = cut_pages(settings, site_dir, key, work, last_site_key)
    made = write_search_index(pages, site_dir / "pagefind", work, settings.limits.search_shard_size,
                              cache if cached_key is not None else None)
    if cache.is_dir():
        incremental.share_unchanged(site_dir / "pagefind", cache)  # files of a shard made again that came out the same
    incremental.mirror_links(site_dir / "pagefind", cache)
    incremental.record_current(cache, record, key)
    return made


def cut_pages(settings: Settings, site_dir: Path, key: str, work: Path, last_site_key: str | None) -> Path:
    """site_dir's article pages as Pagefind reads them, kept in the cache for the next build; return their folder.

    The last build's are kept where they were cut from site/ as it is (made from last_site_key);
    otherwise the folder goes into the work folder, removed with it, and every page is cut again.
    """
    kept = settings.path(SEARCH_PAGES)
    record = kept.with_name(kept.name + ".key")
    reusable = last_site_key is not None and incremental.current_key(kept, record) == last_site_key
    incremental.forget(record)
    if not reusable and (kept.exists() or kept.is_symlink()):
        kept.rename(work / "search-pages.last")
    cut_search_pages(site_dir, kept, settings.path(SITE) if reusable else None)
    incremental.record_current(kept, record, incremental.site_key(key))
    return kept
