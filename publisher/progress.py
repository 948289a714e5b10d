"""Progress bars for long stages: shown in a terminal, silent in CI, in pipes and under --quiet."""
from __future__ import annotations

import os
import sys


def is_interactive() -> bool:
    """A person is watching: stderr is a terminal and no CI system says otherwise."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    return sys.stderr.isatty()


def show_progress(items, label: str, total: int | None = None, quiet: bool = False, unit: str = "article"):
    """Yield items, drawing a progress bar on stderr when a person is watching and quiet is off."""
    if quiet or not is_interactive():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, total=total, unit=unit,
                leave=False, file=sys.stderr, dynamic_ncols=True)
