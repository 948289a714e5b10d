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
        self.repeating = {key for key, postings in self.by_keyword.items() if self.repeats(postings)}
        self.weights = weigh_keywords(corpus, keyword_articles)
        self.by_topic = {key: numpy.array(value, dtype=numpy.int64) for key, value in by_topic.items()}
        self.titles = {t.id: t.title for t in corpus.topics}

    def find(self, article: Article, limit: int) -> list[Related]:
        return self.describe(article, self.best(article, limit))

    def best(self, article: Article, limit: int) -> list[int]:
        """The positions of the articles most related to article, best first.

        Highest score first, then the newer article (rank), as find_related_slowly sorts them.
        Scores are rounded to 9 places so that equal sums tie whatever the order of adding.
        """
        import numpy as np

        size = len(self.articles)
        if not size:
            return []
        keywords = np.zeros(size, dtype=np.float64)
        for slug in (k.slug for k in article.keywords):
            if slug in self.by_keyword:
                self.add_to(keywords, self.by_keyword[slug], self.weights.get(slug, 1.0), slug in self.repeating)
        topics = np.zeros(size, dtype=np.int64)
        for topic in dict.fromkeys(article.topics):
            if topic in self.by_topic:
                topics[self.by_topic[topic]] += 1  # a topic is listed once per article (validated)
        unrounded = 2 * keywords + topics
        if article.id in self.position:
            unrounded[self.position[article.id]] = 0
        # Rounding keeps order, so the limit-th best rounded score is the limit-th best score rounded;
        # only the articles scoring at least that (ties included) need rounding and sorting, and
        # a score rounds up to floor only from within 5e-10 of it.
        floor = max(float(np.round(self.nth_largest(unrounded, min(limit, size)), 9)), 1e-9)
        candidates = np.nonzero(unrounded >= floor - 6e-10)[0]
        score = np.round(unrounded[candidates], 9)
        candidates, score = candidates[score >= floor], score[score >= floor]
        order = candidates[np.lexsort((-self.rank[candidates], -score))]
        return [int(i) for i in order[:limit]]

    @staticmethod
    def add_to(scores: "numpy.ndarray", postings: "numpy.ndarray", weight: float, repeats: bool) -> None:
        """scores[i] += weight for each i in postings, in order, as a bincount of all postings adds them.

        repeats: postings hold a position twice (an article whose two keywords share a page), which
        must add twice; plain indexing would add once.
        """
        import numpy as np

        if repeats:
            np.add.at(scores, postings, weight)
        else:
            scores[postings] += weight

    @staticmethod
    def repeats(postings: "numpy.ndarray") -> bool:
        """Whether rising postings hold a position twice."""
        return len(postings) > 1 and bool((postings[1:] == postings[:-1]).any())

    @staticmethod
    def nth_largest(values: "numpy.ndarray", n: int) -> float:
        """The n-th largest of values (n >= 1), without sorting or partitioning the whole array.

        Scores bunch near the top only a little, so the few within reach of the maximum are
        enough: the reach doubles until n of them are inside it.
        """
        import numpy as np

        top = float(values.max())
        reach = 1.0
        while True:
            near = values[values >= top - reach]
            if len(near) >= n or len(near) == len(values):
                return float(np.partition(near, len(near) - n)[len(near) - n])
            reach *= 2

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
