"""Checking one value of a record: text, URL, date, language, slug, id, markers; a FieldError says what is wrong."""
from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from urllib.parse import urlsplit

import regex

from ..model import PartialDate
from .slugs import SLUG_PATTERN, is_slug

DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
MAX_TEXT = {"title": 300, "summary": 600}
DEFAULT_MAX_TEXT = 200
# Refused in one-line text (titles, names, summaries): bidirectional embeddings, overrides and
# isolates reorder the characters around them in a page title or a list of links, and invisible
# characters make two names that look the same differ. Right-to-left text needs none of them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Every other format character (Unicode category Cf: soft hyphen, zero-width space, word joiner,
# byte-order mark, tag characters...) is refused as invisible, except the two joiners where a
# script needs them: ZERO WIDTH NON-JOINER between two letters of a joining script (Persian and
# Arabic words, Indic conjuncts), ZERO WIDTH JOINER between two letters of an Indic script or
# inside an emoji sequence. Which script a character is in is the first word of its Unicode name.
INVISIBLE = frozenset("\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad\u200c\u200d")
ZWNJ, ZWJ = "\u200c", "\u200d"
INDIC_SCRIPTS = frozenset(("DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
                           "MALAYALAM", "SINHALA"))
JOINER_SCRIPTS = {ZWNJ: INDIC_SCRIPTS | {"ARABIC", "SYRIAC"}, ZWJ: INDIC_SCRIPTS}
JOINER_PLACES = {ZWNJ: "between two letters of Arabic-script (Persian), Syriac or Indic words",
                 ZWJ: "between two letters of Indic words, or inside an emoji sequence"}



class FieldError(Exception):
    """A value is wrong; the message says what was found and what is allowed."""


def quote_value(value) -> str:
    """A value as problems quote it: a string in single quotes, anything else as Python shows it."""
    text = repr(value) if not isinstance(value, str) else "'" + value.replace("'", "\\'") + "'"
    return text if len(text) <= 80 else text[:77] + "...'"


def kind_of(value) -> str:
    """What a value is, in words: "text", "a number", "a list"..."""
    names = {str: "text", int: "a number", float: "a number", bool: "true/false",
             list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def did_you_mean(value, allowed) -> str:
    """A hint naming the closest allowed value, or '' when none is close."""
    close = difflib.get_close_matches(str(value), sorted(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_text(value, name: str = "") -> str:
    """One line of printable text."""
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {kind_of(value)} {quote_value(value)}")
    text = value.strip()
    if not text:
        raise FieldError("is empty: expected text")
    if "\n" in text or "\r" in text:
        raise FieldError(f"{quote_value(value)} spans several lines: expected one line")
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]
    if bad:
        raise FieldError(f"contains the control character U+{ord(bad[0]):04X}: expected printable text")
    bidi = [c for c in text if c in BIDI_CONTROLS]
    if bidi:
        raise FieldError(f"contains the bidirectional control U+{ord(bidi[0]):04X} {unicodedata.name(bidi[0])}, which reorders the text around it: remove it (right-to-left text needs no control characters)")
    hidden = [(i, c) for i, c in enumerate(text)
              if (c in INVISIBLE or unicodedata.category(c) == "Cf") and not is_needed_joiner(text, i)]
    if hidden:
        index, char = hidden[0]
        place = f" (kept only {JOINER_PLACES[char]})" if char in JOINER_PLACES else ""
        raise FieldError(f"contains the invisible character U+{ord(char):04X} {unicodedata.name(char, 'FORMAT CHARACTER')}: remove it{place}")
    limit = MAX_TEXT.get(name, DEFAULT_MAX_TEXT)
    if len(text) > limit:
        raise FieldError(f"is {len(text)} characters long: expected at most {limit}")
    return text


def is_needed_joiner(text: str, index: int) -> bool:
    """text[index] is a zero-width joiner or non-joiner between two characters of a script that needs it there."""
    char = text[index]
    if char not in JOINER_SCRIPTS or index == 0 or index == len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    if char == ZWJ and is_emoji_part(before) and is_emoji_part(after):
        return True
    script = _script(before)
    return script in JOINER_SCRIPTS[char] and _script(after) == script


def is_emoji_part(char: str) -> bool:
    """char is a pictograph, or the variation selector or skin tone that ends one, in an emoji ZWJ sequence."""
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or code == 0xFE0F or char in "\u2640\u2642\u2695\u2696\u2708\u2764"


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def is_http_url(url: str) -> bool:
    """An absolute http(s) address with a host, and no space or character a link would have to escape."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"[\s<>\"\\^`{|}]", url)


def check_url(value, name: str = "") -> str:
    """An absolute http or https URL."""
    if not isinstance(value, str):
        raise FieldError(f"expected a URL, got {kind_of(value)} {quote_value(value)}")
    url = value.strip()
    if not is_http_url(url):
        raise FieldError(f"{quote_value(value)} is not an http(s) URL: expected one like 'https://example.org/article'")
    return url


def check_date(value, name: str = "") -> PartialDate:
    """YYYY-MM-DD, YYYY-MM or YYYY, a real date."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    match = DATE_PATTERN.match(text or "")
    if not match:
        raise FieldError(f"{quote_value(value)} is not a date: expected YYYY-MM-DD, or YYYY-MM or YYYY when the text supports no more")
    year, month, day = (int(part) if part else 0 for part in match.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise FieldError(f"{quote_value(text)} is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY") from None
    if year < 1800:
        raise FieldError(f"{quote_value(text)} is before 1800: expected the year the article was published")
    return PartialDate(year, month, day)


def check_language(value, name: str = "") -> str:
    if not isinstance(value, str) or not LANGUAGE_PATTERN.match(value):
        raise FieldError(f"{quote_value(value)} is not a language code: expected one like 'en' or 'be'")
    return value


def check_slug(value, name: str = "") -> str:
    if not isinstance(value, str) or not is_slug(value):
        raise FieldError(f"{quote_value(value)} is not a slug: expected lowercase ASCII letters, digits and single hyphens, at most 80 characters, like 'kiev-regime-sends-troops'")
    return value


def check_id(value, name: str = "") -> str:
    if not isinstance(value, str) or not SLUG_PATTERN.match(value):  # a slug's shape, without its length limit
        raise FieldError(f"{quote_value(value)} is not an id: expected lowercase ASCII letters, digits and hyphens")
    return value


def check_patterns(value, name: str = "") -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise FieldError(f"expected a list of regular expressions, got {kind_of(value)}")
    for pattern in value:
        try:
            regex.compile(pattern)  # the engine clean.py runs markers with
        except regex.error as error:
            raise FieldError(f"{quote_value(pattern)} is not a valid regular expression: {error}") from None
    return tuple(value)


def check_text_list(value, name: str = "") -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldError(f"expected a list, got {kind_of(value)} {quote_value(value)}")
    return tuple(check_text(item) for item in value)


def check_flag(value, name: str = "") -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {kind_of(value)} {quote_value(value)}")
    return value
