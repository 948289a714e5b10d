"""Issue 12's second round at the command line: the exact line a user sees, exit 1, nothing written, no traceback."""
from __future__ import annotations

import os
import sqlite3

import pytest
from test_bad_input import ALPHA, ALPHA_META, PREVIOUS_SITE, assert_refused, run_build, snapshot

from conftest import ALPHA_TXT, ALPHA_YML, FURNITURE_YML
from publisher.intake.load import MAX_YAML_DEPTH

SLOW = r"^(a|aa)+$"


def without_work_folder(found: dict) -> dict:
    """A snapshot without .build/, where the build keeps its lock file."""
    return {path: data for path, data in found.items() if not path.startswith(".build")}


@pytest.mark.parametrize("command", [(), ("check",)])
def test_a_marker_that_backtracks_without_end_is_a_line_naming_it(make_project, command):
    root = make_project({**PREVIOUS_SITE, "metadata/furniture.yml": FURNITURE_YML.replace("trailer:", f"  - '{SLOW}'\ntrailer:"),
                         ALPHA: ALPHA_TXT.replace("Leave a Reply", "a" * 40 + "!\n\nLeave a Reply")})
    before = snapshot(root)
    result = run_build(root, *command)
    assert result.stderr.splitlines() == [
        f"metadata/furniture.yml:3: furniture: marker '{SLOW}' ran longer than 1 s on one block of {ALPHA}: "
        "it backtracks without end; write it without a repetition inside a repetition, such as (a|aa)+",
        "1 problem found; nothing was written."]
    assert (result.returncode, result.stdout) == (1, "")
    assert without_work_folder(snapshot(root)) == without_work_folder(before)


@pytest.mark.parametrize("depth", [3_000, 100_000])
def test_yaml_nested_thousands_deep_is_a_line_not_a_crash(make_project, depth):
    assert_refused(make_project, {ALPHA_META: ALPHA_YML + "summary: " + "[" * depth + "]" * depth + "\n"},
                   f"{ALPHA_META}:10: nested more than {MAX_YAML_DEPTH} levels deep: metadata needs a few levels at most")


def view_named_entries(cache):
    with sqlite3.connect(cache) as connection:
        connection.execute("CREATE TABLE other (key TEXT, entry TEXT)")
        connection.execute("CREATE VIEW entries AS SELECT key, entry FROM other")
    connection.close()


@pytest.mark.parametrize("break_cache", [view_named_entries, os.mkdir])
def test_a_broken_keyword_cache_is_replaced_by_the_build(make_project, break_cache):
    root = make_project()
    (root / ".cache").mkdir()
    break_cache(root / ".cache" / "keywords.sqlite")
    result = run_build(root)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == "Built 2 articles into site_src/ and site/."
    assert (root / ".cache" / "keywords.sqlite").is_file()


def make_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    return str(tmp_path / "pipe.txt")


def make_big(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"Headline\n\n" + b"word " * 400_000)
    return str(tmp_path / "big.txt")


@pytest.mark.parametrize("make_source, message", [
    (lambda tmp_path: "/dev/zero", "is not a regular file (a device, pipe or socket): give the path of one text file"),
    (lambda tmp_path: "/dev/urandom", "is not a regular file (a device, pipe or socket): give the path of one text file"),
    (make_fifo, "is not a regular file (a device, pipe or socket): give the path of one text file"),
    (lambda tmp_path: str(tmp_path), "is a folder: give the path of one text file"),
    (make_big, "is 2,000,010 bytes: expected at most 1,000,000 bytes for a seed (one article's text)"),
])
def test_add_refuses_what_it_cannot_copy_in_one_line(make_project, tmp_path, make_source, message):
    root = make_project()
    source = make_source(tmp_path)
    before = snapshot(root)
    result = run_build(root, "add", source)
    assert result.stderr.splitlines() == [f"{source}: {message}", "1 problem found; nothing was written."]
    assert (result.returncode, result.stdout) == (1, "")
    assert snapshot(root) == before


def test_add_stops_on_a_marker_that_backtracks_without_end(make_project, tmp_path):
    root = make_project({"metadata/furniture.yml": FURNITURE_YML.replace("trailer:", f"  - '{SLOW}'\ntrailer:")})
    source = tmp_path / "scrape.txt"
    source.write_text("A Headline of Several Words\n\n" + "a" * 40 + "!\n\nThe article's first paragraph.\n")
    before = snapshot(root)
    result = run_build(root, "add", str(source))
    assert result.stderr.splitlines() == [
        f"metadata/furniture.yml:3: furniture: marker '{SLOW}' ran longer than 1 s on one block of {source}: "
        "it backtracks without end; write it without a repetition inside a repetition, such as (a|aa)+",
        "1 problem found; nothing was written."]
    assert (result.returncode, result.stdout) == (1, "")
    assert snapshot(root) == before
