"""The Statistics page's charts as numbers and shapes; the SVG markup is in templates/charts/."""
from __future__ import annotations

import calendar
import collections
from dataclasses import dataclass

from ..model import Corpus

WIDTH = 720  # every wide chart's viewBox width; the page scales it to the column
# A column narrower than the page's breakpoint (layout.css, about 640 px) gets the narrow drawings:
# labels above their bars, so the bars and their numbers keep the whole width.
NARROW_WIDTH = 320
NARROW_ROW = 40  # a label's line and its bar's
KEYWORD_LIMIT = 20
LABEL_LIMIT = 32  # characters of a label drawn in a chart; the tables give the whole text
ROW_HEIGHT = 34
TIMELINE_LEFT = 170
MATRIX_LEFT = 250
MATRIX_TOP = 130
MATRIX_CELL = 48
KEYWORD_LEFT = 230
KEYWORD_ROW = 22
MONTHS_MAX = 60  # beyond five years, monthly bars are too thin to read and weigh the page: count by year


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str  # what the bar stands for, in words


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class TimelineRow:
    outlet: str
    label: str  # the outlet's name, shortened to fit
    y: float  # the row's baseline
    bars: tuple[Bar, ...]
    label_x: float = 0
    label_y: float = 0


@dataclass(frozen=True)
class Timeline:
    """Articles per month (or per year, over a long span), one row per outlet, from the first article to the last."""

    width: int
    height: int
    left: float
    right: float
    rows: tuple[TimelineRow, ...]
    ticks: tuple[Tick, ...]  # one per year, at its first month shown
    months: tuple[tuple[int, int], ...]  # (year, month) of each bar; month 0 when bars are years
    table: tuple[tuple[str, tuple[int, ...], int], ...]  # (month or year label, count per outlet, total)
    outlets: tuple[str, ...]  # outlet names, in the rows' order
    undated: int  # articles whose month is not known, left out of the picture (none when bars are years)
    total: int
    period: str = "month"  # what one bar counts: "month" or "year"
    variant: str = "wide"  # or "narrow": labels above the rows, for a phone's column


@dataclass(frozen=True)
class MatrixCell:
    x: float
    y: float
    count: int
    shade: float  # 0 to 1, by count
    dark: bool  # the label needs light text on this shade
    label: str


@dataclass(frozen=True)
class Matrix:
    """How many articles each outlet published on each topic: topics down, outlets across."""

    width: int
    height: int
    cell: int
    left: int
    top: int
    columns: tuple[tuple[float, str], ...]  # (x of the column's centre, outlet name shortened)
    rows: tuple[tuple[float, str], ...]  # (y of the row's centre, topic title shortened)
    cells: tuple[MatrixCell, ...]
    outlets: tuple[str, ...]
    topics: tuple[str, ...]
    table: tuple[tuple[str, tuple[int, ...]], ...]  # (topic title, count per outlet)


@dataclass(frozen=True)
class KeywordChart:
    """The keywords carried by the most articles, most first."""

    width: int
    height: int
    left: int
    bars: tuple[Bar, ...]
    labels: tuple[str, ...]  # each bar's keyword, shortened to fit
    keywords: tuple[tuple[str, str, int], ...]  # (label, slug, articles)
    distinct: int  # keywords in the whole archive
    variant: str = "wide"  # or "narrow": each label above its bar


@dataclass(frozen=True)
class MatrixGroup:
    """One topic of the stacked matrix: its title above one bar per outlet."""

    y: float  # the title's baseline
    title: str  # shortened to fit
    bars: tuple[Bar, ...]
    outlets: tuple[str, ...]  # each bar's outlet name, shortened to fit


@dataclass(frozen=True)
class StackedMatrix:
    """The outlet-by-topic counts for a phone's column: one group of bars per topic, every count written."""

    width: int
    height: int
    left: int  # where the bars start, after the outlet names
    groups: tuple[MatrixGroup, ...]
    outlets: tuple[str, ...]
    topics: tuple[str, ...]


def shorten(text: str, limit: int = LABEL_LIMIT) -> str:
    """Cut text to limit characters at most, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Advance widths of the printable ASCII characters (space to '~') in Arial's metrics, thousandths of
# an em: the sans-serif the theme falls back on (Helvetica and Liberation Sans share them).
ASCII_WIDTHS = (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
                556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
                1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
                667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
                333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
                556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)
LABEL_SIZE = 13  # units, as archive.css draws .chart-label
WIDTH_MARGIN = 1.1  # another system font may run a little wider


def estimate_width(text: str, size: float = LABEL_SIZE) -> float:
    """The width of text drawn size units high, a little over Arial's (any other character as wide as an M)."""
    thousandths = sum(ASCII_WIDTHS[ord(char) - 32] if " " <= char <= "~" else 833 for char in text)
    return thousandths / 1000 * size * WIDTH_MARGIN


