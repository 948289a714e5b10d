"""The offline copy: the hosted site/, made to work from file://, packed into one deterministic zip in dist/.

The export builds nothing of its own. It runs the hosted build (a no-op when site/ is current) and
packs site/ as it is, with the few changes file:// needs (docs/offline.md; offline_files.py makes them):

- links that name a folder ("../topics/", "..") name its index.html: file:// shows a folder listing;
- the 404 page's links, which MkDocs writes from the site's root ("/news-corpus-archive/..."), are
  made relative to the root, where 404.html lies;
- nothing asks a server: no feed links (Material fetches a sitemap.xml beside each), no GitHub API
  request for the repository's facts;
- Pagefind's index, which its script loads with fetch() (refused from file://), goes in as classic
  scripts: each index file wrapped as `<file>.js` that hands its bytes to the search box, and
  pagefind.js made a classic script whose fetch() asks the search box for those bytes instead
  (templates/theme/assets/javascripts/search.js). One index, the hosted one, not two.

So pages, redirects, the 404 page and the search index are the hosted ones by construction. The
zip holds every file sorted, with fixed times and modes; a file whose bytes are the last export's
is copied from the last zip still compressed (an edit deflates only what changed).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from .build.publish import Swap, Transaction
from .offline_files import ExportError, classic_pagefind, offline_page, wrapped_file
from .pages.routes import offline_zip_name
from .pipeline import Stopwatch, build_site
from .settings import CACHE_DIR, DIST, read_settings

# Sitemaps serve the crawlers of a hosted site, and theirs is the only output that carries the build
# date: leaving them out keeps the zip the same for the same inputs on any day. Material's own search
# (lunr and its worker) is not used by any page: the search box is ours, over Pagefind.
LEFT_OUT = frozenset({"sitemap.xml", "sitemap.xml.gz"})
LEFT_OUT_FOLDERS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
SEARCH_FOLDER = "pagefind/"
# Pagefind's worker cannot start from file://; the box tells Pagefind to run on the page (noWorker).
SEARCH_LEFT_OUT = ("pagefind-worker.js",)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
ZIP_MODE = (stat.S_IFREG | 0o644) << 16
ZIP_UNIX = 3  # "made on Unix", whatever machine packs it, so the mode bits above are read
LEVEL = 6  # zlib's default: what zipfile writes
BATCH = 256  # entries packed at a time
FORMAT = 1  # of the record of the last zip's entries
EXPORT_RECORD = f"{CACHE_DIR}/export.json"  # the last zip's entries: what the next export may copy from it


RELEASE_ASSET_LIMIT = 2 * 1024**3  # bytes: GitHub refuses a release file of 2 GiB or more


@dataclass(frozen=True)
class Export:
    """What an export wrote: the zip, how many files it holds, its size, how many articles."""

    path: Path
    files: int
    size: int  # bytes
    articles: int
    reused: int = 0  # files copied compressed from the last zip

    def too_large_to_release(self) -> str | None:
        """Why the publish workflow could not attach this zip to a GitHub release; None when it can.

        At 100,000 articles the zip is 1.93 GB: an archive reaches the limit near 105,000.
        """
        if self.size < RELEASE_ASSET_LIMIT:
            return None
        return (f"{self.path.name} is {self.size / 1024**3:.2f} GiB: a GitHub release file must be under 2 GiB, "
                "so the publish workflow cannot attach it to the release: offer it from the storage that hosts the site (docs/hosting.md)")


# ---- What goes into the zip ----------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A file of the zip: its name under the top folder, the site/ file it comes from, and how it changes."""

    name: str
    source: Path
    change: str  # "copy", "page", "404", "wrap", "pagefind"


def plan_entries(site: Path) -> list[Entry]:
    """Every file of the offline copy, sorted by name, from site/'s files."""
    entries = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        if rel in LEFT_OUT or rel.startswith(LEFT_OUT_FOLDERS):
            continue
        if rel.startswith(SEARCH_FOLDER):
            if rel.rsplit("/", 1)[-1] in SEARCH_LEFT_OUT:
                continue
            if rel.endswith("/pagefind.js"):
                entries.append(Entry(rel, path, "pagefind"))
            else:
                entries.append(Entry(rel + ".js", path, "wrap"))
        elif rel == "404.html":
            entries.append(Entry(rel, path, "404"))
        elif rel.endswith(".html"):
            entries.append(Entry(rel, path, "page"))
        else:
            entries.append(Entry(rel, path, "copy"))
    return sorted(entries, key=lambda entry: entry.name)


