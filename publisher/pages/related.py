"""Related coverage: the articles that share the most (rarer keywords weigh more, then topics) with an article."""
from __future__ import annotations

import collections
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Article, Corpus, Keyword
from .listings import index_by_keyword

if TYPE_CHECKING:
    import numpy


@dataclass(frozen=True)
class Related:
    article: Article
    shared_topics: tuple[str, ...]
    shared_keywords: tuple[Keyword, ...]
    shared_terms: tuple[str, ...]  # topic titles, then keyword labels


def weigh_keywords(corpus: Corpus, by_keyword: dict | None = None) -> dict[str, float]:
    """A keyword's weight in related coverage: rarer is stronger (1 + ln(articles / articles naming it)).

    by_keyword: index_by_keyword(corpus), when the caller has it already.
    """
    size = max(1, len(corpus.articles))
    by_keyword = index_by_keyword(corpus) if by_keyword is None else by_keyword
    counts = {slug: len(articles) for slug, (_k, articles) in by_keyword.items()}
    return {slug: 1.0 + math.log(size / max(1, count)) for slug, count in counts.items()}


class RelatedIndex:
    """Who carries each keyword and topic, so ranking related articles never compares every pair."""

    def __init__(self, corpus: Corpus, keyword_articles: dict | None = None):
        """keyword_articles: index_by_keyword(corpus), when the caller has it already."""
        import numpy  # YAKE needs it anyway; it turns per-pair loops into a few array operations

        articles = corpus.articles
        self.articles = articles
        self.position = {article.id: i for i, article in enumerate(articles)}
        # Ties in score go to the newer article, then to the smaller id: rank holds that order.
        order = sorted(range(len(articles)), key=lambda i: articles[i].id, reverse=True)
        order.sort(key=lambda i: articles[i].date)
        self.rank = numpy.empty(len(articles), dtype=numpy.int64)
        self.rank[order] = numpy.arange(len(articles))
        by_keyword, by_topic = collections.defaultdict(list), collections.defaultdict(list)
        for i, article in enumerate(articles):
            for keyword in article.keywords:
                by_keyword[keyword.slug].append(i)
            for topic in article.topics:
                by_topic[topic].append(i)
        self.by_keyword = {key: numpy.array(value, dtype=numpy.int64) for key, value in by_keyword.items()}
        self.weights = weigh_keywords(corpus, keyword_articles)
        self.by_topic = {key: numpy.array(value, dtype=numpy.int64) for key, value in by_topic.items()}
        self.titles = {t.id: t.title for t in corpus.topics}

    def count_shared(self, postings, weights=None) -> "numpy.ndarray":
        import numpy as np

        size = len(self.articles)
        if not postings:
            return np.zeros(size, dtype=np.float64 if weights else np.int64)
        if weights:
            each = np.repeat(np.asarray(weights, dtype=np.float64), [len(p) for p in postings])
            return np.bincount(np.concatenate(postings), weights=each, minlength=size)
        return np.bincount(np.concatenate(postings), minlength=size)

    def find(self, article: Article, limit: int) -> list[Related]:
        return self.describe(article, self.best(article, limit))

    def best(self, article: Article, limit: int) -> list[int]:
        """The positions of the articles most related to article, best first."""
        import numpy as np

        size = len(self.articles)
        shared = [k.slug for k in article.keywords if k.slug in self.by_keyword]
        keywords = self.count_shared([self.by_keyword[s] for s in shared], [self.weights.get(s, 1.0) for s in shared])
        topics = self.count_shared([self.by_topic[t] for t in dict.fromkeys(article.topics) if t in self.by_topic])
        score = np.round(2 * keywords + topics, 9)  # rounded so that equal sums tie whatever the order of adding
        if article.id in self.position:
            score[self.position[article.id]] = 0
        # Highest score first, then the newer article (rank), as find_related_slowly sorts them; only
        # the articles scoring at least the limit-th best score (ties included) need sorting.
        if limit < size:
            floor = max(np.partition(score, size - limit)[size - limit], 1e-9)
        else:
            floor = 1e-9
        candidates = np.nonzero(score >= floor)[0]
        order = candidates[np.lexsort((-self.rank[candidates], -score[candidates]))]
        return [int(i) for i in order[:limit]]

    def describe(self, article: Article, best: list[int]) -> list[Related]:
        """The articles at positions best as related coverage of article: what each shares with it."""
        keys = {k.slug for k in article.keywords}
        related = []
        for i in best:
            other = self.articles[i]
            shared_topics = tuple(t for t in other.topics if t in article.topics)
            shared_keywords = tuple(k for k in other.keywords if k.slug in keys)
            related.append(Related(other, shared_topics, shared_keywords,
                                   tuple(self.titles[t] for t in shared_topics) + tuple(k.label for k in shared_keywords)))
        return related
