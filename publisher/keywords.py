"""Keywords with YAKE: pinned settings, normalised so one idea is one keyword."""
from __future__ import annotations

import collections
import dataclasses
import functools
import re

from .model import Article, Keyword
from .slugs import slugify

# Changing any of these changes every article's keywords: they are part of the output's identity.
YAKE_SETTINGS = {"lan": "en", "n": 3, "dedup_lim": 0.9, "dedup_func": "seqm", "window_size": 1, "top": 40}
KEYWORDS_PER_ARTICLE = 10
# Words that end in -s but are not plurals (a short list is enough for news English).
NOT_PLURAL = frozenset("news series species us bus gas lens chaos crisis basis thesis analysis" " status campus census corpus virus bias atlas paris brussels mars texas kyiv ties".split())
TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


@functools.lru_cache(maxsize=1)
def _extractor():
    import yake  # imported late: it pulls in numpy, which a `check` run does not need

    return yake.KeywordExtractor(**YAKE_SETTINGS)


def stopwords() -> frozenset[str]:
    return frozenset(_extractor().stopword_set)


def extract_candidates(text: str) -> tuple[tuple[str, float], ...]:
    """YAKE's candidates for one text, best first (lowest score), ties broken by phrase."""
    if not text.strip():
        return ()
    found = _extractor().extract_keywords(text)
    return tuple(sorted(((phrase, float(score)) for phrase, score in found), key=lambda c: (c[1], c[0])))


def singular(word: str) -> str:
    """A plain English singular, good enough to merge 'sanctions' with 'sanction'."""
    if len(word) <= 3 or word in NOT_PLURAL or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def normalise(phrase: str) -> tuple[str, ...]:
    """Lowercase, singular tokens: the identity of a keyword."""
    return tuple(singular(token) for token in TOKEN.findall(phrase.lower().replace("’", "'")))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def _overlaps(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """One phrase holds the other, or they share two words ("dictator Alexander Lukashenko", "Alexander Lukashenko sat")."""
    return _contains(one, other) or _contains(other, one) or len(set(one) & set(other)) >= 2


def select_keywords(candidates, stop: frozenset[str], limit: int = KEYWORDS_PER_ARTICLE) -> tuple[Keyword, ...]:
    """Keep the best candidates that hold no stop word or number and overlap no keyword already kept."""
    kept: list[tuple[tuple[str, ...], str]] = []
    for phrase, _score in candidates:
        tokens = normalise(phrase)
        # A stop word inside a phrase marks a fragment of a clause ("measures to crack"), not a term.
        if not tokens or any(token in stop for token in tokens):
            continue
        if any(token.isdigit() or len(token) < 2 for token in tokens):
            continue
        if any(_overlaps(tokens, other) for other, _ in kept):
            continue
        kept.append((tokens, phrase.strip()))
        if len(kept) == limit:
            break
    result = []
    for tokens, label in kept:
        slug = slugify(" ".join(tokens))
        if slug and all(k.slug != slug for k in result):
            result.append(Keyword(key=slug, label=label, slug=slug))
    return tuple(result)


def unify_labels(articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Give each keyword one label across the corpus: its most frequent spelling."""
    spellings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for article in articles:
        for keyword in article.keywords:
            spellings[keyword.key][keyword.label] += 1
    label = {key: min(counter.items(), key=lambda item: (-item[1], item[0]))[0] for key, counter in spellings.items()}
    return tuple(
        dataclasses.replace(a, keywords=tuple(dataclasses.replace(k, label=label[k.key]) for k in a.keywords))
        for a in articles
    )


def add_keywords(articles: tuple[Article, ...], extract=extract_candidates) -> tuple[Article, ...]:
    """Extract each article's keywords from its cleaned text."""
    stop = stopwords()
    enriched = tuple(
        dataclasses.replace(article, keywords=select_keywords(extract(article.clean_text), stop))
        for article in articles
    )
    return unify_labels(enriched)
