"""MkDocs hook for `build.py serve`: render site_src/ again from the inputs before each rebuild (publisher/website/preview.py).

MkDocs loads a hook as a file, not as part of the package, hence the absolute imports; it loads it
anew for every rebuild, so the preview's memory is kept in publisher.website.preview.
"""
from __future__ import annotations

# `serve` names this hook in place of mkdocs.yml's hooks: take the navigation hook's events along.
from publisher.website.nav_hook import on_page_context, on_post_page  # noqa: F401
from publisher.website.preview import on_files, on_pre_build, on_serve  # noqa: F401
from publisher.website.convert_pages import ConvertInWorkers

# Pages are converted in worker processes, as in `build.py` (publisher/website/convert_pages.py).
_convert = ConvertInWorkers()
on_nav, on_pre_page, on_post_build, on_build_error = _convert.on_nav, _convert.on_pre_page, _convert.on_post_build, _convert.on_build_error
