"""Related coverage: the articles that share the most (rarer keywords weigh more, then topics) with an article."""
from __future__ import annotations

import collections
import functools
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
    return keyword_weights(count_keywords(corpus, by_keyword), len(corpus.articles))


def keyword_weights(counts: dict[str, int], articles: int) -> dict[str, float]:
    """weigh_keywords from the counts (count_keywords) and the number of articles."""
    size = max(1, articles)
    return {slug: 1.0 + math.log(size / max(1, count)) for slug, count in counts.items()}


def count_keywords(corpus: Corpus, by_keyword: dict | None = None) -> dict[str, int]:
    """How many articles mention each keyword (by_keyword: as weigh_keywords takes it)."""
    by_keyword = index_by_keyword(corpus) if by_keyword is None else by_keyword
    return {slug: len(articles) for slug, (_k, articles) in by_keyword.items()}


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
        keyword_articles = index_by_keyword(corpus) if keyword_articles is None else keyword_articles
        self.counts = count_keywords(corpus, keyword_articles)
        self.weights = keyword_weights(self.counts, len(articles))
        self.by_topic = {key: numpy.array(value, dtype=numpy.int64) for key, value in by_topic.items()}
        self.titles = {t.id: t.title for t in corpus.topics}

    @functools.cached_property
    def signatures(self) -> list[list]:
        """Each article's signature, in order: reusable and memo both compare or keep them."""
        return [signature(article) for article in self.articles]

    def find(self, article: Article, limit: int) -> list[Related]:
        return self.describe(article, self.best(article, limit))

    def best(self, article: Article, limit: int) -> list[int]:
        """The positions of the articles most related to article, best first."""
        return self.ranked(article, limit)[0]

    def ranked(self, article: Article, limit: int) -> tuple[list[int], float]:
        """The positions of the articles most related to article, best first, and the score a newcomer
        must reach to enter them: the last one's when there are limit of them, else 0.

        Highest score first, then the newer article (rank), as find_related_slowly sorts them.
        Scores are rounded to 9 places so that equal sums tie whatever the order of adding.
        """
        import numpy as np

        size = len(self.articles)
        if not size:
            return [], 0.0
        unrounded = self.scores(article)
        # Rounding keeps order, so the limit-th best rounded score is the limit-th best score rounded;
        # only the articles scoring at least that (ties included) need rounding and sorting, and
        # a score rounds up to floor only from within 5e-10 of it.
        floor = max(float(np.round(self.nth_largest(unrounded, min(limit, size)), 9)), 1e-9)
        candidates = np.nonzero(unrounded >= floor - 6e-10)[0]
        score = np.round(unrounded[candidates], 9)
        candidates, score = candidates[score >= floor], score[score >= floor]
        order = np.lexsort((-self.rank[candidates], -score))[:limit]
        return [int(i) for i in candidates[order]], float(score[order[-1]]) if len(order) == limit else 0.0

    def scores(self, article: Article) -> "numpy.ndarray":
        """Every article's score against article, unrounded (its own 0): 2 x the weights of the keywords
        they share, plus the topics they share. The same both ways round."""
        import numpy as np

        size = len(self.articles)
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
        return unrounded

    def reusable(self, last: dict | None, limit: int) -> dict[int, tuple[list[int], float]]:
        """The articles whose related coverage is what the last render ranked (last: its memo),
        by position: {position: (best, floor)}, as ranked would give them again.

        Only when the same articles are there: the weights then move only for the keywords whose
        count of articles naming them moved. An unchanged article's coverage can move only if it
        carries such a keyword, if a changed article was in it, or if a changed article now scores
        at least its last place (scores are the same both ways round, so one pass per changed
        article tells).
        """
        try:
            return self._reusable(last, limit) if isinstance(last, dict) else {}
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):  # not a memo this code wrote: rank all
            return {}

    def _reusable(self, last: dict, limit: int) -> dict[int, tuple[list[int], float]]:
        import numpy as np

        entries = last.get("articles", {})
        if last.get("limit") != limit or len(entries) != len(self.articles) or any(article.id not in entries for article in self.articles):
            return {}
        changed = [i for i, (article, now) in enumerate(zip(self.articles, self.signatures)) if entries[article.id][0] != now]
        dirty = np.zeros(len(self.articles), dtype=bool)
        dirty[changed] = True
        counts = last.get("counts", {})
        moved = {slug for slug in counts.keys() | self.counts.keys() if counts.get(slug) != self.counts.get(slug)}
        for slug in moved & self.by_keyword.keys():
            dirty[self.by_keyword[slug]] = True
        if changed:
            # Any shared keyword or topic scores at least 1, so 0.5 is "any" where fewer than limit were
            # found; the margin is over 9-place rounding (a sum added in another order may round the other way).
            floors = np.array([max(entries[article.id][2], 0.5) for article in self.articles]) - 1e-6
            for i in changed:
                dirty |= self.scores(self.articles[i]) >= floors
            changed_ids = {self.articles[i].id for i in changed}
            for i, article in enumerate(self.articles):
                dirty[i] |= not changed_ids.isdisjoint(entries[article.id][1])
        return {i: ([self.position[other] for other in entries[article.id][1]], float(entries[article.id][2]))
                for i, (article, moves) in enumerate(zip(self.articles, dirty.tolist())) if not moves}

    def memo(self, ranked: list[tuple[list[int], float]], limit: int) -> dict:
        """This render's related coverage (ranked: each article's best and floor) for the next render's
        reusable: each article's signature, its related articles' ids and its floor, and how many
        articles mention each keyword."""
        return {"limit": limit, "counts": self.counts,
                "articles": {article.id: [now, [self.articles[i].id for i in best], floor]
                             for article, now, (best, floor) in zip(self.articles, self.signatures, ranked)}}

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


def signature(article: Article) -> list:
    """What ranking related coverage reads of an article besides its id, as JSON keeps it."""
    return [article.date.iso, [k.slug for k in article.keywords], list(article.topics)]
