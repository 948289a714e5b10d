"""Immutable records that flow through the pipeline; no I/O here."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field

PRECISIONS = ("year", "month", "day")


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A publication date known to the year, the month or the day."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def label(self) -> str:
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    @property
    def month_label(self) -> str:
        return calendar.month_name[self.month] if self.month else "Month not known"


@dataclass(frozen=True, slots=True)
class Outlet:
    id: str
    name: str
    country: str
    language: str
    description: str
    homepage: str | None = None
    furniture: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    trailer: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class FurnitureRules:
    """Patterns that mark page furniture: one block, everything before, everything after."""

    furniture: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    trailer: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text between blank lines, as the reading view shows it (or hides it)."""

    kind: str  # "paragraph", "list" or "furniture"
    lines: tuple[str, ...]
    reason: str = ""  # why a furniture block is hidden


@dataclass(frozen=True, slots=True)
class Keyword:
    key: str  # normalised form: the keyword's identity across articles
    label: str  # how it reads on the page
    slug: str
    former: tuple[str, ...] = ()  # slugs of the phrases that became this keyword (their old pages redirect)


@dataclass(frozen=True, slots=True)
class KeywordRule:
    """One entry of metadata/keywords.yml: a keyword's label, the spellings that mean it, or hiding it."""

    key: str
    label: str | None = None
    aliases: tuple[str, ...] = ()
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """An article that names a keyword: how often, and whether the keyword is one of its own."""

    article_id: str
    count: int
    top: bool


@dataclass(frozen=True, slots=True)
class KeywordEntry:
    """A keyword's page: every article that mentions it, the ones it is a top keyword of first."""

    keyword: Keyword
    mentions: tuple[Mention, ...]
    former: tuple[str, ...] = ()  # slugs whose pages now redirect here


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    slug: str
    title: str
    outlet: str
    date: PartialDate
    topics: tuple[str, ...]
    source_path: str  # the seed file, relative to the project root
    metadata_path: str
    sha256: str
    text: str  # the seed decoded, line ends normalised; the raw bytes stay on disk
    authors: tuple[str, ...] = ()
    source_url: str | None = None
    archive_url: str | None = None
    original_publisher: str | None = None
    language: str | None = None
    summary: str | None = None
    collected: PartialDate | None = None
    blocks: tuple[Block, ...] = ()
    keywords: tuple[Keyword, ...] = ()

    def publisher_name(self, outlet: Outlet) -> str:
        """Who first published the text: the original publisher, else the outlet (this article's)."""
        return self.original_publisher or outlet.name

    def text_language(self, outlet: Outlet) -> str:
        """The language of the text: its own, else its outlet's (this article's)."""
        return self.language or outlet.language

    @property
    def reading_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind != "furniture")

    @property
    def furniture_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "furniture")

    @property
    def clean_text(self) -> str:
        return "\n\n".join("\n".join(b.lines) for b in self.reading_blocks)



def date_order(article: Article) -> tuple[PartialDate, str]:
    """An article's place in time: its date, ties by id. Corpus.articles is in this order."""
    return (article.date, article.id)


def newest_first(articles) -> list[Article]:
    """The articles in reverse date_order: every listing, feed and the Browse data show them so."""
    return sorted(articles, key=date_order, reverse=True)


@dataclass(frozen=True, slots=True)
class Corpus:
    articles: tuple[Article, ...]  # oldest first, ties by id (date_order)
    outlets: tuple[Outlet, ...] = ()
    topics: tuple[Topic, ...] = ()
    general_rules: FurnitureRules = field(default_factory=FurnitureRules)
    keyword_rules: tuple[KeywordRule, ...] = ()
    keyword_index: tuple[KeywordEntry, ...] = ()  # filled once keywords are chosen


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with the input, reported as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class InputError(Exception):
    """The input has problems; the build stops before writing anything."""

    def __init__(self, problems):
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