def change_file(entry: Entry, data: bytes, root_prefix: str) -> bytes:
    """The bytes the offline copy holds for entry, made from its site/ file's bytes."""
    if entry.change == "page":
        return offline_page(data.decode("utf-8")).encode("utf-8")
    if entry.change == "404":
        return offline_page(data.decode("utf-8"), root_prefix).encode("utf-8")
    if entry.change == "wrap":
        return wrapped_file(entry.name[len(SEARCH_FOLDER):-len(".js")], data)
    if entry.change == "pagefind":
        return classic_pagefind(data.decode("utf-8"), entry.name).encode("utf-8")
    return data


# ---- The zip -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Packed:
    """One entry as the zip holds it: compressed bytes and what the central directory says of them."""

    name: str
    crc: int
    size: int
    data: bytes  # deflated
    reused: bool = False  # copied from the last zip


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _dos_time() -> tuple[int, int]:
    year, month, day, hour, minute, second = ZIP_TIME
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def write_zip(dest: Path, entries: Iterator[Packed]) -> tuple[int, dict[str, tuple[int, int, int, int]]]:
    """Write entries (in order) as a zip that any unzip reads; return how many, and where each one's data is.

    Written here, not with zipfile, so that an entry can go in already compressed (zipfile compresses
    whatever it is given). Zip64 records are added when there are more than 65,535 entries; a zip
    over 4 GB is refused.
    """
    time, date = _dos_time()
    central = []
    where: dict[str, tuple[int, int, int, int]] = {}
    with open(dest, "wb") as out:
        for entry in entries:
            name = entry.name.encode("utf-8")
            offset = out.tell()
            flags = 0x800 if not entry.name.isascii() else 0
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, time, date, entry.crc,
                                  len(entry.data), entry.size, len(name), 0))
            out.write(name)
            where[entry.name] = (out.tell(), len(entry.data), entry.size, entry.crc)
            out.write(entry.data)
            if out.tell() >= 0xFFFFFFFF:
                raise ExportError(f"{dest}: the offline copy would be 4 GB or more")
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (ZIP_UNIX << 8) | 20, 20, flags, 8, time,
                                       date, entry.crc, len(entry.data), entry.size, len(name), 0, 0, 0, 0,
                                       ZIP_MODE, offset) + name)
        start = out.tell()
        for record in central:
            out.write(record)
        end = out.tell()
        count = len(central)
        if count > 0xFFFF:
            out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, (ZIP_UNIX << 8) | 45, 45, 0, 0, count, count,
                                  end - start, start))
            out.write(struct.pack("<IIQI", 0x07064B50, 0, end, 1))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                              end - start, start, 0))
    return count, where


# ---- Reusing the last zip ------------------------------------------------------------------------

@dataclass(frozen=True)
class LastZip:
    """The last export's zip and, by entry name, its source's digest and where its compressed data lies."""

    path: Path
    entries: dict[str, tuple[str, int, int, int, int]]  # digest, data offset, compressed size, size, crc


def reuse_key(top: str, root_prefix: str) -> str:
    """What an entry's bytes depend on besides its source's: the zip's top folder, the root path, this code."""
    code = hashlib.sha256(Path(__file__).read_bytes() + Path(__file__).with_name("offline_files.py").read_bytes()).hexdigest()
    return f"{FORMAT}:{top}:{root_prefix}:{code}"


