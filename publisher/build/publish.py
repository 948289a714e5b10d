"""The publish transaction that build and export share: lock, work folder, outputs swapped in together.

Inside `open_transaction` the caller writes its new outputs into the transaction's work folder;
`commit` then swaps them all into place, or, if any swap fails, swaps back those already done, so
site_src/, site/ and published-pages.txt (or the export's zip) are all the old ones or all the new.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..model import InputError
from ..settings import WORK_DIR, Settings, find_linked_paths
from . import incremental
from .lock import hold_build_lock
from .write import defer_interrupts, exchange_paths, make_work_dir, remove_leftovers, remove_quietly


class PublishError(Exception):
    """A new output could not be written or put in place; the previous outputs are all kept."""


@dataclass(frozen=True)
class Swap:
    """A new output in the work folder and the path it replaces."""

    new: Path
    target: Path


@dataclass(frozen=True)
class Record:
    """What incremental notes about an output once it is in place: the folder, its record file, its key."""

    folder: Path
    record: Path
    key: str


@dataclass(frozen=True)
class Transaction:
    """One publish under the build lock: a work folder for the new outputs, then commit."""

    settings: Settings
    work: Path

    def make_folder(self, name: str) -> Path:
        """An empty folder of this transaction's own."""
        folder = self.work / name
        folder.mkdir()
        return folder

    def stage_file(self, target: Path, text: str) -> list[Swap]:
        """target's new text written in the work folder, as the swap that puts it in place; none if target holds it already."""
        if target.exists() and target.read_text(encoding="utf-8") == text:
            return []
        staged = self.work / target.name
        staged.write_text(text, encoding="utf-8")
        return [Swap(staged, target)]

    def commit(self, swaps: list[Swap], records: tuple[Record, ...] = ()) -> dict[Path, Path]:
        """Swap every new output in, or none; then note the records. Interrupts wait until it is done.

        Return where each replaced output now is, in the work folder, by its target.
        """
        with defer_interrupts():
            for record in records:
                incremental.forget(record.record)
            replaced = swap_all(swaps, self.work)
        for record in records:
            incremental.record_current(record.folder, record.record, record.key)
        return replaced

    def take(self, kept: Path, name: str) -> Path | None:
        """The folder kept at kept (keep), moved into the work folder as name; None when there is none to take."""
        try:
            if not kept.is_dir() or kept.is_symlink():
                if os.path.lexists(kept):
                    os.rename(kept, self.work / f"{kept.name}.stale")  # removed with the work folder
                return None
            taken = self.work / name
            os.rename(kept, taken)
        except OSError:  # a convenience: the build goes on without it
            return None
        return taken

    def keep(self, old: Path | None, kept: Path) -> None:
        """Keep a replaced output folder at kept for a later build (take), instead of removing it with the work folder."""
        try:
            if os.path.lexists(kept):
                os.rename(kept, self.work / f"{kept.name}.stale")
            if old is not None and old.is_dir() and not old.is_symlink():
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.rename(old, kept)
        except OSError:  # the build is done; the next one makes its folders anew
            pass


def swap_all(swaps: list[Swap], work: Path) -> dict[Path, Path]:
    """Put each new output in place; if one fails, put back the ones already swapped, then raise.

    Return where each replaced output now is, by its target.
    """
    done: list[tuple[Swap, Path | None]] = []
    try:
        for swap in swaps:
            done.append((swap, put_in_place(swap.new, swap.target, work)))
    except OSError as error:
        try:
            for swap, old in reversed(done):
                put_back(swap.target, old, work)
        except OSError as again:
            raise PublishError(f"cannot put the new {describe(error)} in place, nor put back the old {describe(again)}: "
                               f"{name_all(swaps)} may mix two builds; build again") from None
        raise PublishError(f"cannot put the new {describe(error)} in place; kept the previous {name_all(swaps)}") from None
    return {swap.target: old for swap, old in done if old is not None}


def put_in_place(new: Path, target: Path, work: Path) -> Path | None:
    """Move new to target; return where the old target now is (None when there was none)."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return None
    if exchange_paths(new, target):
        return new  # new now holds the old output
    # Without an atomic exchange target is missing between these two renames; the old output
    # waits in the work folder.
    old = work / f"{new.name}.old"
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)
        raise
    return old


def put_back(target: Path, old: Path | None, work: Path) -> None:
    """Undo put_in_place: the old output at target again (or no target, if there was none)."""
    if old is None:
        os.rename(target, work / f"{target.name}.undone")
    elif not exchange_paths(old, target):
        os.rename(target, work / f"{target.name}.undone")
        os.rename(old, target)


def name_all(swaps: list[Swap]) -> str:
    """'site_src/, site/ and published-pages.txt': the outputs a commit swaps."""
    names = [swap.target.name + ("/" if swap.new.is_dir() or swap.target.is_dir() else "") for swap in swaps]
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


def describe(error: OSError) -> str:
    """`name: reason` for an OSError, naming the file by its last part (the project's paths are short)."""
    name = Path(error.filename).name if error.filename else "a file"
    return f"{name} ({error.strerror or error})"


@contextlib.contextmanager
def open_transaction(settings: Settings):
    """Hold the build lock and a work folder for the block; an OSError becomes one PublishError line."""
    links = find_linked_paths(settings.root)
    if links:  # a caller validates first; this guard is for the paths the transaction itself writes
        raise InputError(links)
    with hold_build_lock(settings.path(WORK_DIR)):
        remove_leftovers(settings.root)
        work = make_work_dir(settings.root, "publish-")
        try:
            yield Transaction(settings, work)
        except OSError as error:
            raise PublishError(f"cannot write {describe(error)}; the previous site is untouched") from None
        finally:
            remove_quietly(work)
