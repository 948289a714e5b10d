"""Listings of articles: grouped by topic, outlet, keyword or month, newest first, cut into pages."""
from __future__ import annotations

import collections
from dataclasses import dataclass

from ..model import Article, Corpus, Keyword, Mention, newest_first
from ..runs import split_runs
from .routes import page_path


@dataclass(frozen=True)
class Pager:
    """Where one page of a listing sits among its pages."""

    first_path: str
    number: int
    count: int

    def path(self, number: int) -> str:
        return page_path(self.first_path, number)


def split_pages(items: list[Article], size: int) -> list[list[Article]]:
    """A listing's articles in pages of at most size, ended where an article's id says (runs.split_runs):
    one article more or less changes the page it is on, not every page after it."""
    return split_runs(items, size, _article_id)


def _article_id(article: Article) -> str:
    return article.id


def index_by_topic(corpus: Corpus) -> dict[str, list[Article]]:
    """Group articles by topic id, newest first."""
    groups = collections.defaultdict(list)
    for article in corpus.articles:
        for topic in article.topics:
            groups[topic].append(article)
    return {key: newest_first(value) for key, value in groups.items()}


def index_by_outlet(corpus: Corpus) -> dict[str, list[Article]]:
    groups = collections.defaultdict(list)
    for article in corpus.articles:
        groups[article.outlet].append(article)
    return {key: newest_first(value) for key, value in groups.items()}


def index_by_keyword(corpus: Corpus) -> dict[str, tuple[Keyword, list[Article]]]:
    """Each keyword with the articles that mention it, its own articles first (by slug)."""
    if corpus.keyword_index:
        by_id = {a.id: a for a in corpus.articles}
        return {entry.keyword.slug: (entry.keyword, [by_id[m.article_id] for m in entry.mentions])
                for entry in corpus.keyword_index}
    groups: dict[str, tuple[Keyword, list[Article]]] = {}
    for article in corpus.articles:
        for keyword in article.keywords:
            groups.setdefault(keyword.slug, (keyword, []))[1].append(article)
    return {slug: (keyword, newest_first(items)) for slug, (keyword, items) in sorted(groups.items())}


def count_mentions_by_keyword(corpus: Corpus) -> dict[str, dict[str, Mention]]:
    """For each keyword, how each article names it (empty without an index)."""
    return {entry.keyword.slug: {m.article_id: m for m in entry.mentions} for entry in corpus.keyword_index}


def group_by_month(articles) -> list[tuple[int, list[tuple[int, list[Article]]]]]:
    """[(year, [(month, articles)])], newest year and month first; month 0 means not known."""
    years: dict[int, dict[int, list[Article]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for article in newest_first(articles):
        years[article.date.year][article.date.month].append(article)
    return [(year, sorted(months.items(), reverse=True)) for year, months in sorted(years.items(), reverse=True)]
