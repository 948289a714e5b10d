"""bench/scale.py: the scale benchmark's table, from the figures one run records."""
from __future__ import annotations

from bench.scale import format_scale_table


def build(seconds: float, memory: float = 100.0) -> dict:
    return {"stages": {"keywords": seconds / 2, "mkdocs": seconds / 2}, "peak_memory_mb": memory}


def test_table_shows_each_edit_as_a_share_of_the_cold_build():
    figures = {"cold": build(200.0, 300.0), "warm": build(1.0), "changed": build(10.0), "metadata": build(5.0),
               "added": build(12.0), "removed": build(8.0),
               "export": {"seconds": 50.0, "peak_memory_mb": 250.0, "zip_bytes": 1},
               "site": {"articles": 1000, "files": 3874, "bytes": 73_959_101, "kinds": []},
               "search": {"bytes": 189_106, "requests": 14, "seconds_to_first_result": 1.93}}
    table = format_scale_table({"sizes": {"1000": figures}, "machine": "2 cores", "load": "9.48 8.60 8.27"})
    assert "| one text edited (s) | 10.0 (5.0% of cold) |" in table
    assert "| one article removed (s) | 8.0 (4.0% of cold) |" in table
    assert "| site/ bytes per article | 73,959 |" in table
    assert "| hosted first search (KB, requests, s) | 189 KB, 14, 1.93 |" in table
    assert table.endswith("Machine: 2 cores; load when started: 9.48 8.60 8.27.\n")


def test_a_failed_search_is_shown_not_hidden():
    figures = {"cold": build(1.0), "warm": build(1.0), **{k: build(1.0) for k in ("changed", "metadata", "added", "removed")},
               "export": {"seconds": 1.0, "peak_memory_mb": 1.0}, "site": {"articles": 1, "files": 1, "bytes": 1},
               "search": {"error": "TimeoutError: no result"}}
    assert "| failed: TimeoutError: no result |" in format_scale_table({"sizes": {"1": figures}, "machine": "m", "load": "1"})
