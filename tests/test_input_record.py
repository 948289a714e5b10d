"""A build with nothing changed reads no input (publisher/build/input_record.py); any change is still seen."""
from __future__ import annotations

import datetime
import os
import time

import pytest

import publisher.pipeline
from publisher.pipeline import Stopwatch, build_site


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """One entry per time a build read and validated its inputs."""
    read_inputs = publisher.pipeline.read_inputs
    calls: list[int] = []

    def counted(root):
        calls.append(1)
        return read_inputs(root)

    monkeypatch.setattr(publisher.pipeline, "read_inputs", counted)
    return calls


def build(root) -> Stopwatch:
    watch = Stopwatch()
    build_site(root, stopwatch=watch)
    return watch


def settled_project(make_project):
    """A project whose files were written more than a second before its first build (their times can be trusted)."""
    root = make_project()
    time.sleep(1.1)
    return root


def test_a_build_with_nothing_changed_reads_no_input(make_project, reads):
    root = settled_project(make_project)
    build(root)
    watch = build(root)
    assert reads == [1]  # the second build read nothing
    assert watch.up_to_date and watch.articles == 2 and "load_validate" not in watch.stages


def test_a_file_changed_just_before_a_build_is_read_again_until_its_times_can_be_trusted(make_project, reads):
    root = make_project()  # the files were written a moment ago: within the same second as the first build
    build(root)
    # Touched now, not only at make_project: however long the first build took on a busy machine,
    # the next one begins within a second of a change.
    os.utime(root / "seeds" / "001_alpha.txt")
    assert build(root).up_to_date and reads == [1, 1]  # its times moved: read again (the bytes did not)
    time.sleep(1.1)
    assert build(root).up_to_date and reads == [1, 1, 1]  # the last build began within a second of the writes
    assert build(root).up_to_date and reads == [1, 1, 1]  # this one began more than a second after: trusted


def same_size_times_put_back(root, monkeypatch):
    seed = root / "seeds" / "001_alpha.txt"
    before = seed.stat()
    text = seed.read_text()
    seed.write_text(text.replace("border", "b0rder"))
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))  # only its change time (and content) tell
    return lambda: "b0rder" in (root / "site_src" / "articles" / "troops-gather-at-the-border.md").read_text()


def a_new_file(root, monkeypatch):
    (root / "metadata" / "notes.txt").write_text("Not an input the build reads, but any new file makes it look.\n")
    return lambda: True


def renamed_site(root, monkeypatch):
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: News Corpus Archive", "site_name: Renamed Archive"))
    return lambda: "\n# Renamed Archive\n" in (root / "site_src" / "index.md").read_text()


def the_next_day(root, monkeypatch):
    tomorrow = publisher.pipeline.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(publisher.pipeline, "today", lambda: tomorrow)  # validation refuses dates after today
    return lambda: True


def a_touched_site(root, monkeypatch):
    page = root / "site" / "articles" / "troops-gather-at-the-border" / "index.html"
    original = page.read_bytes()
    page.write_text("defaced")
    return lambda: page.read_bytes() == original


@pytest.mark.parametrize("change", [same_size_times_put_back, a_new_file, renamed_site, the_next_day, a_touched_site])
def test_any_change_makes_the_build_read_its_inputs(make_project, reads, monkeypatch, change):
    root = settled_project(make_project)
    build(root)
    shown = change(root, monkeypatch)
    build(root)
    assert reads == [1, 1] and shown()
