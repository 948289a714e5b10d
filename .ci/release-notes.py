"""Print `version=X.Y.Z` for $GITHUB_OUTPUT and write the release notes (CHANGELOG.md's entry) to the path given.

Stops with a message if pyproject.toml, CITATION.cff and CHANGELOG.md do not name the same version.
    python .ci/release-notes.py dist/release-notes.md
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOWNLOAD_NOTE = ("The whole site for reading from disk: unzip it and open index.html. "
                 "Check the download with: sha256sum -c *.sha256")


def changelog_entry(changelog: str, version: str) -> str | None:
    """The text under `## [version]` of a Keep a Changelog file, up to the next `## `; None if absent."""
    match = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    return match.group(1).strip() if match else None


def main(argv: list[str]) -> int:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    cited = str(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["version"])
    entry = changelog_entry((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    if cited != version or entry is None:
        print(f"release-notes: pyproject.toml says {version}, CITATION.cff {cited}, and CHANGELOG.md "
              f"{'has' if entry is not None else 'has no'} a `## [{version}]` entry: make the three agree "
              "(docs/releasing.md)", file=sys.stderr)
        return 1
    Path(argv[0]).write_text(f"{entry}\n\n{DOWNLOAD_NOTE}\n", encoding="utf-8")
    print(f"version={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
