"""The only module that writes the site: into a fresh folder first, then swapped into place."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

WORK_DIR = ".build"  # beside site_src/ and site/, so renames stay on one file system


def is_safe_relative(path: str) -> bool:
    """A plain relative path that stays inside its folder."""
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in path and "\x00" not in path


def write_tree(files: dict[str, str | bytes], dest: Path) -> None:
    """Write every file under dest, which must not exist yet."""
    for rel in sorted(files):
        if not is_safe_relative(rel):
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        content = files[rel]
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)


def make_work_dir(root: Path, prefix: str) -> Path:
    work = root / WORK_DIR
    work.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=work))


def replace_dir(new: Path, target: Path) -> None:
    """Put new where target is; the old target is removed only once new is in place."""
    old = None
    if target.exists():
        old = new.parent / (new.name + ".old")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def sync_tree(files: dict[str, str | bytes], dest: Path) -> int:
    """Make dest hold exactly files, rewriting only what changed (for the live preview); return the count changed."""
    changed = 0
    wanted = set()
    for rel in sorted(files):
        if not is_safe_relative(rel):
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        content = files[rel].encode("utf-8") if isinstance(files[rel], str) else files[rel]
        target = dest / rel
        wanted.add(target)
        if not target.exists() or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            changed += 1
    for path in sorted(dest.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            changed += 1
    return changed
