"""Split an article into blocks and mark page furniture; the words themselves never change."""
from __future__ import annotations

import dataclasses
import functools
import re
import time

import regex

from .model import Article, Block, FurnitureRules, Outlet

BULLET = re.compile(r"^(?:[•·▪●◦‣∙\-–*]|\d{1,3}[.)])\s+")
# A line that holds nothing but a date and maybe a time, as pages print them.
DATELINE = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
    r"(?:\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4})"
    r"(?:,?\s*(?:[-–—|]\s*)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?$"
)
HEADLINE_SEARCH_BLOCKS = 4
# Markers come from pull requests: a pattern such as ^(a|aa)+$ backtracks for ever on the wrong line.
# The regex module stops a search after this long (the corpus's markers take microseconds per block).
MARKER_SECONDS = 1.0


class MarkerTimeout(Exception):
    """A furniture marker ran past MARKER_SECONDS on one block of text."""

    def __init__(self, pattern: str):
        super().__init__(pattern)
        self.pattern = pattern
        self.source = ""  # the seed it ran on, when the caller knows


def split_blocks(text: str) -> list[tuple[str, ...]]:
    """Group lines into blocks separated by blank (or whitespace-only) lines."""
    blocks, current = [], []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(tuple(current))
            current = []
    if current:
        blocks.append(tuple(current))
    return blocks


@functools.lru_cache(maxsize=None)
def _compile(patterns: tuple[str, ...]) -> regex.Pattern | None:
    return regex.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _matches(patterns: tuple[str, ...], text: str) -> bool:
    compiled = _compile(patterns)
    if compiled is None:
        return False
    try:
        return bool(compiled.search(text, timeout=MARKER_SECONDS))
    except TimeoutError:
        raise MarkerTimeout(find_slow_marker(patterns, text)) from None


def find_slow_marker(patterns: tuple[str, ...], text: str) -> str:
    """The first of patterns that runs past the time bound on text (the slowest, if none does alone)."""
    timings = []
    for pattern in patterns:
        try:
            started = time.perf_counter()
            regex.compile(pattern).search(text, timeout=MARKER_SECONDS)
            timings.append((time.perf_counter() - started, pattern))
        except TimeoutError:
            return pattern
    return max(timings)[1]


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_list(lines: tuple[str, ...]) -> bool:
    return all(BULLET.match(line.strip()) for line in lines)


def is_byline(lines: tuple[str, ...], authors: tuple[str, ...]) -> bool:
    names = {_normalise(a) for a in authors}
    return all(DATELINE.match(line.strip()) or _normalise(line) in names for line in lines)


def classify_blocks(blocks: list[tuple[str, ...]], title: str, authors: tuple[str, ...],
                    rules: FurnitureRules) -> tuple[Block, ...]:
    """Mark each block as paragraph, list or furniture (with the reason it is hidden)."""
    # Markers match the text with each run of white space (no-break spaces included) as one space.
    texts = ["\n".join(" ".join(line.split()) for line in lines) for lines in blocks]
    header_end = max((i for i, t in enumerate(texts) if _matches(rules.header, t)), default=-1)
    first_body = header_end + 1
    trailer_start = next((i for i, t in enumerate(texts) if i > first_body and _matches(rules.trailer, t)), len(texts))
    headline = _normalise(title)
    result = []
    for index, (lines, text) in enumerate(zip(blocks, texts)):
        flat = _normalise(text)
        if index <= header_end:
            reason = "page header"
        elif index >= trailer_start:
            reason = "links and prompts after the article"
        elif flat == headline or (index < HEADLINE_SEARCH_BLOCKS and flat.startswith(headline)):
            reason = "headline, shown as the page title"
        elif is_byline(lines, authors):
            reason = "byline or dateline, shown in the article's details"
        elif _matches(rules.furniture, text):
            reason = "page furniture"
        else:
            result.append(Block("list" if len(lines) > 0 and is_list(lines) else "paragraph", lines))
            continue
        result.append(Block("furniture", lines, reason))
    return tuple(result)


def merge_rules(outlet: Outlet | None, general: FurnitureRules) -> FurnitureRules:
    """The general markers plus the outlet's own."""
    if outlet is None:
        return general
    return FurnitureRules(
        furniture=general.furniture + outlet.furniture,
        header=general.header + outlet.header,
        trailer=general.trailer + outlet.trailer,
    )


def clean_article(article: Article, rules: FurnitureRules) -> Article:
    """Return the article with its blocks classified for the reading view."""
    try:
        blocks = classify_blocks(split_blocks(article.text), article.title, article.authors, rules)
    except MarkerTimeout as error:
        error.source = article.source_path
        raise
    return dataclasses.replace(article, blocks=blocks)
