"""Keywords with YAKE: pinned settings, normalised so one idea is one keyword."""
from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .keyword_cache import KeywordCache
from .model import Article, Keyword, KeywordRule
from .phrases import (GENERIC_MIN_ARTICLES, NameBook, TextNames, contains_run, find_names, index_parts,
                      is_generic_word, shape_candidate)
from .progress import show_progress
from .slugs import slugify

# Changing any of these changes every article's keywords: they are part of the output's identity.
YAKE_SETTINGS = {"lan": "en", "n": 3, "dedup_lim": 0.9, "dedup_func": "seqm", "window_size": 1, "top": 40}
KEYWORDS_PER_ARTICLE = 10
# Words that end in -s but are not plurals (a short list is enough for news English).
NOT_PLURAL = frozenset("news series species us bus gas lens chaos crisis basis thesis analysis" " status campus census corpus virus bias atlas paris brussels mars texas kyiv ties".split())
TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# Bump when the cached value's meaning changes; it is part of every cache key.
CACHE_FORMAT = 1
# Below this many texts to extract, starting worker processes costs more than it saves.
PARALLEL_MIN = 16


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


@functools.lru_cache(maxsize=200_000)
def normalise(phrase: str) -> tuple[str, ...]:
    """Lowercase, singular tokens without a possessive 's: the identity of a keyword."""
    return tuple(normal_word(token) for token in TOKEN.findall(phrase.lower().replace("’", "'")))


@functools.lru_cache(maxsize=200_000)
def keyword_slug(words: str) -> str:
    """slugify, remembered: the same phrases come back in text after text."""
    return slugify(words)


@functools.lru_cache(maxsize=500_000)
def normal_word(token: str) -> str:
    """One lowercase token as a keyword holds it: singular, without a possessive 's."""
    return singular(token[:-2] if token.endswith("'s") else token)


