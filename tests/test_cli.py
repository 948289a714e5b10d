"""The command line: a build that works, and one that lists every problem and writes nothing."""
from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURE_FILES


def run_build(root, *args):
    return subprocess.run([sys.executable, str(root / "build.py"), *args], capture_output=True, text=True, cwd=root)


def test_build_writes_site_src_and_site(make_project):
    root = make_project()
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Built 2 articles into site_src/ and site/.\n"
    assert (root / "site" / "articles" / "troops-gather-at-the-border" / "index.html").exists()
    assert (root / "site_src" / "articles" / "treaty-talks-resume.md").exists()


def test_bad_input_lists_every_problem_exits_1_and_keeps_the_previous_site(make_project):
    root = make_project()
    assert run_build(root).returncode == 0
    before = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    (root / "metadata" / "002_beta.yml").write_text(FIXTURE_FILES["metadata/002_beta.yml"].replace("gazette", "gazete").replace("2022-10", "2022-13"))
    result = run_build(root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "metadata/002_beta.yml:2: outlet: 'gazete' is not in metadata/outlets.yml (did you mean 'gazette'?)\n"
        "metadata/002_beta.yml:3: date: '2022-13' is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY\n"
        "2 problems found; nothing was written.\n"
    )
    assert {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()} == before


def test_a_pagefind_failure_is_named_as_pagefind_and_keeps_the_previous_site(make_project):
    root = make_project()
    assert run_build(root).returncode == 0
    before = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    (root / "metadata" / "002_beta.yml").write_text(FIXTURE_FILES["metadata/002_beta.yml"].replace("Treaty", "The treaty"))
    (root / "pagefind.yml").write_text("not: [valid\n")  # Pagefind reads its configuration from the working folder
    result = run_build(root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("Pagefind failed; the previous site is untouched:\nError loading Pagefind config:")
    assert {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()} == before
