"""MkDocs hook: drop the indentation and blank lines the theme's templates leave in every page.

Material's templates indent their markup deeply and leave a blank line for each tag they skip; at
10,000 articles that whitespace alone is megabytes the host stores and every reader downloads.
A run of whitespace that starts a line becomes one line break, which renders the same: HTML shows
any run of spaces and line breaks as one space, except in `pre`, `textarea`, `script` and `style`,
and in `code` and `kbd` (Material's stylesheet keeps their whitespace), which are left byte for
byte. MkDocs loads a hook as a file, by path.
"""
from __future__ import annotations

import re

# The elements whose whitespace is content: kept as they are.
_KEPT = re.compile(r"(<(pre|textarea|script|style|code|kbd)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_LINE_START = re.compile(r"[ \t]*\n\s*")


def compact_html(html: str) -> str:
    """Turn each run of whitespace that holds a line break into one line break, outside kept elements."""
    parts = _KEPT.split(html)
    # split() returns text, then for each match the whole element and its tag name.
    out = []
    for index in range(0, len(parts), 3):
        out.append(_LINE_START.sub("\n", parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def on_post_page(output, page, config):
    return compact_html(output)
