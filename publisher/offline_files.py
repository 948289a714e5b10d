"""What file:// needs changed in the hosted site's files: links that name a folder, links from the root,
no feed links or API requests, and Pagefind's index as classic scripts (export.py packs the result)."""
from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlsplit

from .search.index import PagefindError


class ExportError(PagefindError):
    """The hosted site cannot be made into the offline copy (a Pagefind this code does not know, a zip over 4 GB)."""


_LINK = re.compile(r'(\s(?:href|src|data-pagefind)=")([^"]*)(")')


_REFRESH = re.compile(r'(<meta http-equiv="refresh" content="\d+; url=)([^"]*)(")')


# The same rule as file_link, as two substitutions with no Python call per link: a page has
# hundreds of links, and this is most of an export's time. A relative link (no scheme, not from
# the root, not a fragment) whose path ends in "/" gets "index.html"; one ending in "." or "..",
# "/index.html". tests/test_export.py checks both ways agree on every link of a built site.
_RELATIVE = r'(?![a-zA-Z][a-zA-Z0-9+.-]*:|[/#"])'


_ATTRIBUTE = r'="(?:(?<=\shref=")|(?<=\ssrc="))'  # starts with a literal, which the regex engine finds fast


_FOLDER_LINK = re.compile(_ATTRIBUTE + r'(' + _RELATIVE + r'[^"?#]*/)(?=["?#])')


_DOT_LINK = re.compile(_ATTRIBUTE + r'(' + _RELATIVE + r'(?:[^"?#]*/)?\.\.?)(?=["?#])')


_FOLDER_REFRESH = re.compile(r'(<meta http-equiv="refresh" content="\d+; url=' + _RELATIVE + r'[^"?#]*/)(?=["?#])')


_FEED_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml"[^>]*>')


_SOURCE_COMPONENT = ' data-md-component="source"'


_SEARCH_BOX = ' data-pagefind="'


def file_link(url: str) -> str:
    """A relative link that names a folder, made to name the folder's index.html; any other link as it is."""
    if not url or url.startswith(("#", "/")) or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        return url
    parts = urlsplit(url)
    path = parts.path
    if path.endswith("/"):
        path += "index.html"
    elif path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/index.html"
    else:
        return url
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def from_root(url: str, prefix: str) -> str:
    """A link written from the site's root path (prefix, "/news-corpus-archive/") made relative to the root."""
    if url.startswith(prefix) and not url.startswith("//"):
        return "./" + url[len(prefix):]
    return url


def offline_page(text: str, root_prefix: str | None = None) -> str:
    """One HTML page of site/ as the offline copy holds it.

    root_prefix: for a page whose links start at the site's root path (the 404 page, which lies at
    the root): those links are made relative.
    """
    if root_prefix is not None:
        text = root_page(text, root_prefix)
    else:
        text = _FOLDER_LINK.sub(r'="\1index.html', text)
        text = _DOT_LINK.sub(r'="\1/index.html', text)
        text = _FOLDER_REFRESH.sub(r"\1index.html", text)
    text = _FEED_LINK.sub("", text)
    text = text.replace(_SOURCE_COMPONENT, "")
    # The search box loads the index as scripts (search.js), not with fetch().
    return text.replace(_SEARCH_BOX, " data-pagefind-scripts" + _SEARCH_BOX)


def root_page(text: str, root_prefix: str) -> str:
    """The links of a page at the root written from the site's root path, made relative, then as file_link makes them."""
    def link(match: re.Match) -> str:
        url = from_root(match.group(2), root_prefix)
        if "data-pagefind" not in match.group(1):  # the index's folder, which search.js reads files of
            url = file_link(url)
        return f"{match.group(1)}{url}{match.group(3)}"

    text = text.replace(f'"{root_prefix}"', '"./"')  # Material's scope for stored settings and its base, in scripts
    return _REFRESH.sub(link, _LINK.sub(link, text))


# pagefind.js (an ES module) made a classic script: these are the only places it is a module or
# fetches. Each must be found exactly as often as said, or the export stops: another Pagefind
# version needs this looked at again.
PAGEFIND_SCRIPT_EDITS = (
    ("import.meta.url", "undefined", 4),
    ("fetch(queued.input)", "window.archivePagefindFetch(queued.input)", 1),
    ("export{createInstance,debouncedSearch,destroy,filters,init,mergeIndex,options,preload,search};",
     "window.archivePagefind={createInstance,debouncedSearch,destroy,filters,init,mergeIndex,options,preload,search};", 1),
)


def classic_pagefind(script: str, path: str) -> str:
    """Pagefind's pagefind.js as a classic script: it sets window.archivePagefind, and fetches through the box."""
    for old, new, count in PAGEFIND_SCRIPT_EDITS:
        found = script.count(old)
        if found != count:
            raise ExportError(f"{path}: expected {old!r} {count} time(s), found it {found}: "
                              "this Pagefind is not the one the offline copy was made for (publisher/offline_files.py)")
        script = script.replace(old, new)
    return f"(function () {{\n{script}\n}}());\n"


def wrapped_file(rel: str, data: bytes) -> bytes:
    """An index file as a classic script that hands its bytes, under its path below pagefind/, to the search box."""
    encoded = base64.b64encode(data).decode("ascii")
    return f"archivePagefindFile({json.dumps(rel)},\"{encoded}\");\n".encode("ascii")
