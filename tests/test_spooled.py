"""The site's files wait in a scratch file while a build renders them (publisher/build/spooled.py)."""
from __future__ import annotations

import tracemalloc

from publisher.build.spooled import SPOOL_FROM, SpooledFiles


def test_every_file_comes_back_as_it_was_put_in():
    long_text = "Zürich\n" * SPOOL_FROM
    files = SpooledFiles({"a.md": long_text, "b.md": "short", "raw/c.txt": b"\xff bytes", "d.md": None})
    files["e.md"] = "é" * SPOOL_FROM
    assert dict(files) == {"a.md": long_text, "b.md": "short", "raw/c.txt": b"\xff bytes", "d.md": None, "e.md": "é" * SPOOL_FROM}
    assert list(files) == ["a.md", "b.md", "raw/c.txt", "d.md", "e.md"]  # in the order they were put in
    assert [path for path in files if files.is_kept(path)] == ["d.md"]
    del files["b.md"]
    assert "b.md" not in files and len(files) == 4


def test_long_texts_are_not_held_in_memory():
    files = SpooledFiles()
    pages = 200
    tracemalloc.start()
    try:
        for number in range(pages):
            files[f"articles/{number}.md"] = f"# Page {number}\n\n" + "A paragraph of an article. " * 4_000  # 108 KB each
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 1_000_000  # 21.6 MB of pages put in; their paths and places stay
    assert files["articles/7.md"].startswith("# Page 7\n\nA paragraph")


def test_a_sibling_shares_the_scratch_file_and_hands_its_texts_over_in_order():
    pages = SpooledFiles({"index.md": "home " * SPOOL_FROM})
    listings = pages.sibling()
    listings["topics/x.md"] = "listing " * SPOOL_FROM
    pages["articles/a.md"] = "article " * SPOOL_FROM
    pages.update(listings)
    assert list(pages) == ["index.md", "articles/a.md", "topics/x.md"]
    assert pages["topics/x.md"] == "listing " * SPOOL_FROM


def test_a_text_made_in_pieces_is_written_as_it_is_made():
    files = SpooledFiles()
    made = []

    def pieces():
        for number in range(3_000):
            made.append(number)
            yield f"line {number}, é\n" * 700

    tracemalloc.start()
    try:
        files.put_pieces("data/corpus.json", pieces())
        _held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    text = files["data/corpus.json"]
    assert len(made) == 3_000 and text == "".join(f"line {number}, é\n" * 700 for number in range(3_000))
    assert len(text.encode()) > 6 * peak  # 3,000 pieces, 31 MB in all; about a megabyte at a time in memory
