"""One fingerprint of the code that shapes the output, for every cache and memo to be keyed by.

The code is what runs, found from this package's own folder (never the project's, which a test
or a copy may hold apart): every module of publisher/, every file of templates/ (page templates
and the theme), build.py, the lock file's content and the installed versions of the tools that
shape the output. A cache made under another fingerprint is never used.
"""
from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CODE_ROOT = Path(__file__).resolve().parents[2]
CODE_PARTS = ("build.py", "publisher", "templates")
LOCK_FILES = ("requirements.site.lock.txt",)  # the build's own lock: a test tool's upgrade changes no page
# Their upgrades change the output; the lock names them too, but an environment may hold others.
TOOLS = ("jinja2", "lemminflect", "markdown", "mkdocs", "mkdocs-material", "pagefind-bin", "pymdown-extensions", "pyyaml", "yake")

# The last fingerprint per code folder, with the listing (path, size, modification time) it was
# taken from: a process hashes the code once, and again only when a file of it is edited (the
# preview runs for hours while templates are edited).
_taken: dict[Path, tuple[tuple[tuple[str, int, int], ...], str]] = {}


def code_fingerprint(root: Path = CODE_ROOT) -> str:
    """Return the fingerprint of the code under root (this package's folder by default)."""
    files = code_files(root)
    listing = tuple(_stat_line(root, path) for path in files)
    last = _taken.get(root)
    if last is not None and last[0] == listing:
        return last[1]
    fingerprint = digest_code(root, files)
    _taken[root] = (listing, fingerprint)
    return fingerprint


def code_files(root: Path) -> list[Path]:
    """Return every file of the code under root, in a fixed order: build.py, modules, templates, the lock."""
    files = []
    for part in CODE_PARTS:
        path = root / part
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                                and (part != "publisher" or p.suffix == ".py")))
    files.extend(root / name for name in LOCK_FILES if (root / name).is_file())
    return files


def digest_code(root: Path, files: list[Path]) -> str:
    """Hash each file's path and bytes, and the tools' installed versions."""
    digest = hashlib.sha256(b"code fingerprint 1")
    for path in files:
        digest.update(f"\0{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    digest.update(f"\0{' '.join(tool_versions())}".encode())
    return digest.hexdigest()


def tool_versions() -> list[str]:
    """Return 'name==version' for each tool that shapes the output ('name==' when not installed)."""
    return [f"{name}=={_installed(name)}" for name in TOOLS]


def _installed(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def _stat_line(root: Path, path: Path) -> tuple[str, int, int]:
    stat = os.stat(path)
    return (path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns)