def _overlaps(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """One phrase holds the other, or they share two words ("dictator Alexander Lukashenko", "Alexander Lukashenko sat")."""
    return contains_run(one, other) or contains_run(other, one) or len(set(one) & set(other)) >= 2


@dataclass(frozen=True)
class Shaped:
    """A candidate made into a keyword: its identity, how it reads, and the keyword it was before."""

    tokens: tuple[str, ...]
    label: str
    slug: str
    former: str  # the slug YAKE's phrase alone would have had


def shape_candidates(candidates, stop: frozenset[str], names: TextNames, book: NameBook, aliases: dict[str, str],
                     text: str | None = None):
    """Yield each candidate as a name or noun phrase, best first; fragments, stop words and numbers dropped.

    With the text, a candidate it does not print word for word is dropped: YAKE joins words across
    a possessive or a comma ("country citizens" from "the country's citizens terrorize").
    A generator: choosing stops after ten keywords, and shaping the rest would be wasted.
    """
    index = None
    printed_text = " ".join(text.split()).lower() if text is not None else None
    for phrase, _score in candidates:
        tokens = normalise(phrase)
        if not tokens or any(token.isdigit() or len(token) < 2 for token in tokens):
            continue
        if printed_text is not None and phrase.lower() not in printed_text:
            continue
        index = index_parts(names) if index is None else index
        printed = shape_candidate(phrase, names, book, index)
        key = normalise(" ".join(printed))
        # A stop word inside a phrase marks a fragment of a clause ("measures to crack"), not a term.
        if not key or any(token in stop or token.isdigit() or len(token) < 2 for token in key):
            continue
        slug = keyword_slug(" ".join(key))
        if slug in aliases:
            slug = aliases[slug]
            key = tuple(slug.split("-"))
        yield Shaped(key, " ".join(printed), slug, keyword_slug(" ".join(tokens)))


def select_keywords(candidates, stop: frozenset[str], limit: int = KEYWORDS_PER_ARTICLE, names: TextNames | None = None,
                    book: NameBook | None = None, rules: KeywordRules | None = None,
                    shares: dict[str, float] | None = None, articles: int = 0, text: str | None = None) -> tuple[Keyword, ...]:
    """The best names and noun phrases among the candidates: no generic word, none overlapping one kept."""
    rules = rules or KeywordRules()
    shaped = shape_candidates(candidates, stop, names or TextNames(), book or NameBook(()), rules.aliases, text)
    return choose_keywords(shaped, rules, shares or {}, articles, limit)


def choose_keywords(shaped, rules: KeywordRules, shares: dict[str, float], articles: int,
                    limit: int = KEYWORDS_PER_ARTICLE) -> tuple[Keyword, ...]:
    """Keep the first shaped candidates that are not hidden, generic or overlapping a keyword kept.

    Each keyword remembers the phrases that became it on the way (their old pages redirect to it).
    """
    kept: list[Shaped] = []
    former: dict[str, set[str]] = collections.defaultdict(set)
    for candidate in shaped:
        if not candidate.slug or candidate.slug in rules.hidden:
            continue
        former[candidate.slug].add(candidate.former)
        if len(candidate.tokens) == 1 and candidate.slug not in rules.labels and \
                is_generic_word(candidate.label, shares.get(candidate.tokens[0], 0.0), articles):
            continue
        if any(_overlaps(candidate.tokens, other.tokens) for other in kept):
            continue
        kept.append(candidate)
        if len(kept) == limit:
            break
    return tuple(Keyword(key=c.slug, label=rules.labels.get(c.slug, c.label), slug=c.slug,
                         former=tuple(sorted(former[c.slug] - {c.slug}))) for c in kept)


def unify_labels(articles: tuple[Article, ...], rules: KeywordRules | None = None) -> tuple[Article, ...]:
    """Give each keyword one label across the corpus: the registry's, else its most frequent spelling."""
    fixed = rules.labels if rules else {}
    spellings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for article in articles:
        for keyword in article.keywords:
            spellings[keyword.key][keyword.label] += 1
    label = {key: fixed.get(key) or min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
             for key, counter in spellings.items()}
    return tuple(
        dataclasses.replace(a, keywords=tuple(dataclasses.replace(k, label=label[k.key]) for k in a.keywords))
        for a in articles
    )


@dataclass(frozen=True)
class ExtractionStats:
    """What one keyword stage did: texts served from the cache, texts extracted, bad entries replaced."""

    cached: int = 0
    extracted: int = 0
    rebuilt: int = 0


def settings_fingerprint() -> str:
    """Identify everything besides the text that decides YAKE's candidates."""
    from importlib.metadata import version

    identity = {"format": CACHE_FORMAT, "yake": version("yake"), "settings": YAKE_SETTINGS}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def cache_key(text: str, fingerprint: str) -> str:
    """The cache entry's name: the hash of the extraction settings and the text."""
    return hashlib.sha256(f"{fingerprint}\n{text}".encode("utf-8")).hexdigest()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_many(texts: list[str], extract=extract_candidates, workers: int | None = None, quiet: bool = False) -> list:
    """Candidates for every text, in order; across worker processes when there are enough texts."""
    return list(iterate_extraction(texts, extract, workers, quiet))


def iterate_extraction(texts: list[str], extract=extract_candidates, workers: int | None = None, quiet: bool = False):
    """Yield the candidates of every text, in order, as they are ready.

    The pool hands back results in input order and YAKE is deterministic, so the output is the
    same as a serial run's.
    """
    if not texts:
        return
    workers = default_workers() if workers is None else workers
    with frozen_heap():
        if workers <= 1 or len(texts) < PARALLEL_MIN:
            yield from (extract(text) for text in show_progress(texts, "Keywords", quiet=quiet))
            return
        chunk = max(1, min(32, len(texts) // (workers * 8)))
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            yield from show_progress(pool.map(extract, texts, chunksize=chunk), "Keywords", total=len(texts),
                                     quiet=quiet)


@contextlib.contextmanager
def frozen_heap():
    """Keep the garbage collector off the objects that exist now (the corpus) while YAKE runs.

    YAKE allocates heavily, so collections are frequent; each full one would walk the whole corpus,
    and in a forked worker would also copy every page it touches (gc.freeze's documented use before
    fork). With it, the benchmark's cold keyword stage at 10,000 articles took 203 s instead of 284 s.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def extract_cached(texts: list[str], cache_file: Path | None, extract=extract_candidates,
                   workers: int | None = None, quiet: bool = False,
                   read_only: bool = False) -> tuple[list, ExtractionStats]:
    """Candidates for every text: from the cache where an entry holds, extracted (and stored) otherwise.

    read_only: use what the cache holds but write nothing (for `build.py check`).
    """
    if cache_file is None:
        return extract_many(texts, extract, workers, quiet), ExtractionStats(extracted=len(texts))
    fingerprint = settings_fingerprint()
    keys = [cache_key(text, fingerprint) for text in texts]
    with KeywordCache(cache_file, read_only=read_only) as cache:
        results, rebuilt = cache.lookup(dict.fromkeys(keys))
        missing = {key: text for key, text in zip(keys, texts) if key not in results}
        for key, candidates in zip(missing, iterate_extraction(list(missing.values()), extract, workers, quiet)):
            cache.store(key, candidates)
            results[key] = tuple(candidates)
    stats = ExtractionStats(cached=sum(1 for key in keys if key not in missing), extracted=len(missing), rebuilt=rebuilt)
    return [results[key] for key in keys], stats


def add_keywords(articles: tuple[Article, ...], extract=extract_candidates, cache_file: Path | None = None,
                 workers: int | None = None, quiet: bool = True, read_only: bool = False,
                 rules: tuple[KeywordRule, ...] = ()) -> tuple[tuple[Article, ...], ExtractionStats]:
    """Extract each article's keywords from its cleaned text; return the articles and what the cache and extractor did."""
    stop = stopwords()
    texts = [article.clean_text for article in articles]
    found, stats = extract_cached(texts, cache_file, extract, workers, quiet, read_only)
    return choose_all_keywords(articles, texts, found, stop, KeywordRules(rules)), stats


def choose_all_keywords(articles, texts: list[str], found: list, stop: frozenset[str],
                        rules: KeywordRules) -> tuple[Article, ...]:
    """Every article's keywords from its candidates, with the names the whole corpus prints."""
    names = [find_names(text, stop) for text in texts]
    book = NameBook(names)
    singles = {normal_word(phrase.lower()) for candidates in found for phrase, _ in candidates if " " not in phrase}
    shares = count_shares(texts, singles) if len(texts) >= GENERIC_MIN_ARTICLES else {}
    return unify_labels(tuple(
        dataclasses.replace(article, keywords=choose_keywords(
            shape_candidates(candidates, stop, text_names, book, rules.aliases, text), rules, shares, len(texts)))
        for article, text, candidates, text_names in zip(articles, texts, found, names)), rules)


def text_words(text: str) -> list[str]:
    """The words of a text as keywords hold them, in order."""
    return [normal_word(token) for token in TOKEN.findall(text.lower().replace("’", "'"))]


def count_shares(texts: list[str], words: set[str]) -> dict[str, float]:
    """The share of texts that hold each word."""
    counts: collections.Counter = collections.Counter()
    for text in texts:
        present = {normal_word(token) for token in set(TOKEN.findall(text.lower().replace("’", "'")))}
        counts.update(words & present)
    return {word: counts[word] / len(texts) for word in words}


class KeywordRules:
    """The maintainers' keyword registry as lookups: aliases to keys, labels, hidden keys."""

    def __init__(self, rules: tuple[KeywordRule, ...] = ()):
        self.rules = rules
        self.labels = {rule.key: rule.label for rule in rules if rule.label}
        self.hidden = frozenset(rule.key for rule in rules if rule.hidden)
        self.aliases = {alias_slug(alias): rule.key for rule in rules for alias in rule.aliases}


def alias_slug(phrase: str) -> str:
    """The slug a phrase would have as a keyword."""
    return slugify(" ".join(normalise(phrase)))
