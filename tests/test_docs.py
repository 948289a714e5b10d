"""The documentation: every relative link resolves, and README stays short and true to CI."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO

DOCUMENTS = sorted([REPO / "README.md", REPO / "CONTRIBUTING.md", REPO / "DEVELOPING.md", *(REPO / "docs").glob("*.md")])
# [text](target) and [text]: target, outside code spans and fenced blocks.
INLINE_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]\n]+\]:\s*(\S+)", re.M)
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
QUICK_START = ["bash setup.sh", ".venv/bin/python -m pytest"]


def link_targets(text: str) -> list[str]:
    """Return every link target of a Markdown text, code left out."""
    prose = CODE_SPAN.sub("", FENCE.sub("", text))
    return INLINE_LINK.findall(prose) + REFERENCE_LINK.findall(prose)


def is_relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) and not target.startswith("//")


def heading_anchors(text: str) -> set[str]:
    """Return the anchors MkDocs and GitHub give the headings of a Markdown text."""
    headings = re.findall(r"^#+\s+(.*?)\s*$", FENCE.sub("", text), re.M)
    return {re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", h.lower())).strip("-") for h in headings}


def test_the_documents_exist():
    names = {path.name for path in DOCUMENTS}
    assert {"README.md", "CONTRIBUTING.md", "DEVELOPING.md"} <= names
    assert len(DOCUMENTS) > 5, "docs/ holds what README no longer says"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves(document: Path):
    broken = []
    for target in link_targets(document.read_text()):
        if not is_relative(target):
            continue
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in heading_anchors(resolved.read_text()):
            broken.append(f"{target}: no heading #{anchor}")
    assert broken == []


def test_a_broken_link_is_found(tmp_path):
    text = "[a](docs/nowhere.md) and `[b](ignored.md)` and [c](https://example.org/x)\n```\n[d](fenced.md)\n```\n"
    assert link_targets(text) == ["docs/nowhere.md", "https://example.org/x"]
    assert [t for t in link_targets(text) if is_relative(t)] == ["docs/nowhere.md"]


def test_readme_is_short():
    lines = (REPO / "README.md").read_text().splitlines()
    assert len(lines) <= 250, f"README.md has {len(lines)} lines: move detail into docs/"


def test_readme_quick_start_is_the_two_commands_ci_runs():
    text = (REPO / "README.md").read_text()
    section = text.split("## Quick start", 1)[1]
    first_block = re.search(r"```(?:sh|bash)?\n(.*?)```", section, re.S)
    assert first_block is not None
    assert [line.strip() for line in first_block.group(1).splitlines() if line.strip()] == QUICK_START
    ci = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    assert all(command in ci for command in QUICK_START)
    assert ci.index(QUICK_START[0]) < ci.index(QUICK_START[1])
