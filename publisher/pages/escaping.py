"""Every escaping rule of the pages in one place: text for Markdown and HTML at once, URLs, JSON inside <script>."""
from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup

# Characters that mean something to Markdown, its extensions, or HTML. Written as numeric
# character references they show as themselves and are never read as syntax.
_SPECIAL = set("&<>\"'\\`*_[](){}#+!|~^$\n\r\t")
# A value may start a line of Markdown: there, "1." or "1)" starts a list, "-" a list or a rule,
# "=" and "-" underline a heading. Its first character is then written as a reference too.
_LINE_START = re.compile(r"\d+[.)]|[-=]")
_ESCAPES = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})


def escape_text(value) -> Markup:
    """Make untrusted text safe in Markdown and in HTML alike (Markup passes through)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)):  # numbers we computed (counts, chart coordinates)
        return Markup(str(value))
    text = str(value)
    if not text:
        return Markup("")
    head, rest = (f"&#{ord(text[0])};", text[1:]) if _LINE_START.match(text) else ("", text)
    return Markup(head + rest.translate(_ESCAPES))


def escape_url(url: str) -> Markup:
    """An http(s) URL (validated earlier) made safe as a Markdown link target and HTML attribute."""
    return Markup(quote(url, safe="/:?#[]@!$&*+,;=%-._~").replace("&", "&amp;"))


# Inside a <script> a "</script" or "<!--" ends or bends the element, and before ES2019 U+2028 and
# U+2029 ended a JavaScript string; written as \u escapes they stay inside the JSON string they are
# in, and a JSON reader gets the same string back.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def escape_script_json(text: str) -> str:
    """JSON text made safe inside a <script> element or a script file."""
    return text.translate(_SCRIPT_ESCAPES)
