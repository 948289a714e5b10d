"""MkDocs hook for `build.py serve`: render site_src/ again from the inputs before each rebuild (publisher/website/preview.py).

MkDocs loads a hook as a file, not as part of the package, hence the absolute imports; it loads it
anew for every rebuild, so the preview's memory is kept in publisher.website.preview.
"""
from __future__ import annotations

# `serve` names this hook in place of mkdocs.yml's hooks: take the navigation hook's events along.
from publisher.website import nav_hook
from publisher.website.preview import on_files, on_pre_build, on_serve  # noqa: F401
from publisher.website.convert_pages import ConvertInWorkers

# Pages are converted in worker processes, as in `build.py` (publisher/website/convert_pages.py).
_convert = ConvertInWorkers()
on_nav, on_pre_page, on_post_build, on_build_error = _convert.on_nav, _convert.on_pre_page, _convert.on_post_build, _convert.on_build_error


def on_page_context(context, page, config, nav):
    # The page gets its text back from the spool first (as the plugin's priority does in a build).
    return nav_hook.on_page_context(_convert.on_page_context(context, page, config, nav), page, config, nav)


def on_post_page(output, page, config):
    return _convert.on_post_page(nav_hook.on_post_page(output, page, config), page, config)
