"""Builds are atomic: a killed, refused or failed build leaves the previous site complete; one build at a time."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ALPHA_YML
from publisher.build.lock import hold_build_lock
from test_bad_input import run_build, snapshot

if os.name != "posix":  # these tests stop builds with POSIX signals (SIGKILL); the lock itself is filelock's, tested on Linux
    pytest.skip("POSIX signals", allow_module_level=True)

ALPHA_META = "metadata/001_alpha.yml"
CHANGED = {ALPHA_META: ALPHA_YML.replace("Troops Gather at the Border", "Troops Mass at the Border")}
LOCK_MESSAGE = "another build is running (pid {pid}); wait for it to finish, or stop it, then build again (the lock is .build/lock)"


def start_build(root: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    # A shell's background job inherits SIGINT ignored, and Python then never raises KeyboardInterrupt:
    # the build starts with the default handling a user's terminal gives it.
    return subprocess.Popen([sys.executable, "build.py"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def change_inputs(root: Path, files: dict) -> None:
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")


def outputs(root: Path) -> dict:
    """site_src/ and site/; of Pagefind's index only that it is there, as its chunks differ from run to run."""
    site = snapshot(root / "site")
    assert "pagefind/shards.json" in site
    return {"site_src": snapshot(root / "site_src"),
            "site": {rel: data for rel, data in site.items() if not rel.startswith("pagefind/")}}


def inputs(root: Path) -> dict:
    return {rel: data for rel, data in snapshot(root).items() if rel.startswith(("seeds/", "metadata/", "templates/")) or rel == "mkdocs.yml"}


def work_entries(root: Path) -> list[str]:
    work = root / ".build"
    return sorted(p.name for p in work.iterdir()) if work.exists() else []


