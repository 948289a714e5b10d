"""Split an article into blocks and mark page furniture; the words themselves never change."""
from __future__ import annotations

import dataclasses
import re

from ..model import Article, Block, FurnitureRules
from .datelines import BYLINE_LABEL, match_date_line
from .text import MarkerTimeout, collapse_spaces, matches_marker, normalise, split_blocks

BULLET = re.compile(r"^(?:[•·▪●◦‣∙\-–*]|\d{1,3}[.)])\s+")
HEADLINE_SEARCH_BLOCKS = 4
HEADLINE_REASON = "headline, shown as the page title"
# What goes on after a headline in its block is the story only if it holds a sentence's worth of words;
# a shorter rest ("Israel today", a credit under the headline) stays hidden with it.
STORY_MIN_WORDS = 8


# The lead-in of an item the page embedded (a video, a post) that the copied text left out: one line
# ending with a colon ("A sniper kills a gunman involved in the hostage incident in Ukraine's
# Poltava:") and then a block that resumes the article's own argument ("Nonetheless, ...",
# "Meanwhile, ..."), so it cannot be what the colon announced. A colon followed by anything else
# may introduce the next block ("Spiegler remembers one incident a few years ago:"), and a colon
# after a verb of saying introduces a quote: both are kept.
LEAD_IN = re.compile(r"^[^\n]{12,200}:$")
SAYING = re.compile(
    r"\b(?:says?|said|tells?|told|writes?|wrote|adds?|added|states?|stated|explain(?:s|ed)?|declared?|"
    r"announced?|noted?|reads?|follows?|following|quoted?|tweeted|posted|asked|answered|replied|warn(?:s|ed)?)\b",
    re.IGNORECASE)
RESUMES = re.compile(
    r"^(?:Nonetheless|Nevertheless|However|Meanwhile|At the same time|Still|Yet|Moreover|Furthermore|"
    r"In addition|Besides|Despite this|Even so|On the other hand|Otherwise|Anyway)\b")


def is_embed_lead_in(text: str, following: str | None) -> bool:
    """text is the one-line lead-in of an embedded item, the block following it the article going on."""
    return (following is not None and bool(LEAD_IN.match(text)) and not SAYING.search(text)
            and bool(RESUMES.match(following)))


def is_list(lines: tuple[str, ...]) -> bool:
    return all(BULLET.match(line.strip()) for line in lines)


def is_byline(lines: tuple[str, ...], authors: tuple[str, ...]) -> bool:
    names = {normalise(a) for a in authors}
    return all(match_date_line(line) or normalise(BYLINE_LABEL.sub("", line.strip())) in names
               for line in lines)


def split_off_headline(lines: tuple[str, ...], title: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The block's leading headline and the story after it; None when the block holds nothing else.

    Wire copy prints the headline, then without a blank line the story, which may repeat the headline
    ("Headline\nHeadline (AP) CITY (AP) — The story..."). Every headline line is split off, and the
    headline at the start of the first story line (cut at a word's end); no word is changed or lost.
    A rest shorter than a sentence (STORY_MIN_WORDS) is no story: None.
    """
    words = title.split()
    if not words:
        return None
    starts_with_headline = re.compile(r"\s*" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE)
    head: list[str] = []
    rest = list(lines)
    while rest and normalise(rest[0]) == normalise(title):
        head.append(rest.pop(0))
    if rest and (match := starts_with_headline.match(rest[0])) and rest[0][match.end():].strip():
        head.append(rest[0][:match.end()])
        rest[0] = rest[0][match.end():].lstrip()
    if not head or sum(len(line.split()) for line in rest) < STORY_MIN_WORDS:
        return None
    return tuple(head), tuple(rest)


def classify_blocks(blocks: list[tuple[str, ...]], title: str, authors: tuple[str, ...],
                    rules: FurnitureRules) -> tuple[Block, ...]:
    """Mark each block as paragraph, list or furniture (with the reason it is hidden)."""
    # Markers match the text with each run of white space (no-break spaces included) as one space.
    texts = ["\n".join(collapse_spaces(line) for line in lines) for lines in blocks]
    header_end = max((i for i, t in enumerate(texts) if matches_marker(rules.header, t)), default=-1)
    first_body = header_end + 1
    trailer_start = next((i for i, t in enumerate(texts) if i > first_body and matches_marker(rules.trailer, t)), len(texts))
    headline = normalise(title)
    result: list[Block] = []
    for index, (lines, text) in enumerate(zip(blocks, texts)):
        flat = normalise(text)
        if index <= header_end:
            reason = "page header"
        elif index >= trailer_start:
            reason = "links and prompts after the article"
        elif flat == headline or (index < HEADLINE_SEARCH_BLOCKS and flat.startswith(headline)):
            split = split_off_headline(lines, title)
            if split is not None:  # wire copy: the story goes on in the block that starts with the headline
                result.extend((Block("furniture", split[0], HEADLINE_REASON), Block("paragraph", split[1])))
                continue
            reason = HEADLINE_REASON
        elif is_byline(lines, authors):
            reason = "byline or dateline, shown in the article's details"
        elif matches_marker(rules.furniture, text):
            reason = "page furniture"
        elif is_embed_lead_in(text, texts[index + 1] if index + 1 < len(texts) else None):
            reason = "lead-in of an item the page embedded, not in the text"
        else:
            result.append(Block("list" if len(lines) > 0 and is_list(lines) else "paragraph", lines))
            continue
        result.append(Block("furniture", lines, reason))
    return tuple(result)


def clean_article(article: Article, rules: FurnitureRules) -> Article:
    """Return the article with its blocks classified for the reading view."""
    try:
        blocks = classify_blocks(split_blocks(article.text), article.title, article.authors, rules)
    except MarkerTimeout as error:
        error.source = article.source_path
        raise
    return dataclasses.replace(article, blocks=blocks)
