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


def test_publishing_builds_from_main_deploys_pages_and_attaches_the_offline_export():
    workflow = yaml.safe_load((WORKFLOWS / "publish.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    lines = run_lines("publish.yml")
    assert lines.index("bash setup.sh") < lines.index(".venv/bin/python build.py") < lines.index(".venv/bin/python build.py export")
    uploads = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps("publish.yml") if "uses" in step}
    assert uploads["actions/upload-pages-artifact"]["path"] == "site"
    assert uploads["actions/upload-artifact"]["path"] == "dist/*-offline.zip"
    assert "actions/deploy-pages" in uploads
    assert any('SOURCE_DATE_EPOCH' in line for line in lines)


def test_the_pull_request_template_holds_the_reviewers_checklist_of_contributing():
    template = (REPO / ".github" / "pull_request_template.md").read_text()
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    checklist = re.findall(r"^- \[ \] (.+)$", template, re.M)
    assert len(checklist) >= 6
    for item in checklist:
        assert f"- [ ] {item}" in contributing
