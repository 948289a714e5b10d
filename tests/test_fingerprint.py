"""The code's one fingerprint: any module, template or lock edit changes it, the same tree gives the same value."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from publisher.intake import clean_stage

from publisher.build import fingerprint

from publisher.build import incremental

from publisher.keywords import stage as keyword_stage
from publisher.settings import read_settings


def copy_code(dest: Path) -> Path:
    """A copy of the code this fingerprint covers: build.py, publisher/, templates/ and the lock."""
    dest.mkdir()
    for name in ("build.py", "requirements.site.lock.txt"):
        shutil.copy2(REPO / name, dest / name)
    for name in ("publisher", "templates"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.fixture(scope="module")
def code(tmp_path_factory) -> Path:
    return copy_code(tmp_path_factory.mktemp("fingerprint") / "code")


def test_the_same_tree_gives_the_same_fingerprint_wherever_it_lies(code, tmp_path):
    other = copy_code(tmp_path / "elsewhere")
    assert fingerprint.code_fingerprint(code) == fingerprint.code_fingerprint(other)
    assert fingerprint.code_fingerprint(code) == fingerprint.code_fingerprint(code)


def test_the_package_is_fingerprinted_from_its_own_folder():
    assert fingerprint.CODE_ROOT == REPO
    files = {path.relative_to(REPO).as_posix() for path in fingerprint.code_files(REPO)}
    assert {"build.py", "publisher/pages/render.py", "publisher/keywords/stage.py", "templates/article.md.j2",
            "templates/theme/main.html", "requirements.site.lock.txt"} <= files
    assert not any("__pycache__" in name for name in files)


@pytest.mark.parametrize("edited", ["publisher/pages/render.py", "publisher/keywords/stage.py", "publisher/build/fingerprint.py",
                                    "templates/article.md.j2", "templates/theme/main.html",
                                    "templates/theme/assets/stylesheets/archive.css", "build.py",
                                    "requirements.site.lock.txt"])
def test_editing_any_module_template_or_the_lock_changes_the_fingerprint(tmp_path, edited):
    tree = copy_code(tmp_path / "code")
    before = fingerprint.code_fingerprint(tree)
    path = tree / edited
    path.write_bytes(path.read_bytes() + b"\n# edited\n")
    assert fingerprint.code_fingerprint(tree) != before


def test_an_edit_keeping_size_and_time_is_seen_by_a_fresh_digest(tmp_path):
    # The per-process shortcut trusts size and modification time; the digest itself reads bytes.
    tree = copy_code(tmp_path / "code")
    before = fingerprint.code_fingerprint(tree)
    path = tree / "templates" / "home.md.j2"
    stat = path.stat()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + (b"X" if data[-1:] != b"X" else b"Y"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint.digest_code(tree, fingerprint.code_files(tree)) != before


def test_a_new_or_removed_module_changes_the_fingerprint(tmp_path):
    tree = copy_code(tmp_path / "code")
    before = fingerprint.code_fingerprint(tree)
    (tree / "publisher" / "extra.py").write_text('"""A new module."""\n')
    added = fingerprint.code_fingerprint(tree)
    (tree / "publisher" / "extra.py").unlink()
    assert before != added and fingerprint.code_fingerprint(tree) == before


def test_another_tool_version_changes_the_fingerprint(tmp_path, monkeypatch):
    tree = copy_code(tmp_path / "code")
    before = fingerprint.digest_code(tree, fingerprint.code_files(tree))
    monkeypatch.setattr(fingerprint, "version", lambda name: "9.9.9")
    assert fingerprint.digest_code(tree, fingerprint.code_files(tree)) != before


def test_every_cache_is_keyed_by_the_one_fingerprint(monkeypatch):
    """The build's code key, the keyword memo's and the cleaning memo's all move with the fingerprint."""
    settings = read_settings(REPO)
    keys = lambda: (incremental.code_key(settings), keyword_stage.code_digest("settings"), clean_stage.memo_code())  # noqa: E731
    before = keys()
    for module in (incremental, keyword_stage, clean_stage):
        monkeypatch.setattr(module, "code_fingerprint", lambda root=None: "another code")
    after = keys()
    assert [b != a for b, a in zip(before, after)] == [True, True, True]
