"""Pagefind's filter files and metadata put in one order, so the same pages always give the same index bytes.

Pagefind 1.5.2 writes a filter's values, and the metadata's list of filters, in an order that
changes from run to run (Pagefind/pagefind#638), and names each file after a hash of its bytes:
two runs on the same pages gave two `filter/*.pf_filter` names, two `pf_meta` names, and so two
different sites and offline zips. Each file is gzip'd CBOR behind a 12-byte signature; the lists
here are CBOR arrays. Sorting those arrays' items by their bytes, renaming the files after a digest
of what they now hold, and pointing the metadata and pagefind-entry.json at the new names gives one
index per set of pages. Only the order of items in those two lists changes: every item's bytes are
kept as Pagefind wrote them.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class PagefindFormatError(Exception):
    """An index file is not in the form this code knows (another Pagefind version)."""


@dataclass(frozen=True)
class Item:
    """One CBOR data item: its head's bytes, and its items when it is an array (else its whole bytes in head)."""

    head: bytes
    items: tuple[Item, ...] | None = None

    def encode(self) -> bytes:
        if self.items is None:
            return self.head
        return self.head + b"".join(item.encode() for item in self.items)


def _argument(data: bytes, at: int) -> tuple[int, int]:
    """The argument of the head at data[at] and where the head ends."""
    info = data[at] & 0x1F
    if info < 24:
        return info, at + 1
    if info > 27:
        raise PagefindFormatError(f"indefinite or reserved CBOR length at byte {at}")
    width = 1 << (info - 24)
    return int.from_bytes(data[at + 1: at + 1 + width], "big"), at + 1 + width


def decode(data: bytes, at: int = 0) -> tuple[Item, int]:
    """The CBOR item at data[at] (arrays opened, everything else kept whole) and where it ends."""
    major = data[at] >> 5
    value, end = _argument(data, at)
    if major in (0, 1, 7):  # integers, simple values and floats: the head is all of it
        return Item(data[at:end]), end
    if major in (2, 3):  # byte and text strings
        return Item(data[at:end + value]), end + value
    if major == 4:
        items = []
        for _ in range(value):
            item, end = decode(data, end)
            items.append(item)
        return Item(data[at:_argument(data, at)[1]], tuple(items)), end
    if major == 5:  # a map: kept whole, in Pagefind's order
        start = at
        for _ in range(2 * value):
            _, end = decode(data, end)
        return Item(data[start:end]), end
    raise PagefindFormatError(f"CBOR tag at byte {at}")


def read_payload(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise PagefindFormatError(f"{path}: no Pagefind signature")
    return data[len(SIGNATURE):]


def write_payload(path: Path, payload: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))


def _text(item: Item) -> str | None:
    """The text of a CBOR text string item; None for any other item."""
    if item.items is not None or item.head[0] >> 5 != 3:
        return None
    _, end = _argument(item.head, 0)
    return item.head[end:].decode("utf-8")


def _text_item(text: str) -> Item:
    data = text.encode("utf-8")
    if len(data) < 24:
        head = bytes([0x60 | len(data)])
    elif len(data) < 256:
        head = bytes([0x78, len(data)])
    else:
        head = bytes([0x79]) + len(data).to_bytes(2, "big")
    return Item(head + data)


def _sorted(item: Item) -> Item:
    assert item.items is not None
    return Item(item.head, tuple(sorted(item.items, key=Item.encode)))


def order_index(folder: Path) -> None:
    """Put the Pagefind index in folder (one shard) in one order: filters' values, the metadata's filters, and their names.

    Raise PagefindFormatError when a file is not as Pagefind 1.5 writes it.
    """
    try:
        _order_index(folder)
    except (ValueError, KeyError, IndexError, TypeError, EOFError, gzip.BadGzipFile) as error:
        raise PagefindFormatError(f"unexpected index file: {error!r}") from None


def _order_index(folder: Path) -> None:
    entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        renamed = {}
        for path in sorted((folder / "filter").glob(f"{language}_*.pf_filter")):
            root, _ = decode(read_payload(path))
            if root.items is None or len(root.items) != 2 or root.items[1].items is None:
                raise PagefindFormatError(f"{path}: not a [name, values] filter")
            payload = Item(root.head, (root.items[0], _sorted(root.items[1]))).encode()
            name = f"{language}_{hashlib.sha256(payload).hexdigest()[:7]}"
            renamed[path.stem] = name
            path.unlink()
            write_payload(path.with_name(f"{name}.pf_filter"), payload)
        meta_path = folder / f"pagefind.{details['hash']}.pf_meta"
        meta, _ = decode(read_payload(meta_path))
        payload = _rename_filters(meta, renamed).encode()
        meta_hash = f"{language}_{hashlib.sha256(payload).hexdigest()[:10]}"
        meta_path.unlink()
        write_payload(folder / f"pagefind.{meta_hash}.pf_meta", payload)
        text = (folder / ENTRY).read_text(encoding="utf-8")
        (folder / ENTRY).write_text(text.replace(f'"{details["hash"]}"', f'"{meta_hash}"'), encoding="utf-8")


def _rename_filters(meta: Item, renamed: dict[str, str]) -> Item:
    """The metadata with its list of [filter name, file name] pairs sorted and pointing at the renamed files."""
    if meta.items is None:
        raise PagefindFormatError("the metadata is not an array")
    items = list(meta.items)
    found = False
    for k, item in enumerate(items):
        pairs = [(p.head, p.items[0], _text(p.items[1])) for p in item.items or () if p.items is not None and len(p.items) == 2]
        if not pairs or len(pairs) != len(item.items or ()) or not all(file in renamed for _, _, file in pairs if file):
            continue
        if not all(file for _, _, file in pairs):
            continue
        items[k] = _sorted(Item(item.head, tuple(Item(head, (name, _text_item(renamed[file or ""]))) for head, name, file in pairs)))
        found = True
    if renamed and not found:
        raise PagefindFormatError("the metadata names none of the filter files")
    return Item(meta.head, tuple(items))
