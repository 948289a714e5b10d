"""The publish transaction: no link at the build's own paths is followed, and every output is old or new.

A read-only site/ or a disk that fills while the build writes: one clear line, exit 1, and
site_src/, site/ and published-pages.txt are all the previous build's.
"""
from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ALPHA_YML
from publisher.model import InputError
from publisher.pipeline import check_corpus
from test_bad_input import run_build, snapshot

LINK = ("is a symbolic link: the build never follows one at its own paths, as it could read or write any file of "
        "the machine; remove the link (and commit no link there)")
CHANGED = {"metadata/001_alpha.yml": ALPHA_YML.replace("Troops Gather at the Border", "Troops Mass at the Border")}
OUTPUTS = ("site_src", "site", "published-pages.txt")


def link_to_outside(root: Path, rel: str, outside: Path) -> None:
    """Replace root/rel (if any) by a link to a copy of it, or to a file or folder, outside the project."""
    path = root / rel
    if path.is_dir():
        path.rename(outside)
    elif path.exists():
        path.rename(outside)
    elif rel.endswith((".txt", ".sqlite", "lock", ".key")):
        outside.write_text("a file outside the project\n")
    else:
        outside.mkdir()
        (outside / "kept.txt").write_text("a file outside the project\n")
    path.parent.mkdir(exist_ok=True)
    path.symlink_to(outside)


@pytest.mark.parametrize("rel", [".build", ".build/lock", ".build/leftover", ".cache", ".cache/keywords.sqlite",
                                 ".cache/site_src.key", "seeds", "metadata", "site_src", "site", "dist",
                                 "published-pages.txt"])
def test_a_link_at_a_working_path_is_refused_before_anything_is_read(make_project, tmp_path, rel):
    root = make_project()
    link_to_outside(root, rel, tmp_path / "outside")
    with pytest.raises(InputError) as error:
        check_corpus(root)
    assert [str(p) for p in error.value.problems] == [f"{rel}: {LINK}"]


def test_the_build_refuses_a_linked_work_folder_and_leaves_its_target_alone(make_project, tmp_path):
    root = make_project()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n")
    (root / ".build").symlink_to(outside)
    before = snapshot(root), snapshot(outside)
    result = run_build(root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f".build: {LINK}\n1 problem found; nothing was written.\n"
    assert (snapshot(root), snapshot(outside)) == before


def test_check_does_not_read_a_linked_published_pages_list(make_project, tmp_path):
    root = make_project()
    (tmp_path / "secret.txt").write_text("articles/secret.md\n")
    (root / "published-pages.txt").symlink_to(tmp_path / "secret.txt")
    result = run_build(root, "check")
    assert result.returncode == 1
    assert "secret" not in result.stderr
    assert result.stderr == f"published-pages.txt: {LINK}\n1 problem found; nothing was written.\n"


def test_gitignore_covers_the_link_forms_of_the_build_folders(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_bytes((Path(__file__).resolve().parents[1] / ".gitignore").read_bytes())
    names = [".build", ".cache", "site", "dist"]
    for name in names:
        (tmp_path / name).symlink_to("/tmp")
    ignored = subprocess.run(["git", "check-ignore", *names], cwd=tmp_path, capture_output=True, text=True)
    assert ignored.stdout.split() == names


@contextlib.contextmanager
def read_only(path: Path):
    """path cannot be renamed or changed for the block: immutable for root, no write permission for others."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)


def outputs(root: Path) -> dict:
    return {name: snapshot(root / name) if (root / name).is_dir() else (root / name).read_bytes() for name in OUTPUTS}


def built_then_changed(make_project) -> tuple[Path, dict]:
    root = make_project()
    assert run_build(root).returncode == 0
    for rel, text in CHANGED.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root, outputs(root)


def test_a_read_only_site_rolls_back_all_three_outputs(make_project):
    root, before = built_then_changed(make_project)
    with read_only(root / "site"):
        result = run_build(root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("cannot put the new site (")
    assert result.stderr.endswith(" in place; kept the previous site_src/, site/ and published-pages.txt\n")
    assert outputs(root) == before
    assert sorted(p.name for p in (root / ".build").iterdir()) == ["lock"]
    assert run_build(root).returncode == 0  # and once site/ is writable again, the build goes through


def ignore_file_size_signal_and_limit_files(size: int):
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG, as a full disk fails with ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def test_a_disk_that_fills_while_the_build_writes_gives_one_line_and_the_old_site(make_project):
    root, before = built_then_changed(make_project)
    (root / ".cache" / "site.key").unlink()  # MkDocs builds the whole site again: the theme's large files too
    before = outputs(root)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "build.py"], cwd=root, env=env, capture_output=True, text=True,
                            preexec_fn=ignore_file_size_signal_and_limit_files(100_000), timeout=300)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("cannot write ") and "Traceback" not in result.stderr
    assert result.stderr.endswith("(File too large); the previous site is untouched\n")
    assert outputs(root) == before
