"""Keywords with YAKE: pinned settings, normalised so one idea is one keyword."""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import Candidates, KeywordCache
from ..model import Article, Keyword, KeywordRule
from .phrases import (GENERIC_MIN_ARTICLES, NameBook, is_common_share, TextNames, contains_run, find_names, index_parts,
                      is_capitalised, is_cut_name, is_generic_word, shape_candidate, share_decides,
                      warm_lexicon)
from ..parallel import default_workers, map_in_order
from ..progress import show_progress
from ..intake.slugs import slugify

# Changing any of these changes every article's keywords: they are part of the output's identity.
YAKE_SETTINGS = {"lan": "en", "n": 3, "dedup_lim": 0.9, "dedup_func": "seqm", "window_size": 1, "top": 100}
KEYWORDS_PER_ARTICLE = 10
# Words that end in -s but are not plurals (a short list is enough for news English).
NOT_PLURAL = frozenset("news series species us bus gas lens chaos crisis basis thesis analysis" " status campus census corpus virus bias atlas paris brussels mars texas kyiv ties".split())
TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# Bump when the cached value's meaning changes; it is part of every cache key.
CACHE_FORMAT = 1
# Below this many texts to extract, starting worker processes costs more than it saves.
PARALLEL_MIN = 16
# The same for the quick per-article steps (names, words, choosing, counting mentions: about 2 ms an article).
QUICK_PARALLEL_MIN = 500


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
        if text is not None and printed and all(is_capitalised(token) for token in printed) and is_cut_name(printed, text):
            continue
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
    return tuple(a if all(k.label == label[k.key] for k in a.keywords) else
                 dataclasses.replace(a, keywords=tuple(k if k.label == label[k.key] else dataclasses.replace(k, label=label[k.key])
                                                       for k in a.keywords))
                 for a in articles)


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


def worker_count(workers: int | None, texts_to_extract: int, articles: int) -> int:
    """Worker processes for a step: one, unless enough texts to extract or enough articles repay starting more."""
    workers = default_workers() if workers is None else workers
    return workers if texts_to_extract >= PARALLEL_MIN or articles >= QUICK_PARALLEL_MIN else 1


def extract_at(job: tuple[list[str], Callable], index: int) -> Candidates:
    texts, extract = job
    return extract(texts[index])


def extract_many(texts: list[str], extract=extract_candidates, workers: int | None = None, quiet: bool = False) -> list:
    """Candidates for every text, in order; across worker processes when there are enough texts."""
    count = len(texts)
    workers = worker_count(workers, count, 0)
    results = map_in_order(extract_at, (texts, extract), count, workers, extraction_chunk(count, workers))
    return list(show_progress(results, "Keywords", total=count, quiet=quiet))


