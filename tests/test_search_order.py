"""Pagefind's index in one order: the same pages give the same index files, whatever order Pagefind wrote."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.search.pagefind_order import Item, PagefindFormatError, decode, order_index, read_payload, write_payload
from publisher.search.index import run_pagefind

PAGE = """<!DOCTYPE html><html lang="en"><body><div data-pagefind-body>
<h1 data-pagefind-meta="title">{title}</h1>
<span data-pagefind-filter="outlet">{outlet}</span><span data-pagefind-filter="year">{year}</span>
<span data-pagefind-filter="topic">{topic}</span><span data-pagefind-sort="date">{year}-01-01</span>
<p>{text}</p></div></body></html>
"""
ARTICLES = [("Troops Gather", "Daily Planet", "2023", "border", "Troops gather at the northern border."),
            ("Treaty Talks", "The Gazette", "2022", "alliance", "Negotiators resume the treaty talks."),
            ("Farmers Live", "Daily Planet", "2020", "alliance", "Farmers live by the river.")]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def reversed_lists(index: Path) -> None:
    """Write the index's filter values and the metadata's filters in reverse order, as another Pagefind run might."""
    for path in (index / "filter").glob("*.pf_filter"):
        root, _ = decode(read_payload(path))
        assert root.items is not None and root.items[1].items is not None
        values = root.items[1]
        write_payload(path, Item(root.head, (root.items[0], Item(values.head, tuple(reversed(values.items or ()))))).encode())
    meta_path = next(index.glob("*.pf_meta"))
    meta, _ = decode(read_payload(meta_path))
    assert meta.items is not None
    files = {f"{path.stem}".encode("utf-8") for path in (index / "filter").glob("*.pf_filter")}

    def is_filter_list(item: Item) -> bool:
        return bool(item.items) and all(i.items is not None and len(i.items) == 2 and i.items[1].head[1:] in files
                                        for i in item.items or ())

    items = [Item(item.head, tuple(reversed(item.items or ()))) if is_filter_list(item) else item for item in meta.items]
    assert items != list(meta.items)
    write_payload(meta_path, Item(meta.head, tuple(items)).encode())


@pytest.fixture(scope="module")
def pagefind_index(tmp_path_factory) -> Path:
    pages = tmp_path_factory.mktemp("pages")
    for n, (title, outlet, year, topic, text) in enumerate(ARTICLES):
        (pages / "articles" / f"a{n}").mkdir(parents=True)
        (pages / "articles" / f"a{n}" / "index.html").write_text(
            PAGE.format(title=title, outlet=outlet, year=year, topic=topic, text=text), encoding="utf-8")
    index = tmp_path_factory.mktemp("index") / "pagefind"
    run_pagefind(pages, index)
    return index


def test_an_index_in_any_order_comes_out_the_same(pagefind_index, tmp_path):
    one, other = tmp_path / "one", tmp_path / "other"
    shutil.copytree(pagefind_index, one)
    shutil.copytree(pagefind_index, other)
    reversed_lists(other)
    assert tree(one) != tree(other)
    order_index(one)
    order_index(other)
    assert tree(one) == tree(other)
    # The entry names the metadata file that is there, and the metadata every filter file that is there.
    ordered = tree(one)
    meta = [name for name in ordered if name.endswith(".pf_meta")]
    assert len(meta) == 1 and meta[0].split(".")[1] in ordered["pagefind-entry.json"].decode("utf-8")
    meta_text = read_payload(one / meta[0])
    for name in ordered:
        if name.startswith("filter/"):
            assert name[len("filter/"):-len(".pf_filter")].encode("utf-8") in meta_text
    order_index(one)  # again: already in order, nothing changes
    assert tree(one) == ordered


def test_a_file_not_as_pagefind_writes_it_is_named(pagefind_index, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(pagefind_index, broken)
    next((broken / "filter").glob("*.pf_filter")).write_bytes(b"not gzip")
    with pytest.raises(PagefindFormatError, match="unexpected index file"):
        order_index(broken)
