"""The GitHub Actions workflows: valid, pinned, and running the commands README documents."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w.-]+)*@[0-9a-f]{40}$")


def validate(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True)


def steps(name: str) -> list[dict]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_lines(name: str) -> list[str]:
    return [line.strip() for step in steps(name) if "run" in step for line in step["run"].splitlines() if line.strip()]


def readme_commands() -> set[str]:
    """Every command README shows: lines of its code blocks and its `inline code`."""
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", text, re.S)
    return {line.strip() for block in blocks for line in block.splitlines() if line.strip()} | set(re.findall(r"`([^`\n]+)`", text))


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_workflow_is_valid_against_the_github_workflow_schema(name):
    result = validate(WORKFLOWS / name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "pull-request.yml").read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    assert validate(broken).returncode == 1


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_every_action_is_pinned_to_a_full_commit(name):
    uses = [step["uses"] for step in steps(name) if "uses" in step]
    assert uses
    assert [u for u in uses if not PINNED.match(u)] == []


def test_pull_requests_run_check_the_tests_and_a_strict_build_as_readme_documents():
    lines = run_lines("pull-request.yml")
    documented = readme_commands()
    for command in ("bash setup.sh", ".venv/bin/python build.py check", ".venv/bin/python -m pytest", ".venv/bin/python build.py"):
        assert command in lines
        assert command in documented or command.replace(".venv/bin/", "") in documented
    assert lines.index("bash setup.sh") < lines.index(".venv/bin/python build.py check") < lines.index(".venv/bin/python -m pytest")
    assert "strict: true" in (REPO / "mkdocs.yml").read_text()  # `python build.py` builds strictly
    ci = (REPO / ".ci" / "run").read_text()
    assert "bash setup.sh" in ci and ".venv/bin/python -m pytest" in ci
    for linter in (".venv/bin/ruff check .", ".venv/bin/mypy"):
        assert linter in lines and linter in ci.splitlines()


def test_macos_and_windows_run_check_the_build_and_the_tests_that_need_no_browser():
    workflow = yaml.safe_load((WORKFLOWS / "pull-request.yml").read_text())
    job = workflow["jobs"]["portable"]
    assert sorted(job["strategy"]["matrix"]["os"]) == ["macos-latest", "windows-latest"]
    assert job["runs-on"] == "${{ matrix.os }}"
    runs = [step["run"].strip() for step in job["steps"] if "run" in step]
    assert runs[-3:] == ["$PYTHON build.py check", "$PYTHON build.py", '$PYTHON -m pytest -m "not browser"']
    setups = {step["if"]: step for step in job["steps"] if "if" in step}
    assert setups["runner.os == 'macOS'"]["env"] == {"SETUP_BROWSER": "skip"}
    assert "bash setup.sh" in setups["runner.os == 'macOS'"]["run"]
    assert "--require-hashes -r requirements.lock.txt" in setups["runner.os == 'Windows'"]["run"]


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_the_keyword_cache_is_kept_between_runs_and_a_settings_or_version_change_misses(name):
    caches = [step["with"] for step in steps(name) if step.get("uses", "").startswith("actions/cache@")]
    assert caches and all(cache["path"] == ".cache/keywords.sqlite" for cache in caches)
    for cache in caches:
        settings = cache["restore-keys"]
        assert "hashFiles('publisher/keyword*.py', 'requirements.lock.txt')" in settings  # YAKE_SETTINGS, the versions
        assert cache["key"].startswith(settings) and "seeds/**" in cache["key"]  # same settings: the last cache, added to


def test_publishing_builds_from_main_deploys_pages_and_attaches_the_offline_export():
    workflow = yaml.safe_load((WORKFLOWS / "publish.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    lines = run_lines("publish.yml")
    assert (lines.index("bash setup.sh") < lines.index(".venv/bin/python build.py check --publishing")
            < lines.index(".venv/bin/python build.py") < lines.index(".venv/bin/python build.py export"))
    uploads = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps("publish.yml") if "uses" in step}
    assert uploads["actions/upload-pages-artifact"]["path"] == "site"
    assert uploads["actions/upload-artifact"]["path"].split() == ["dist/*-offline.zip", "dist/*-offline.zip.sha256"]
    assert "actions/deploy-pages" in uploads
    assert any('SOURCE_DATE_EPOCH' in line for line in lines)


def test_publishing_takes_the_addresses_from_pages_and_the_repository_and_installs_no_browser():
    workflow = yaml.safe_load((WORKFLOWS / "publish.yml").read_text())
    build = workflow["jobs"]["build"]["steps"]
    pages = next(step for step in build if step.get("uses", "").startswith("actions/configure-pages@"))
    addresses = next(step for step in build if "SITE_URL=" in step.get("run", ""))
    assert addresses["env"]["PAGES_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    assert 'echo "REPO_URL=$REPOSITORY_URL" >> "$GITHUB_ENV"' in addresses["run"]
    setup = next(step for step in build if step.get("run") == "bash setup.sh")
    assert setup["env"] == {"SETUP_BROWSER": "skip"}
    installed = " ".join(step["run"] for step in build if "apt-get install" in step.get("run", ""))
    assert "chromium" not in installed and "npm" not in installed


def test_each_publish_attaches_the_offline_zip_and_its_sha256_to_the_latest_release():
    workflow = yaml.safe_load((WORKFLOWS / "publish.yml").read_text())
    release = workflow["jobs"]["release"]
    assert release["needs"] == "deploy" and release["permissions"] == {"contents": "write"}
    download = next(step for step in release["steps"] if step.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"] == {"name": "offline-export", "path": "dist"}
    script = " ".join(step.get("run", "") for step in release["steps"])
    assert "sha256sum -c -- *.sha256" in script
    assert re.search(r'gh release create "[^"]+" \./\*-offline\.zip \./\*-offline\.zip\.sha256 .*--latest', script.replace("\\\n", " "), re.S)


def test_the_pull_request_template_holds_the_reviewers_checklist_of_contributing():
    template = (REPO / ".github" / "pull_request_template.md").read_text()
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    checklist = re.findall(r"^- \[ \] (.+)$", template, re.M)
    assert len(checklist) >= 6
    for item in checklist:
        assert f"- [ ] {item}" in contributing


def test_every_job_that_builds_first_refuses_files_committed_under_the_cache_folder():
    for name in ("pull-request.yml", "publish.yml"):
        workflow = yaml.safe_load((WORKFLOWS / name).read_text())
        for job_name, job in workflow["jobs"].items():
            runs = [step.get("run", "").strip() for step in job.get("steps", [])]
            builds = [i for i, run in enumerate(runs) if "build.py" in run]
            if builds:
                guard = runs.index("bash .ci/no-committed-cache")
                assert guard < min(builds), (name, job_name)
                uses = [step.get("uses", "") for step in job["steps"]]
                assert guard < next(i for i, use in enumerate(uses) if use.startswith("actions/cache@")), (name, job_name)
    assert "bash .ci/no-committed-cache" in (REPO / ".ci" / "run").read_text().splitlines()


def test_the_guard_fails_on_a_committed_cache_file_and_passes_without(tmp_path):
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "no-committed-cache").write_bytes((REPO / ".ci" / "no-committed-cache").read_bytes())
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "keywords.memo.json").write_text("{}")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", ".ci"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "ci"], cwd=tmp_path, check=True)
    guard = ["bash", ".ci/no-committed-cache"]
    clean = subprocess.run(guard, cwd=tmp_path, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr  # an untracked cache, as every build leaves, is fine
    subprocess.run([*git, "add", "-f", ".cache/keywords.memo.json"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "forged memo"], cwd=tmp_path, check=True)
    forged = subprocess.run(guard, cwd=tmp_path, capture_output=True, text=True)
    assert forged.returncode == 1
    assert ".cache/keywords.memo.json" in forged.stderr and "git rm -r --cached .cache" in forged.stderr