def fit_label(text: str, width: float) -> str:
    """Cut text to fit width units at most, marking the cut with an ellipsis: no label runs past its chart."""
    if estimate_width(text) <= width:
        return text
    cut = text
    while cut and estimate_width(cut.rstrip() + "…") > width:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def count_articles(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def month_range(first: tuple[int, int], last: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """Every (year, month) from first to last, both included."""
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def period_label(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}" if month else str(year)


def chart_timeline(corpus: Corpus, narrow: bool = False) -> Timeline:
    """Lay out the articles-per-month chart, one row per outlet that has articles.

    Over more than MONTHS_MAX months the bars count years, which every article's date gives.
    narrow: drawn NARROW_WIDTH wide, each outlet's name above its row, the rows the whole width.
    """
    names = {o.id: o.name for o in corpus.outlets}
    dated = [a for a in corpus.articles if a.date.month]
    months = month_range(min((a.date.year, a.date.month) for a in dated),
                         max((a.date.year, a.date.month) for a in dated)) if dated else ()
    period = "year" if len(months) > MONTHS_MAX else "month"
    if period == "year":
        dated = list(corpus.articles)
        years = range(min(a.date.year for a in dated), max(a.date.year for a in dated) + 1)
        months = tuple((year, 0) for year in years)
    counts = collections.Counter((a.outlet, a.date.year, a.date.month if period == "month" else 0) for a in dated)
    outlets = sorted({a.outlet for a in corpus.articles}, key=lambda o: (names[o].casefold(), o))
    width, left = (NARROW_WIDTH, 4) if narrow else (WIDTH, TIMELINE_LEFT)
    row_height = ROW_HEIGHT + (18 if narrow else 0)  # the name's line above the bars
    right = width - 10
    band = (right - left) / max(len(months), 1)
    peak = max(counts.values(), default=1)
    rows = []
    for position, outlet in enumerate(outlets):
        baseline = 10 + (position + 1) * row_height
        bars = []
        for index, (year, month) in enumerate(months):
            count = counts[(outlet, year, month)]
            if count:
                height = round(count / peak * (ROW_HEIGHT - 8), 1)
                bars.append(Bar(x=round(left + index * band + band * 0.1, 1), y=round(baseline - height, 1),
                                width=round(max(band * 0.8, 1.0), 1), height=height, count=count,
                                label=f"{names[outlet]}, {period_label(year, month)}: {count_articles(count)}"))
        label_x, label_y = (left, baseline - ROW_HEIGHT + 4) if narrow else (left - 8, baseline - 8)
        label = fit_label(names[outlet], right - left) if narrow else shorten(names[outlet], 26)
        rows.append(TimelineRow(outlet, label, baseline, tuple(bars),
                                label_x, label_y))
    ticks = tuple(Tick(round(left + index * band, 1), str(year))
                  for index, (year, month) in enumerate(months) if month <= 1 or index == 0)
    if narrow:
        ticks = spread_ticks(ticks, 40)
    table = tuple((period_label(y, m), tuple(counts[(o, y, m)] for o in outlets),
                   sum(counts[(o, y, m)] for o in outlets))
                  for y, m in months if any(counts[(o, y, m)] for o in outlets))
    return Timeline(width=width, height=10 + len(outlets) * row_height + 34, left=left, right=right,
                    rows=tuple(rows), ticks=ticks, months=months, table=table,
                    outlets=tuple(names[o] for o in outlets), undated=len(corpus.articles) - len(dated),
                    total=len(corpus.articles), period=period, variant="narrow" if narrow else "wide")


def spread_ticks(ticks: tuple[Tick, ...], gap: float) -> tuple[Tick, ...]:
    """Keep the ticks at least gap apart (a year's label needs that room), the first dropped before a year's start."""
    if len(ticks) > 1 and ticks[1].x - ticks[0].x < gap:
        ticks = ticks[1:]  # the first year began before the first month shown: the next year's start says more
    kept: list[Tick] = []
    for tick in ticks:
        if not kept or tick.x - kept[-1].x >= gap:
            kept.append(tick)
    return tuple(kept)


def chart_matrix(corpus: Corpus) -> Matrix:
    """Lay out the outlet-by-topic matrix: a shaded cell with its count for every pair."""
    names = {o.id: o.name for o in corpus.outlets}
    titles = {t.id: t.title for t in corpus.topics}
    counts = collections.Counter((t, a.outlet) for a in corpus.articles for t in a.topics)
    outlets = sorted({a.outlet for a in corpus.articles}, key=lambda o: (names[o].casefold(), o))
    topics = sorted({t for a in corpus.articles for t in a.topics}, key=lambda t: (titles[t].casefold(), t))
    peak = max(counts.values(), default=1)
    cells = []
    for row, topic in enumerate(topics):
        for column, outlet in enumerate(outlets):
            count = counts[(topic, outlet)]
            shade = round(count / peak, 2)
            cells.append(MatrixCell(x=MATRIX_LEFT + column * MATRIX_CELL, y=MATRIX_TOP + row * MATRIX_CELL,
                                    count=count, shade=shade, dark=shade > 0.5,
                                    label=f"{names[outlet]} on {titles[topic]}: {count_articles(count)}"))
    return Matrix(
        width=MATRIX_LEFT + len(outlets) * MATRIX_CELL + 100,  # room for the last slanted outlet name
        height=MATRIX_TOP + len(topics) * MATRIX_CELL + 10, cell=MATRIX_CELL, left=MATRIX_LEFT, top=MATRIX_TOP,
        columns=tuple((MATRIX_LEFT + (i + 0.5) * MATRIX_CELL, shorten(names[o], 20)) for i, o in enumerate(outlets)),
        rows=tuple((MATRIX_TOP + (i + 0.5) * MATRIX_CELL, shorten(titles[t], 36)) for i, t in enumerate(topics)),
        cells=tuple(cells), outlets=tuple(names[o] for o in outlets), topics=tuple(titles[t] for t in topics),
        table=tuple((titles[t], tuple(counts[(t, o)] for o in outlets)) for t in topics),
    )


def chart_keywords(corpus: Corpus, by_keyword: dict | None = None, limit: int = KEYWORD_LIMIT,
                   narrow: bool = False) -> KeywordChart:
    """Lay out the keywords that the most articles mention as horizontal bars; ties in alphabetical order.

    narrow: drawn NARROW_WIDTH wide, each keyword above its bar, which may take the whole width.
    """
    if by_keyword is not None:
        counts = collections.Counter({slug: len(articles) for slug, (_k, articles) in by_keyword.items()})
        labels = {slug: keyword.label for slug, (keyword, _a) in by_keyword.items()}
    else:
        counts = collections.Counter(k.slug for a in corpus.articles for k in a.keywords)
        labels = {k.slug: k.label for a in corpus.articles for k in a.keywords}
    top = sorted(counts, key=lambda s: (-counts[s], labels[s].casefold(), s))[:limit]
    peak = max(counts.values(), default=1)
    width, left, row, top_y = (NARROW_WIDTH, 4, NARROW_ROW, 24) if narrow else (WIDTH, KEYWORD_LEFT, KEYWORD_ROW, 10)
    span = width - left - 40  # room for the number after the longest bar
    bars = tuple(Bar(x=left, y=top_y + i * row, width=max(round(counts[s] / peak * span, 1), 2.0),
                     height=KEYWORD_ROW - 6, count=counts[s], label=f"{labels[s]}: {count_articles(counts[s])}")
                 for i, s in enumerate(top))
    return KeywordChart(width=width, height=top_y + 10 + len(top) * row, left=left, bars=bars,
                        labels=tuple(fit_label(labels[s], width - 2 * left) if narrow else shorten(labels[s]) for s in top),
                        keywords=tuple((labels[s], s, counts[s]) for s in top), distinct=len(counts),
                        variant="narrow" if narrow else "wide")


def stack_matrix(matrix: Matrix) -> StackedMatrix:
    """The matrix's counts for a phone's column: each topic's title, then a bar and its count per outlet."""
    left, row = 128, 20
    span = NARROW_WIDTH - left - 36
    peak = max((count for _topic, counts in matrix.table for count in counts), default=1) or 1
    groups = []
    y = 18.0
    for topic, counts in matrix.table:
        bars = tuple(Bar(x=left, y=y + 8 + i * row, width=max(round(count / peak * span, 1), 2.0), height=row - 6,
                         count=count, label=f"{outlet} on {topic}: {count_articles(count)}")
                     for i, (outlet, count) in enumerate(zip(matrix.outlets, counts)))
        groups.append(MatrixGroup(y=y, title=fit_label(topic, (NARROW_WIDTH - 8) / 1.1), bars=bars,  # bold
                                  outlets=tuple(fit_label(outlet, left - 8) for outlet in matrix.outlets)))
        y += 8 + len(counts) * row + 22
    return StackedMatrix(width=NARROW_WIDTH, height=round(y), left=left, groups=tuple(groups),
                         outlets=matrix.outlets, topics=matrix.topics)
