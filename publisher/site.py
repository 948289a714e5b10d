"""Run MkDocs on a rendered site_src/ folder."""
from __future__ import annotations

import logging
import os
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2 is noise here


class MkDocsError(Exception):
    """MkDocs refused the site; the message is MkDocs' own."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def build_with_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = True, **overrides) -> None:
    """Build docs_dir into site_dir with the project's mkdocs.yml; raise MkDocsError on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=strict, **overrides)
        build(config)
    except MkDocsException as error:
        details = "\n".join(collect.messages)
        raise MkDocsError(f"{details}\n{error}".strip()) from None
    finally:
        logger.removeHandler(collect)