def wait_for(condition, process: subprocess.Popen, timeout: float = 120) -> bool:
    """Poll until condition() holds; False if the process ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    raise AssertionError("the build neither reached the point nor ended")


def fresh(root: Path, pattern: str, stale: set[str]) -> bool:
    """A path of the work folder matches, inside a folder this build made (not one a killed build left).

    The build renames and removes its folders while this looks: a folder gone between the listing
    and the look inside it only means "not yet" for this poll.
    """
    try:
        return any(path.relative_to(root / ".build").parts[0] not in stale for path in (root / ".build").glob(pattern))
    except FileNotFoundError:
        return False


# Points of a build at which the tests stop it: while it starts and validates, once it renders
# into the work folder, while MkDocs writes pages, when MkDocs has written its last file (the
# gzipped sitemap; into site.changed/ on an incremental build), and while Pagefind indexes a shard
# (its pages linked into a folder of their own), the last step before site_src/ and site/ are
# swapped in. (The shard list Pagefind's stage ends with lasts milliseconds before the swap: a
# poll missed it.) Every point is reached by a build of the fixture corpus:
# test_killed_build_leaves_the_previous_site_complete checks it.
KILL_POINTS = {
    "starting": lambda root, stale: True,
    "rendered": lambda root, stale: fresh(root, "publish-*/site_src/index.md", stale),
    "mkdocs writing": lambda root, stale: fresh(root, "publish-*/site/articles", stale),
    "mkdocs done": lambda root, stale: fresh(root, "publish-*/site*/sitemap.xml.gz", stale),
    "pagefind indexing": lambda root, stale: fresh(root, "publish-*/shard-*", stale),
}


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory):
    """The outputs of a complete build before and after CHANGED, to compare a killed build with."""
    from conftest import FIXTURE_FILES, write_project

    root = write_project(tmp_path_factory.mktemp("reference") / "project", FIXTURE_FILES)
    assert run_build(root).returncode == 0
    old = outputs(root)
    change_inputs(root, CHANGED)
    assert run_build(root).returncode == 0
    return old, outputs(root)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["SIGKILL", "SIGTERM", "SIGINT"])
def test_killed_build_leaves_the_previous_site_complete(make_project, old_and_new, signum):
    old, new = old_and_new
    root = make_project()
    assert run_build(root).returncode == 0
    assert outputs(root) == old
    change_inputs(root, CHANGED)
    before = inputs(root)
    reached = []
    for name, point in KILL_POINTS.items():
        stale = set(work_entries(root)) if (root / ".build").exists() else set()
        process = start_build(root)
        if wait_for(lambda: point(root, stale), process):
            process.send_signal(signum)
            reached.append(name)
        _, stderr = process.communicate(timeout=120)
        if name != "starting":  # stopped there, before the swap: killed outright, or interrupted and cleaned up
            assert process.returncode == (-signal.SIGKILL if signum == signal.SIGKILL else 130), (name, stderr)
        if signum == signal.SIGKILL and name in ("rendered", "mkdocs writing"):
            assert len(work_entries(root)) > 1, name  # a killed build cannot clean up: the next one must
        assert inputs(root) == before
        now = outputs(root)
        # Each folder is the previous build's or, when the signal came after the swap, the new one's.
        assert now["site_src"] in (old["site_src"], new["site_src"]), name
        assert now["site"] in (old["site"], new["site"]), name
        if process.returncode == 130:
            assert stderr.endswith("Interrupted; site_src/ and site/ each hold a complete build, nothing half-written.\n")
            assert set(work_entries(root)) <= {"lock"}, name  # the interrupted build cleaned up after itself
        if now["site"] == new["site"]:
            break  # this build finished; later points would test nothing new
    assert reached == list(KILL_POINTS)  # the build was stopped at every point, the last right before the swap
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert outputs(root) == new
    assert work_entries(root) == ["lock"]  # whatever a killed build left behind is gone


def test_sigterm_mid_mkdocs_exits_130_and_cleans_up(make_project, old_and_new):
    old, _ = old_and_new
    root = make_project()
    assert run_build(root).returncode == 0
    change_inputs(root, CHANGED)
    process = start_build(root)
    assert wait_for(lambda: KILL_POINTS["mkdocs writing"](root, set()), process)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr == "Interrupted; site_src/ and site/ each hold a complete build, nothing half-written.\n"
    assert outputs(root) == old
    assert work_entries(root) == ["lock"]


def test_build_while_another_holds_the_lock_is_refused(make_project):
    root = make_project()
    with hold_build_lock(root / ".build"):  # the lock a build takes, held here by the test's process
        result = run_build(root)
    assert result.returncode == 1
    assert result.stderr == LOCK_MESSAGE.format(pid=os.getpid()) + "\n"
    assert not (root / "site_src").exists() and not (root / "site").exists()
    assert work_entries(root) == ["lock"]
    assert run_build(root).returncode == 0  # the lock went with its holder


def test_two_builds_at_once_do_not_corrupt_each_other(make_project, old_and_new):
    old, _ = old_and_new
    root = make_project()
    processes = [start_build(root), start_build(root)]
    finished = [p.communicate(timeout=300) for p in processes]
    results = [(p.pid, p.returncode, out, err) for p, (out, err) in zip(processes, finished)]
    built = [r for r in results if r[1] == 0]
    refused = [r for r in results if r[1] != 0]
    assert built, results
    for pid, code, out, err in refused:
        other = next(r[0] for r in results if r[0] != pid)
        assert (code, out, err) == (1, "", LOCK_MESSAGE.format(pid=other) + "\n")
    assert outputs(root) == old
    assert work_entries(root) == ["lock"]


def test_mkdocs_config_error_keeps_the_previous_site(make_project, old_and_new):
    old, _ = old_and_new
    root = make_project()
    assert run_build(root).returncode == 0
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("name: material", "name: no-such-theme"))
    change_inputs(root, CHANGED)
    before = inputs(root)
    result = run_build(root)
    assert result.returncode == 1
    assert result.stderr == (
        "MkDocs failed; the previous site is untouched:\n"
        "ERROR: Config value 'theme': Unrecognised theme name: 'no-such-theme'. The available installed themes are: mkdocs, readthedocs, material\n"
        "Aborted with a configuration error!\n"
    )
    assert outputs(root) == old
    assert inputs(root) == before
    assert work_entries(root) == ["lock"]


def test_broken_link_in_strict_mode_keeps_the_previous_site(make_project, old_and_new):
    old, _ = old_and_new
    root = make_project()
    assert run_build(root).returncode == 0
    template = root / "templates" / "home.md.j2"
    template.write_text(template.read_text() + "\n[A page that is not there](missing.md)\n")
    change_inputs(root, CHANGED)
    result = run_build(root)
    assert result.returncode == 1
    assert result.stderr == (
        "MkDocs failed; the previous site is untouched:\n"
        "WARNING: Doc file 'index.md' contains a link 'missing.md', but the target is not found among documentation files.\n"
        "Aborted with 1 warnings in strict mode!\n"
    )
    assert outputs(root) == old
    assert work_entries(root) == ["lock"]


def test_put_in_place_swaps_in_one_step_and_put_back_undoes_it(tmp_path):
    from publisher.build.publish import put_back, put_in_place
    from publisher.build.write import exchange_paths

    old, new = tmp_path / "site", tmp_path / "work" / "site"
    old.mkdir()
    (old / "page.html").write_text("old")
    new.mkdir(parents=True)
    (new / "page.html").write_text("new")
    assert exchange_paths(tmp_path / "work", tmp_path / "work") is True  # this kernel supports the atomic swap
    kept = put_in_place(new, old, tmp_path / "work")
    assert (old / "page.html").read_text() == "new" and (kept / "page.html").read_text() == "old"
    put_back(old, kept, tmp_path / "work")
    assert (old / "page.html").read_text() == "old"
