"""Citations of an archived article's original publication: APA-like text and BibTeX."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from urllib.parse import quote

from unidecode import unidecode

from ..model import Article, Outlet, PartialDate

# Lowercase words that belong to a family name ("Ludwig van Beethoven" is "van Beethoven, L.").
NAME_PARTICLES = {"al", "bin", "da", "de", "del", "della", "den", "der", "di", "dos", "du", "el",
                  "la", "le", "ten", "ter", "van", "von", "zu"}
BIBTEX_MONTHS = ("", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters. Braces become commands, never `\{`: BibTeX counts every brace,
# escaped or not, so a lone `\{` would unbalance the entry.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "%": r"\%", "#": r"\#", "&": r"\&", "_": r"\_", "$": r"\$",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}

_URL_SAFE = "".join(chr(c) for c in range(33, 127) if chr(c) not in "{}\\")  # printable ASCII but braces and backslash


@dataclass(frozen=True)
class Citation:
    """One article's citation in two styles."""

    apa: tuple[tuple[str, bool], ...]  # runs of text; True where the run is set in italics
    bibtex: str

    @property
    def apa_text(self) -> str:
        return "".join(text for text, _ in self.apa)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a personal name written 'Given Family' or 'Family, Given'."""
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip()
    words = name.split()
    start = len(words) - 1
    while start > 1 and words[start - 1] in NAME_PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def initials(given: str) -> str:
    """'Jean-Claude Paul' -> 'J.-C. P.'"""
    def initial(word: str) -> str:
        return "-".join(part[0] + "." for part in word.split("-") if part)
    return " ".join(initial(word) for word in given.split())


def apa_author(name: str) -> str:
    family, given = split_name(name)
    return f"{family}, {initials(given)}" if given else family


def apa_authors(names: tuple[str, ...]) -> str:
    """APA's author list: 'A', 'A, & B', 'A, B, & C'."""
    parts = [apa_author(n) for n in names]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + ", & " + parts[-1]


def apa_date(date: PartialDate) -> str:
    if date.day:
        return f"{date.year}, {calendar.month_name[date.month]} {date.day}"
    if date.month:
        return f"{date.year}, {calendar.month_name[date.month]}"
    return str(date.year)


def end_sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def cite_apa(article: Article, outlet: Outlet, site_name: str, permalink: str) -> tuple[tuple[str, bool], ...]:
    """An APA-style reference to the original publication, ending with the archive's permalink."""
    publisher = article.publisher_name(outlet)
    date = f"({apa_date(article.date)})."
    if article.authors:
        runs = [(f"{end_sentence(apa_authors(article.authors))} {date} ", False), (article.title, True)]
        tail = [end_sentence(article.title)[len(article.title):] + " "]
    else:
        runs = [(article.title, True)]
        tail = [f"{end_sentence(article.title)[len(article.title):]} {date} "]
    tail.append(end_sentence(publisher))
    if article.original_publisher:
        tail.append(f" Republished by {end_sentence(outlet.name)}")
    if article.source_url:
        tail.append(f" {article.source_url}")
    tail.append(f" Archived in {site_name}: {permalink}")
    return tuple(runs) + (("".join(tail), False),)


def escape_bibtex(text: str) -> str:
    """Text safe inside a braced BibTeX value: LaTeX's specials escaped, braces balanced."""
    return "".join(_BIBTEX_ESCAPES.get(c, " " if c.isspace() else c) for c in text)


def quote_url(url: str) -> str:
    """A URL with no brace, backslash or space left to unbalance a BibTeX value (validated URLs have none)."""
    return quote(url, safe=_URL_SAFE)


def escape_bibtex_url(url: str) -> str:
    """A URL for \\url{...} inside another field, where % and # must be escaped."""
    return quote_url(url).replace("%", r"\%").replace("#", r"\#")


def bibtex_name(name: str) -> str:
    family, given = split_name(name)
    # The word 'and' separates names in BibTeX: braced, it stays part of one.
    escaped = [re.sub(r"\band\b", "{and}", escape_bibtex(part)) for part in (family, given)]
    if not given:
        return "{" + escaped[0] + "}"  # an organisation, or a single name: never split
    return f"{escaped[0]}, {escaped[1]}"


def ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unidecode(text).lower())


def bibtex_key(article: Article, publisher: str) -> str:
    """'durden2023belarus': first author's family name (or the publisher), year, first title word."""
    who = ascii_word(split_name(article.authors[0])[0]) if article.authors else ascii_word(publisher)
    words = [ascii_word(w) for w in article.title.split()]
    what = next((w for w in words if len(w) > 3), next((w for w in words if w), ""))
    return f"{who or 'article'}{article.date.year}{what}"


def cite_bibtex(article: Article, outlet: Outlet, site_name: str, permalink: str) -> str:
    """A BibTeX @misc entry for the original publication; the archive's permalink in its note."""
    publisher = article.publisher_name(outlet)
    fields = []
    if article.authors:
        fields.append(("author", "{" + " and ".join(bibtex_name(n) for n in article.authors) + "}"))
    fields.append(("title", "{{" + escape_bibtex(article.title) + "}}"))
    fields.append(("howpublished", "{" + escape_bibtex(publisher) + "}"))
    fields.append(("year", f"{{{article.date.year}}}"))
    if article.date.month:
        fields.append(("month", BIBTEX_MONTHS[article.date.month]))
    fields.append(("date", f"{{{article.date.iso}}}"))
    if article.source_url:
        fields.append(("url", "{" + quote_url(article.source_url) + "}"))
        if article.collected:
            fields.append(("urldate", f"{{{article.collected.iso}}}"))
    note = f"Republished by {outlet.name}. " if article.original_publisher else ""
    note = escape_bibtex(note + f"Archived in {site_name}, ") + r"\url{" + escape_bibtex_url(permalink) + "}"
    fields.append(("note", "{" + note + "}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@misc{{{bibtex_key(article, publisher)},\n{body}\n}}\n"


def cite_article(article: Article, outlet: Outlet, site_name: str, permalink: str) -> Citation:
    """Both citations of an article."""
    return Citation(cite_apa(article, outlet, site_name, permalink), cite_bibtex(article, outlet, site_name, permalink))
