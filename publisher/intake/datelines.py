"""How pages print a dateline and a byline: the one home of both patterns, for cleaning and for `add`'s inference."""
from __future__ import annotations

import calendar
import re

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = (r"(?:\s*(?:,|\bat\b|[-–—|])?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?"
         r"(?:\s*\(?(?:[a-z]{2,5}|utc|gmt)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)?)?")
_ORDINAL = r"(?:st|nd|rd|th)?"
# Each form a page prints a date in; the groups say which number is which.
_DATE_FORMS = (
    ("slash", r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})"),
    ("iso", r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"),
    ("month-first", rf"(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})"),
    ("day-first", rf"(?P<d>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<mon>{_MONTH}),?\s+(?P<y>\d{{4}})"),
    ("dotted", r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
    ("month-year", rf"(?P<mon>{_MONTH}),?\s+(?P<y>\d{{4}})"),
)
_LABEL = r"(?:(?:published|posted|updated|last updated|first published|date)(?:\s+on)?\s*:?\s+)?"
_BY_PREFIX = r"(?:by\s+[^|•·\n]{2,80}?\s*[|•·–—-]\s*)?"
DATE_LINES = tuple(
    (form, re.compile(rf"^{_BY_PREFIX}{_LABEL}{_WEEKDAY}{pattern}{_TIME}\s*$", re.IGNORECASE))
    for form, pattern in _DATE_FORMS
)

# "By Anna Kowalska", "Authored by Tyler Durden via ZeroHedge": the words a page prints before a byline.
BYLINE_LABELS = r"(?:by|written by|authored by|words by|reported by)"
BYLINE_LABEL = re.compile(rf"^{BYLINE_LABELS}\s+", re.IGNORECASE)
BYLINE = re.compile(rf"^{BYLINE_LABELS}\s+(?P<names>.+?)\s*(?:[|•·–—]\s*.*|,\s*\d.*|\s+via\s+.*)?$", re.IGNORECASE)


def match_date_line(line: str) -> tuple[str, re.Match] | None:
    """The form and match of a line that holds a date and nothing else (a label, byline or time may go with it)."""
    text = " ".join(line.split())
    for form, pattern in DATE_LINES:
        match = pattern.match(text)
        if match:
            return form, match
    return None
