"""Progress bars for long stages: shown in a terminal, silent in CI, in pipes and under --quiet."""
from __future__ import annotations

import os
import sys
from typing import Any


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


def page_progress_plugin(quiet: bool):
    """A MkDocs plugin that advances a bar per page built, or None when no bar is wanted."""
    if quiet or not is_interactive():
        return None
    from mkdocs.plugins import BasePlugin
    from tqdm import tqdm

    class PageProgress(BasePlugin):
        bar: Any = None

        def on_files(self, files, config):
            pages = sum(1 for f in files if f.is_documentation_page())
            self.bar = tqdm(total=pages, desc="MkDocs", unit="page", leave=False, file=sys.stderr, dynamic_ncols=True)
            return files

        def on_post_page(self, output, page, config):
            self.bar.update()
            return output

        def on_post_build(self, config):
            self.bar.close()

        def on_build_error(self, error):
            if self.bar is not None:
                self.bar.close()

    return PageProgress()
