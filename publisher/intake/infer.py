"""Read an article's title, outlet, date and byline from its text, as pages print them; no I/O here."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import FurnitureRules, PartialDate
from .datelines import BYLINE, DATE_LINES, MONTHS
from .text import collapse_spaces, matches_marker, merge_rules, normalise, number_blocks

# The headline comes before the running text; a line this long is running text.
MAX_HEADLINE_WORDS = 30
MAX_HEADLINE_CHARS = 250
MIN_HEADLINE_WORDS = 3
HEADLINE_SEARCH_BLOCKS = 8
MAX_EVIDENCE = 3

_NAME_WORD = r"[^\W\d_][\w'’.\-]*"
_BIO = re.compile(r"^(?P<name>(?:[^\W\d_][\w'’.\-]*\s+){1,3}[^\W\d_][\w'’.\-]*) is (?:a|an|the) ")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|\band\b|&)\s*")
_BREADCRUMB = re.compile(r"\s(?:»|›|>|/)\s")  # 'Home » World » Europe'
_MENU_GAP = re.compile(r" {2,}|\t")  # 'Home  World  Europe': a scraped menu keeps its items apart
_NOT_NAMES = {"the", "a", "an", "our", "your", "this", "share", "support", "follow", "read", "more", "click", "subscribe"}


@dataclass(frozen=True)
class Inference:
    """A value read from the text, with the line it came from and how it was found."""

    value: object
    line: int
    reason: str


@dataclass(frozen=True)
class Inferred:
    title: Inference | None = None
    outlet: Inference | None = None
    date: Inference | None = None
    authors: Inference | None = None


def flat_blocks(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """number_blocks with the white space of each line collapsed, as datelines and bylines are matched."""
    return [(start, tuple(collapse_spaces(line) for line in lines)) for start, lines in number_blocks(text)]


def parse_printed_date(line: str, today: datetime.date) -> tuple[PartialDate, str] | None:
    """The date a line holds when it holds nothing else (a label, byline or time may go with it)."""
    text = " ".join(line.split())
    for form, pattern in DATE_LINES:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        year = int(groups["y"])
        note = ""
        if form == "slash":
            first, second = int(groups["a"]), int(groups["b"])
            month, day = (first, second) if first <= 12 else (second, first)
            if first <= 12 and second <= 12 and first != second:
                note = "read as month/day/year, as US pages print it"
        elif groups.get("mon"):
            month, day = MONTHS[groups["mon"].rstrip(".").lower()], int(groups.get("d") or 0)
        else:
            month, day = int(groups["m"]), int(groups["d"])
        try:
            datetime.date(year, month, day or 1)
        except ValueError:
            continue
        date = PartialDate(year, month, day)
        if year < 1800 or date > PartialDate(today.year, today.month, today.day):
            continue
        return date, note
    return None


def find_date(text: str, today: datetime.date) -> Inference | None:
    """The first line that holds a date and nothing else: the dateline."""
    for start, lines in flat_blocks(text):
        for offset, line in enumerate(lines):
            found = parse_printed_date(line, today)
            if found:
                date, note = found
                reason = f"line {start + offset} reads '{line}'" + (f" ({note})" if note else "")
                return Inference(date.iso, start + offset, reason)
    return None


def is_person_name(text: str) -> bool:
    """Two to four capitalised words, as a byline prints a name."""
    words = text.split()
    return (2 <= len(words) <= 4 and all(re.fullmatch(_NAME_WORD, w) and w[0].isupper() for w in words)
            and not any(w.lower() in _NOT_NAMES for w in words))


def split_names(text: str) -> tuple[str, ...] | None:
    names = tuple(n.strip() for n in _NAME_SEPARATORS.split(text) if n.strip())
    return names if names and all(is_person_name(n) for n in names) else None


def find_authors(text: str, today: datetime.date) -> Inference | None:
    """The byline: 'By ...', a name beside the dateline, or else the author's bio at the end."""
    blocks = flat_blocks(text)
    for start, lines in blocks:
        for offset, line in enumerate(lines):
            match = BYLINE.match(line)
            names = split_names(match.group("names")) if match else None
            if names:
                return Inference(names, start + offset, f"line {start + offset} reads '{line}'")
    for start, lines in blocks:
        for offset, line in enumerate(lines):
            if not parse_printed_date(line, today):
                continue
            for near in (offset - 1, offset + 1):
                if 0 <= near < len(lines) and is_person_name(lines[near]):
                    return Inference((lines[near],), start + near,
                                     f"line {start + near} names '{lines[near]}' beside the dateline on line {start + offset}")
    for start, lines in reversed(blocks[len(blocks) // 2:]):
        match = _BIO.match(lines[0])
        if match and is_person_name(match.group("name")):
            name = match.group("name")
            return Inference((name,), start, f"the author's note on line {start} begins '{name} is ...'")
    return None


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def find_outlet(text: str, outlets, url: str | None = None) -> Inference | None:
    """The registry outlet whose homepage, markers and name the text shows most; none on a tie."""
    blocks = flat_blocks(text)
    flat = [(start, "\n".join(lines)) for start, lines in blocks]
    scores = []
    for outlet in outlets:
        evidence = []
        if url and outlet.homepage and _host(url) and (_host(url) == _host(outlet.homepage) or _host(url).endswith("." + _host(outlet.homepage))):
            evidence.append(f"the URL is on {_host(outlet.homepage)}")
        for pattern in outlet.furniture + outlet.header + outlet.trailer:
            line = next((start for start, block in flat if matches_marker((pattern,), block)), 0)
            if line:
                evidence.append(f"line {line} matches its marker '{pattern}'")
        name = re.compile(rf"(?<!\w){re.escape(outlet.name)}(?!\w)", re.IGNORECASE)
        line = next((start for start, block in flat if name.search(block)), 0)
        if line:
            evidence.append(f"its name '{outlet.name}' is on line {line}")
        if evidence:
            # the homepage of the URL settles it; otherwise the most evidence wins
            scores.append((100 if evidence[0].startswith("the URL") else len(evidence), outlet.id, evidence))
    if not scores:
        return None
    scores.sort(key=lambda s: (-s[0], s[1]))
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        return None
    score, outlet_id, evidence = scores[0]
    first_line = min((int(m) for m in re.findall(r"line (\d+)", " ".join(evidence))), default=0)
    more = f"; and {len(evidence) - MAX_EVIDENCE} more" if len(evidence) > MAX_EVIDENCE else ""
    return Inference(outlet_id, first_line, "; ".join(evidence[:MAX_EVIDENCE]) + more)


def is_menu_line(raw: str) -> bool:
    """Three or more short items kept apart by runs of spaces or tabs: a scraped menu or breadcrumb."""
    items = [item for item in _MENU_GAP.split(raw.strip()) if item]
    return len(items) >= 3 and all(len(item.split()) <= 3 for item in items)


def find_title(text: str, outlets, rules: FurnitureRules, today: datetime.date) -> Inference | None:
    """The headline: the first line, before the running text, that is not page furniture."""
    names = {normalise(o.name) for o in outlets}
    blocks = flat_blocks(text)
    raw_lines = text.split("\n")
    header_end = max((i for i, (_, lines) in enumerate(blocks) if matches_marker(rules.header, "\n".join(lines))), default=-1)
    for index, (start, lines) in enumerate(blocks[:HEADLINE_SEARCH_BLOCKS]):
        if index <= header_end or matches_marker(rules.furniture + rules.trailer, "\n".join(lines)):
            continue
        for offset, line in enumerate(lines):
            words = line.split()
            if len(words) > MAX_HEADLINE_WORDS or len(line) > MAX_HEADLINE_CHARS:
                return None  # running text began before any headline
            if (len(words) < MIN_HEADLINE_WORDS or normalise(line) in names or "http" in line or "@" in line
                    or _BREADCRUMB.search(line) or is_menu_line(raw_lines[start + offset - 1])
                    or matches_marker(rules.furniture, line) or parse_printed_date(line, today) or BYLINE.match(line)):
                continue
            return Inference(line, start + offset, f"line {start + offset}, the first line that is not page furniture")
    return None


def infer_fields(text: str, outlets, general: FurnitureRules, today: datetime.date,
                 url: str | None = None, outlet_id: str | None = None) -> Inferred:
    """Infer every field the text supports; the outlet's markers, when known, help find the headline."""
    outlet = find_outlet(text, outlets, url)
    chosen = outlet_id or (outlet.value if outlet else None)
    own = [o for o in outlets if o.id == chosen]
    rules = merge_rules(general, own or outlets)
    return Inferred(
        title=find_title(text, outlets, rules, today),
        outlet=outlet,
        date=find_date(text, today),
        authors=find_authors(text, today),
    )