def read_last_zip(record: Path, zip_path: Path, key: str) -> LastZip | None:
    """The last zip as its record describes it; None when either is missing, the key differs or the zip is not the one recorded."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data["key"] != key or data["zip_size"] != zip_path.stat().st_size or data["zip_sha256"] != sha256_file(zip_path):
            return None
        return LastZip(zip_path, {name: tuple(value) for name, value in data["entries"].items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pack_entry(entry: Entry, top: str, root_prefix: str, last: LastZip | None, last_fd: int | None) -> tuple[Packed, str]:
    """entry compressed under top/, or copied compressed from the last zip when its source's bytes are the same; and the source's digest."""
    source = entry.source.read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    kept = last.entries.get(entry.name) if last is not None else None
    if last_fd is not None and kept is not None and kept[0] == digest:
        data = os.pread(last_fd, kept[2], kept[1])
        if len(data) == kept[2]:
            return Packed(f"{top}/{entry.name}", kept[4], kept[3], data, reused=True), digest
    changed = change_file(entry, source, root_prefix)
    return Packed(f"{top}/{entry.name}", zlib.crc32(changed), len(changed), deflate(changed)), digest


def pack_entries(entries: list[Entry], top: str, root_prefix: str, last: LastZip | None,
                 digests: dict[str, str]) -> Iterator[Packed]:
    """Each entry packed (pack_entry), in order; digests receives each one's source digest, for the next export's record.

    Two threads: reading, hashing and deflating let go of the interpreter, so both cores work.
    Entries go in batches, so that only a batch's compressed bytes wait in memory.
    """
    last_fd = os.open(last.path, os.O_RDONLY) if last is not None else None
    try:
        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            for start in range(0, len(entries), BATCH):
                batch = entries[start:start + BATCH]
                for entry, (packed, digest) in zip(batch, pool.map(lambda e: pack_entry(e, top, root_prefix, last, last_fd), batch)):
                    digests[entry.name] = digest
                    yield packed
    finally:
        if last_fd is not None:
            os.close(last_fd)


def pack_site(site: Path, dest: Path, top: str, root_prefix: str, last: LastZip | None = None,
              record: Path | None = None, key: str = "") -> tuple[int, int]:
    """Zip the offline copy of site under top/ into dest; return how many files it holds, and how many came from last.

    last: the last export's zip, whose entries made from the same bytes are copied as they are.
    record: where to write what the next export needs to reuse dest's entries.
    """
    digests: dict[str, str] = {}
    reused = []

    def tally(packed: Iterator[Packed]) -> Iterator[Packed]:
        for entry in packed:
            reused.append(entry.reused)
            yield entry

    count, where = write_zip(dest, tally(pack_entries(plan_entries(site), top, root_prefix, last, digests)))
    if record is not None:
        entries = {name: [digest, *where[f"{top}/{name}"]] for name, digest in digests.items()}
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"key": key, "zip_size": dest.stat().st_size, "zip_sha256": sha256_file(dest),
                                      "entries": entries}, sort_keys=True) + "\n", encoding="utf-8")
    return count, sum(reused)


def describe_checksum(path: Path) -> str:
    """The line `sha256sum` prints for path (and `sha256sum -c` checks): the SHA-256, two spaces, the name."""
    return f"{sha256_file(path)}  {path.name}\n"


def export_site(root: Path) -> Export:
    """Build the hosted site (nothing to do when site/ is current) and zip its offline copy into dist/ atomically.

    The zip is the build's option: packed from the new site/ and swapped in with it, in the build's
    one publish transaction. On any failure site/ and dist/ both stay as they were.
    """
    settings = read_settings(root)
    name = offline_zip_name(settings.name, settings.version)
    dest = settings.path(DIST) / f"{name}.zip"
    record = settings.path(EXPORT_RECORD)
    packed_files: list[tuple[int, int]] = []

    def pack(publish: Transaction, site: Path) -> list[Swap]:
        top, root_prefix = name, urlsplit(settings.url).path or "/"
        key = reuse_key(top, root_prefix)
        last = read_last_zip(record, dest, key)
        record.unlink(missing_ok=True)  # until the new zip is in place, no record describes it
        packed = publish.work / f"{name}.zip"
        staged_record = publish.work / "export.json"
        packed_files.append(pack_site(site, packed, top, root_prefix, last, staged_record, key))
        checksum = publish.work / f"{name}.zip.sha256"
        checksum.write_text(describe_checksum(packed), encoding="ascii")
        dest.parent.mkdir(exist_ok=True)
        # Both or neither: a zip in dist/ always has its own checksum beside it, never the last one's.
        return [Swap(checksum, dest.with_name(checksum.name)), Swap(packed, dest), Swap(staged_record, record)]

    watch = Stopwatch()
    build_site(root, settings=settings, finish=pack, stopwatch=watch)
    files, reused = packed_files[0]
    return Export(dest, files, dest.stat().st_size, watch.articles, reused)
