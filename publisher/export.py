"""The offline copy: the site built for file:// and packed into one deterministic zip in dist/."""
from __future__ import annotations

import hashlib
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .pipeline import build_site
from .publish import Swap, open_transaction
from .settings import DIST, SITE_SRC, read_mkdocs_config, read_settings
from .site import build_with_mkdocs
from .routes import offline_zip_name
from .render import make_environment
from .urls import plan_redirects, read_manifest, redirect_files
from .write import write_tree

# iframe-worker 1.0.4 (MIT, npm), shipped in templates/theme with its LICENSE: Material's search
# runs in a Web Worker, which a browser refuses to start from file://; the shim runs it in an iframe.
# The offline plugin loads it from a CDN unless a polyfill's path names "iframe-worker".
WORKER_SHIM = "assets/javascripts/iframe-worker/shim.js"
# Sitemaps serve the crawlers of a hosted site, and theirs is the only output that carries the build
# date: leaving them out keeps the zip the same for the same inputs on any day.
LEFT_OUT = frozenset({"sitemap.xml", "sitemap.xml.gz"})
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
ZIP_MODE = (stat.S_IFREG | 0o644) << 16
ZIP_UNIX = 3  # "made on Unix", whatever machine packs it, so the mode bits above are read


@dataclass(frozen=True)
class Export:
    """What an export wrote: the zip, how many files it holds, its size, how many articles."""

    path: Path
    files: int
    size: int  # bytes
    articles: int


def plugin_name(entry) -> str:
    """The name of a `plugins:` entry, written either as `name` or as `name: {options}`."""
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def offline_overrides(hosted: dict) -> dict:
    """Turn the hosted configuration into the offline build: offline plugin on, Material's search on.

    This is the one place where the two builds differ. Whatever the hosted site searches with, the
    offline copy needs Material's search: its index is inlined as a script that file:// can load.
    Nothing may come from elsewhere: no web fonts, no analytics, the worker shim from the site itself.
    """
    entries = hosted.get("plugins") or []
    if isinstance(entries, dict):
        entries = [{name: options} for name, options in entries.items()]
    plugins = [entry for entry in entries if plugin_name(entry) not in ("offline", "material/offline")]
    if not any(plugin_name(entry) in ("search", "material/search") for entry in plugins):
        plugins.insert(0, "search")
    plugins.append("offline")

    extra = {key: value for key, value in (hosted.get("extra") or {}).items() if key not in ("analytics", "consent")}
    extra["polyfills"] = [*extra.get("polyfills", []), WORKER_SHIM]
    extra["archive_offline"] = True  # templates/theme/partials/source.html: no GitHub API request

    theme = hosted.get("theme") or {}
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme}
    theme["font"] = False
    # Instant navigation fetches pages with XHR, which file:// refuses.
    theme["features"] = [f for f in theme.get("features") or [] if not f.startswith("navigation.instant")]
    return {"plugins": plugins, "extra": extra, "theme": theme}


def offline_redirects(root: Path) -> dict[str, str]:
    """The redirect pages of site_src/, remade for the offline copy's addresses (name.html, not name/)."""
    entries, _ = read_manifest(root)  # the build just wrote it: every present page lists its article
    pages = {path: entry.article_id for path, entry in entries.items() if (root / SITE_SRC / path).is_file()}
    return redirect_files(plan_redirects(entries, pages)[0], make_environment(), directory_urls=False)


def pack_zip(site: Path, dest: Path, top: str) -> int:
    """Zip every file of site under top/, sorted, with fixed times and modes; return how many."""
    paths = sorted((p.relative_to(site).as_posix(), p) for p in site.rglob("*") if p.is_file())
    paths = [(rel, path) for rel, path in paths if rel not in LEFT_OUT]
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel, path in paths:
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = ZIP_UNIX
            info.external_attr = ZIP_MODE
            archive.writestr(info, path.read_bytes())
    return len(paths)


def describe_checksum(path: Path) -> str:
    """The line `sha256sum` prints for path (and `sha256sum -c` checks): the SHA-256, two spaces, the name."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"{digest.hexdigest()}  {path.name}\n"


def export_site(root: Path) -> Export:
    """Render site_src/ as the build does, build it for file:// and zip it into dist/ atomically.

    site/ stays as it is; on any failure dist/ does too.
    """
    corpus = build_site(root, run_mkdocs=False)
    settings = read_settings(root)
    config_file = settings.config_file
    hosted = read_mkdocs_config(config_file)
    name = offline_zip_name(settings.name, settings.version)
    dest = settings.path(DIST) / f"{name}.zip"
    with open_transaction(settings) as publish:  # no build may swap site_src/ while MkDocs reads it
        site = publish.make_folder("site")
        build_with_mkdocs(config_file, settings.path(SITE_SRC), site, **offline_overrides(hosted))
        write_tree(offline_redirects(root), site)  # over the hosted redirect pages MkDocs copied from site_src/
        packed = publish.work / f"{name}.zip"
        files = pack_zip(site, packed, name)
        checksum = publish.work / f"{name}.zip.sha256"
        checksum.write_text(describe_checksum(packed), encoding="ascii")
        dest.parent.mkdir(exist_ok=True)
        # Both or neither: a zip in dist/ always has its own checksum beside it, never the last one's.
        publish.commit([Swap(checksum, dest.with_name(checksum.name)), Swap(packed, dest)])
    return Export(dest, files, dest.stat().st_size, len(corpus.articles))
