"""The archive's own citation, read from CITATION.cff (Citation File Format 1.2.0)."""
from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .intake.fields import is_http_url
from .model import InputError, Problem

CITATION_FILE = "CITATION.cff"
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")  # the release tags vX.Y.Z (docs/releasing.md)
REQUIRED = ("cff-version", "message", "title", "version", "date-released", "license", "repository-code", "authors")


@dataclass(frozen=True)
class Citation:
    """What a reader needs to cite the archive as a whole."""

    title: str
    version: str  # X.Y.Z, as pyproject.toml's
    date_released: str  # YYYY-MM-DD
    license: str  # an SPDX identifier
    repository_code: str
    authors: tuple[str, ...]  # each person "Given Family", or an entity's name
    message: str
    source: bytes = dataclasses.field(default=b"", repr=False, compare=False)  # the file's bytes, for the code key


def author_name(author) -> str | None:
    """One author's name as a citation shows it; None if the entry names nobody."""
    if not isinstance(author, dict):
        return None
    if isinstance(author.get("name"), str):
        return author["name"].strip() or None
    parts = [author.get(key) for key in ("given-names", "name-particle", "family-names")]
    name = " ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    return name or None


def read_citation(root: Path) -> Citation:
    """root/CITATION.cff as a Citation; raise InputError naming each missing or malformed field."""
    path = root / CITATION_FILE
    try:
        raw = path.read_bytes()
        source = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text reads it
        node, data = yaml.compose(source, Loader=yaml.SafeLoader), yaml.safe_load(source)
    except FileNotFoundError:
        raise InputError([Problem(CITATION_FILE, 0, "missing: the archive's citation (title, version, date-released, "
                                                    "license, repository-code, authors); see docs/releasing.md")]) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError([Problem(CITATION_FILE, 0, f"cannot be read: {error}")]) from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise InputError([Problem(CITATION_FILE, 1, "expected a mapping of Citation File Format fields")])
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    problems = [Problem(CITATION_FILE, 1, f"{key}: missing: a citation needs it") for key in REQUIRED if key not in data]

    def text(key: str, expected: str, valid: Callable[[str], object] | None = None) -> str:
        value = data.get(key)
        if isinstance(value, datetime.date):
            value = value.isoformat()  # an unquoted date
        if key in data and (not isinstance(value, str) or not value.strip() or (valid and not valid(value))):
            problems.append(Problem(CITATION_FILE, lines[key], f"{key}: expected {expected}"))
            return ""
        return value.strip() if isinstance(value, str) else ""

    if "cff-version" in data and str(data["cff-version"]) != "1.2.0":
        problems.append(Problem(CITATION_FILE, lines["cff-version"], "cff-version: expected 1.2.0"))
    citation = Citation(
        title=text("title", "the archive's title as text"),
        version=text("version", "a semantic version X.Y.Z, as pyproject.toml's", SEMVER.fullmatch),
        date_released=text("date-released", "the release's date, YYYY-MM-DD", re.compile(r"\d{4}-\d{2}-\d{2}").fullmatch),
        license=text("license", "an SPDX licence identifier, like GPL-3.0-or-later"),
        repository_code=text("repository-code", "the repository's http(s) address", is_http_url),
        authors=tuple(name for name in map(author_name, data.get("authors") or []) if name),
        message=text("message", "a sentence asking to cite the archive"),
        source=raw,
    )
    if "authors" in data and (not isinstance(data["authors"], list) or not citation.authors
                              or len(citation.authors) != len(data["authors"])):
        problems.append(Problem(CITATION_FILE, lines["authors"], "authors: expected a list of people (given-names, "
                                                                 "family-names) or entities (name)"))
    if problems:
        raise InputError(problems)
    return citation
