"""Platforms without POSIX's open flags (Windows): check, the build and add still work, with the same guarantees."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import repo_inputs, write_project
from publisher.build import memo

POSIX_ONLY_FLAGS = ("O_NOFOLLOW", "O_NONBLOCK", "O_DIRECTORY", "O_CLOEXEC")
# build.py run as `python build.py ...` after the flags are deleted from os, as on Windows' Python.
# filelock's Unix lock keeps a copy of os with them: on Windows filelock takes msvcrt's lock instead,
# and that code path is filelock's, not ours.
WITHOUT_POSIX_FLAGS = f"""
import os, runpy, sys, types
import filelock._unix
posix_os = types.ModuleType("os")
posix_os.__dict__.update(vars(os))
filelock._unix.os = posix_os
for name in {POSIX_ONLY_FLAGS!r}:
    if hasattr(os, name):
        delattr(os, name)
sys.argv = ["build.py", *sys.argv[1:]]
runpy.run_path("build.py", run_name="__main__")
"""


def run_without_flags(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_POSIX_FLAGS, *args], cwd=root, capture_output=True, text=True, timeout=600)


def test_check_build_rebuild_and_add_pass_with_the_posix_only_flags_removed(tmp_path):
    root = write_project(tmp_path / "archive", repo_inputs())
    text = tmp_path / "new.txt"
    text.write_text("A new article about river levels\n\nThe river rose by two metres overnight, the agency said.\n")
    for args in (["check"], [], ["add", str(text), "--outlet", "express", "--date", "2024-03-01", "--title", "River levels",
                                   "--topic", "belarus-ukraine-border"],
                 []):  # the last build reads the memos of the first for every article but the new one
        result = run_without_flags(root, *args)
        assert result.returncode == 0, (args, result.stderr[-3000:])
        assert "AttributeError" not in result.stderr
    assert "River levels" in (root / "site/index.html").read_text()
    assert sorted(p.name for p in (root / ".cache").glob("*.memo.json")) == ["clean.memo.json", "keywords.memo.json"]


@pytest.fixture
def without_posix_flags(monkeypatch):
    """memo's flags as on a platform that lacks them."""
    monkeypatch.setattr(memo, "NOFOLLOW", 0)
    monkeypatch.setattr(memo, "NONBLOCK", 0)


@pytest.mark.skipif(os.name != "posix", reason="makes a FIFO and a symbolic link, which Windows cannot without privileges")
def test_memos_are_still_never_read_through_a_link_nor_from_a_fifo(tmp_path, without_posix_flags):
    plain = tmp_path / "memo.json"
    plain.write_bytes(b"{}")
    link = tmp_path / "link.json"
    link.symlink_to(plain)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    assert memo.read_plain_file(plain) == b"{}"
    assert memo.read_plain_file(link) is None
    assert memo.read_plain_file(fifo) is None  # returns at once: opening it would wait for a writer
    assert memo.read_plain_file(tmp_path) is None
    assert memo.read_plain_file(tmp_path / "missing") is None
