"""MkDocs hook for `build.py serve`: render site_src/ again from the inputs before each rebuild (publisher/preview.py).

MkDocs loads a hook as a file, not as part of the package, hence the absolute imports; it loads it
anew for every rebuild, so the preview's memory is kept in publisher.preview.
"""
from __future__ import annotations

# `serve` names this hook in place of mkdocs.yml's hooks: take the navigation hook's events along.
from publisher.nav_hook import on_page_context, on_post_page  # noqa: F401
from publisher.preview import on_files, on_pre_build, on_serve  # noqa: F401
