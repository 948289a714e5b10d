"""MkDocs hook: a page outside the navigation (an article, a topic...) lights up its section's tab.

Articles, single topics, outlets, keywords and further listing pages are left out of `nav:` (see
mkdocs.yml), so the theme marks no tab and its sidebar is empty there. This marks the section whose
folder holds the page as active while that page renders. MkDocs loads a hook as a file, by path.
"""
from __future__ import annotations

_lit: list = []


def find_section(nav, url: str):
    """The top-level navigation page whose folder holds url ("topics/x/" -> Topics), or None."""
    folder = url.split("/", 1)[0]
    for item in nav.items:
        item_url = getattr(item, "url", None) or ""
        # Offline, addresses name files: timeline/page/2.html belongs to timeline.html.
        if folder and item.is_page and item_url.split("/", 1)[0].removesuffix(".html") == folder:
            return item
    return None


def on_page_context(context, page, config, nav):
    if not page.active or page.parent is not None or any(item is page for item in nav.items):
        return context
    section = find_section(nav, page.url)
    if section is not None:
        section.active = True
        _lit.append(section)
    return context


def on_post_page(output, page, config):
    while _lit:
        _lit.pop().active = False
    return output