def extraction_chunk(texts: int, workers: int) -> int:
    """Texts a worker takes at a time: small enough that the progress bar moves and the cache commits as it goes."""
    return max(1, min(32, texts // (workers * 8)))


@dataclass(frozen=True)
class TextReading:
    """What one text gives before the rest of the corpus is read: YAKE's candidates, its names, its words."""

    candidates: Candidates
    names: TextNames
    words: str  # the text's distinct words in keyword form, space-separated: cheap to send between processes


@dataclass(frozen=True)
class ReadingJob:
    """The texts to read, and which of them YAKE must extract (the others' candidates are in the cache)."""

    texts: list[str]
    to_extract: list[bool]
    extract: Callable[[str], Candidates]
    stop: frozenset[str]


def distinct_words(text: str) -> str:
    """The distinct words of a text as keywords hold them, space-separated, in order of first use."""
    return " ".join(dict.fromkeys(text_words(text)))


def read_text_at(job: ReadingJob, index: int) -> tuple[Candidates | None, TextNames, str]:
    """One text's candidates (when it must be extracted), names and distinct words: the work that needs no other text.

    Done in the extraction's worker processes, so it runs beside YAKE instead of after it.
    """
    text = job.texts[index]
    candidates = tuple(job.extract(text)) if job.to_extract[index] else None
    return candidates, find_names(text, job.stop), distinct_words(text)


def read_texts(texts: list[str], cache_file: Path | None, extract=extract_candidates, workers: int | None = None,
               quiet: bool = False, read_only: bool = False) -> tuple[list[TextReading], ExtractionStats]:
    """Read every text: candidates from the cache where an entry holds, extracted (and stored) otherwise.

    A text that appears twice is read once. read_only: use what the cache holds but write nothing
    (for `build.py check`).
    """
    unique = list(dict.fromkeys(texts))
    fingerprint = settings_fingerprint() if cache_file is not None else ""
    keys = [cache_key(text, fingerprint) for text in unique] if cache_file is not None else []
    with KeywordCache(cache_file, read_only=read_only) if cache_file is not None else contextlib.nullcontext() as cache:
        stored, rebuilt = cache.lookup(keys) if cache is not None else ({}, 0)
        cached = [stored.get(key) for key in keys] if cache is not None else [None] * len(unique)
        job = ReadingJob(unique, [candidates is None for candidates in cached], extract, stopwords())
        extracting = sum(job.to_extract)
        warm_lexicon()  # before the workers start, so each inherits it instead of loading its own
        workers = worker_count(workers, extracting, len(unique))
        results = map_in_order(read_text_at, job, len(unique), workers, extraction_chunk(len(unique), workers))
        readings: dict[str, TextReading] = {}
        for index, (extracted, names, words) in enumerate(show_progress(results, "Keywords", total=len(unique),
                                                                         quiet=quiet)):
            if extracted is not None and cache is not None:
                cache.store(keys[index], extracted)
            candidates = cached[index] if cached[index] is not None else extracted
            readings[unique[index]] = TextReading(candidates or (), names, words)
    was_cached = {text: candidates is not None for text, candidates in zip(unique, cached)}
    stats = ExtractionStats(cached=sum(was_cached[text] for text in texts), extracted=extracting, rebuilt=rebuilt)
    return [readings[text] for text in texts], stats


def add_keywords(articles: tuple[Article, ...], extract=extract_candidates, cache_file: Path | None = None,
                 workers: int | None = None, quiet: bool = True, read_only: bool = False,
                 rules: tuple[KeywordRule, ...] = ()) -> tuple[tuple[Article, ...], ExtractionStats]:
    """Extract each article's keywords from its cleaned text; return the articles and what the cache and extractor did."""
    texts = [article.clean_text for article in articles]
    readings, stats = read_texts(texts, cache_file, extract, workers, quiet, read_only)
    return choose_all_keywords(articles, texts, readings, KeywordRules(rules), workers), stats


@dataclass(frozen=True)
class CorpusWords:
    """What choosing an article's keywords reads of the whole corpus: the names it prints, and the share
    of texts holding each word that some text offers as a one-word keyword."""

    book: NameBook
    shares: dict[str, float]
    articles: int

    @classmethod
    def read(cls, readings: list[TextReading], articles: int) -> CorpusWords:
        book = NameBook([reading.names for reading in readings])
        singles = {normal_word(phrase.lower()) for reading in readings for phrase, _ in reading.candidates if " " not in phrase}
        shares = count_shares([reading.words for reading in readings], singles) if articles >= GENERIC_MIN_ARTICLES else {}
        return cls(book, shares, articles)

    def facts(self) -> CorpusFacts:
        return CorpusFacts(self.book.modifiers, dict(self.book.by_last),
                           frozenset(word for word, share in self.shares.items() if is_common_share(share, self.articles)),
                           self.articles >= GENERIC_MIN_ARTICLES)


@dataclass(frozen=True)
class CorpusFacts:
    """All that a choice of keywords can learn from CorpusWords, word by word: the modifiers, the full
    name each last word stands for, the words too common to be keywords alone."""

    modifiers: frozenset[str]
    by_last: dict[str, tuple[str, ...]]
    common: frozenset[str]
    counted: bool  # enough articles to count shares at all

    def changed_words(self, other: CorpusFacts) -> FactWords | None:
        """The words whose facts differ in other; None when every choice may differ."""
        if self.counted != other.counted:
            return None
        named = set(self.modifiers ^ other.modifiers)
        named.update(word for word in self.by_last.keys() | other.by_last.keys()
                     if self.by_last.get(word) != other.by_last.get(word))
        return FactWords(frozenset(named), frozenset(self.common ^ other.common))


@dataclass(frozen=True)
class FactWords:
    """Words by the facts of CorpusFacts they touch: names (modifiers, full names) and shares (too common)."""

    named: frozenset[str]
    common: frozenset[str]

    def meet(self, other: FactWords) -> bool:
        return not (self.named.isdisjoint(other.named) and self.common.isdisjoint(other.common))


def looked_up(reading: TextReading) -> FactWords:
    """Every word choosing a text's keywords may look up in CorpusFacts: its candidates' and its names' words,
    as printed and normalised (shape_candidates and choose_keywords look up no other). Shares are
    looked up only for words is_generic_word cannot settle by their parts of speech, so a common word
    such as "today" crossing the share leaves every text that prints it alone."""
    printed: set[str] = set()
    for phrase, _score in reading.candidates:
        printed.update(TOKEN.findall(phrase))
    for run, name, _count in reading.names.runs:
        printed.update(run)
        printed.update(name)
    printed.update(token for token, _nouns, _count in reading.names.capitals)
    printed.update([word[:-1] for word in printed if word.endswith("s")])  # phrases.is_descriptive_phrase: "Russians"
    named = printed | {normal_word(word.lower().replace("’", "'")) for word in printed}
    return FactWords(frozenset(named),
                     frozenset(normal_word(word.lower().replace("’", "'")) for word in printed if share_decides(word)))


@dataclass(frozen=True)
class Choosing:
    """What choosing one article's keywords needs besides its own text: the whole corpus's names and words."""

    texts: list[str]
    readings: list[TextReading]
    stop: frozenset[str]
    book: NameBook
    rules: KeywordRules
    shares: dict[str, float]
    positions: list[int]  # the articles to choose for


def choose_keywords_at(choosing: Choosing, task: int) -> tuple[Keyword, ...]:
    """The keywords of the article at the task's position."""
    index = choosing.positions[task]
    reading, text = choosing.readings[index], choosing.texts[index]
    shaped = shape_candidates(reading.candidates, choosing.stop, reading.names, choosing.book, choosing.rules.aliases, text)
    return choose_keywords(shaped, choosing.rules, choosing.shares, len(choosing.texts))


def choose_raw_keywords(texts: list[str], readings: list[TextReading], rules: KeywordRules, corpus: CorpusWords,
                        workers: int | None = None, known: dict[int, tuple[Keyword, ...]] | None = None) -> list[tuple[Keyword, ...]]:
    """Every text's keywords as chosen, before unify_labels; known: choices that still hold, by position."""
    known = known or {}
    positions = [index for index in range(len(texts)) if index not in known]
    choosing = Choosing(texts, readings, stopwords(), corpus.book, rules, corpus.shares, positions)
    chosen = dict(zip(positions, map_in_order(choose_keywords_at, choosing, len(positions),
                                              worker_count(workers, 0, len(positions)))))
    return [known[index] if index in known else chosen[index] for index in range(len(texts))]


def choose_all_keywords(articles, texts: list[str], readings: list[TextReading], rules: KeywordRules,
                        workers: int | None = None) -> tuple[Article, ...]:
    """Every article's keywords from its candidates, with the names the whole corpus prints."""
    chosen = choose_raw_keywords(texts, readings, rules, CorpusWords.read(readings, len(texts)), workers)
    return unify_labels(tuple(dataclasses.replace(article, keywords=keywords) for article, keywords in zip(articles, chosen)),
                        rules)


def text_words(text: str) -> list[str]:
    """The words of a text as keywords hold them, in order."""
    return [normal_word(token) for token in TOKEN.findall(text.lower().replace("’", "'"))]


def count_shares(vocabularies: list[str], words: set[str]) -> dict[str, float]:
    """The share of texts that hold each word, from each text's distinct words (space-separated)."""
    counts: collections.Counter = collections.Counter()
    for vocabulary in vocabularies:
        counts.update(words.intersection(vocabulary.split()))
    return {word: counts[word] / len(vocabularies) for word in words}


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
