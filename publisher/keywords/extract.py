"""Keywords with YAKE: pinned settings, candidates read from each text (through the cache), normalised
so one idea is one keyword; choose.py makes them into each article's keywords."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..intake.slugs import slugify
from ..parallel import default_workers, map_in_order
from ..progress import show_progress
from .cache import Candidates, KeywordCache
from .phrases import WORD, TextNames, find_names, warm_lexicon

# Changing any of these changes every article's keywords: they are part of the output's identity.
YAKE_SETTINGS = {"lan": "en", "n": 3, "dedup_lim": 0.9, "dedup_func": "seqm", "window_size": 1, "top": 100}
KEYWORDS_PER_ARTICLE = 10
# Words that end in -s but are not plurals (a short list is enough for news English).
NOT_PLURAL = frozenset("news series species us bus gas lens chaos crisis basis thesis analysis" " status campus census corpus virus bias atlas paris brussels mars texas kyiv ties".split())
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
    return tuple(normal_word(token) for token in WORD.findall(phrase.lower().replace("’", "'")))


@functools.lru_cache(maxsize=200_000)
def keyword_slug(words: str) -> str:
    """slugify, remembered: the same phrases come back in text after text."""
    return slugify(words)


@functools.lru_cache(maxsize=500_000)
def normal_word(token: str) -> str:
    """One lowercase token as a keyword holds it: singular, without a possessive 's."""
    return singular(token[:-2] if token.endswith("'s") else token)


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


# Separators of packed readings: control characters no text can hold (intake refuses them in seeds).
_FIELD, _ITEM, _PART, _HALF = "\x1f", "\x1e", "\x1d", "\x1c"


@dataclass(frozen=True, slots=True)
class TextReading:
    """What one text gives before the rest of the corpus is read: YAKE's candidates, its names, its words.

    Every text's reading is held at once while keywords are chosen. As objects, a text's hundred
    candidates and its names cost about 45 KB (141 MB at 3,000 articles, gigabytes at 100,000);
    each is kept packed in one string instead, and unpacked where it is read.
    """

    packed_candidates: str
    packed_names: str
    words: str  # the text's distinct words in keyword form, space-separated: cheap to send between processes

    @classmethod
    def of(cls, candidates: Candidates, names: TextNames, words: str) -> TextReading:
        return cls(pack_candidates(candidates), pack_names(names), words)

    @property
    def candidates(self) -> Candidates:
        packed = self.packed_candidates
        return tuple((phrase, float(score)) for phrase, score in (item.split(_FIELD) for item in packed.split(_ITEM))) if packed else ()

    @property
    def names(self) -> TextNames:
        runs, capitals = self.packed_names.split(_HALF)
        return TextNames(tuple((_tokens(run), _tokens(name), int(count)) for run, name, count in _items(runs)),
                         tuple((word, int(nouns), int(count)) for word, nouns, count in _items(capitals)))


def pack_candidates(candidates: Candidates) -> str:
    return _ITEM.join(f"{phrase}{_FIELD}{score!r}" for phrase, score in candidates)  # repr: the float comes back exactly


def pack_names(names: TextNames) -> str:
    runs = _ITEM.join(f"{_PART.join(run)}{_FIELD}{_PART.join(name)}{_FIELD}{count}" for run, name, count in names.runs)
    capitals = _ITEM.join(f"{word}{_FIELD}{nouns}{_FIELD}{count}" for word, nouns, count in names.capitals)
    return f"{runs}{_HALF}{capitals}"


def _items(packed: str) -> list[list[str]]:
    return [item.split(_FIELD) for item in packed.split(_ITEM)] if packed else []


def _tokens(packed: str) -> tuple[str, ...]:
    return tuple(packed.split(_PART)) if packed else ()  # a name's tokens are words (phrases.WORD): none is empty


@dataclass(frozen=True)
class ReadingJob:
    """The texts to read (by position in texts), and which of them YAKE must extract (the others' candidates are in the cache)."""

    texts: list[str]
    positions: list[int]
    to_extract: list[bool]
    extract: Callable[[str], Candidates]
    stop: frozenset[str]


def distinct_words(text: str) -> str:
    """The distinct words of a text as keywords hold them, space-separated, in order of first use."""
    return " ".join(dict.fromkeys(text_words(text)))


def read_text_at(job: ReadingJob, task: int) -> tuple[Candidates | None, TextNames, str]:
    """One text's candidates (when it must be extracted), names and distinct words: the work that needs no other text.

    Done in the extraction's worker processes, so it runs beside YAKE instead of after it.
    """
    index = job.positions[task]
    text = job.texts[index]
    candidates = tuple(job.extract(text)) if job.to_extract[index] else None
    return candidates, find_names(text, job.stop), distinct_words(text)


def read_texts(texts: list[str], cache_file: Path | None, extract=extract_candidates, workers: int | None = None,
               quiet: bool = False, read_only: bool = False, code: str = "") -> tuple[list[TextReading], ExtractionStats]:
    """Read every text: candidates from the cache where an entry holds, extracted (and stored) otherwise.

    A text that appears twice is read once. read_only: use what the cache holds but write nothing
    (for `build.py check`). code: the digest of the code that finds names and words (stage.code_digest);
    with it, a text whose names and words that code stored is not read again, and the others' are stored.
    """
    unique = list(dict.fromkeys(texts))
    fingerprint = settings_fingerprint() if cache_file is not None else ""
    keys = [cache_key(text, fingerprint) for text in unique] if cache_file is not None else []
    with KeywordCache(cache_file, read_only=read_only) if cache_file is not None else contextlib.nullcontext() as cache:
        stored, rebuilt = cache.lookup(keys) if cache is not None else ({}, 0)
        # Packed at once: every text's cached candidates as objects would cost more than all the readings.
        cached: list[str | None] = ([None if stored.get(key) is None else pack_candidates(stored.pop(key)) for key in keys]
                                    if cache is not None else [None] * len(unique))
        known = cache.lookup_readings(keys, code) if cache is not None and code else {}
        to_read = [i for i in range(len(unique)) if cached[i] is None or keys[i] not in known]
        job = ReadingJob(unique, to_read, [candidates is None for candidates in cached], extract, stopwords())
        extracting = sum(job.to_extract)
        warm_lexicon()  # before the workers start, so each inherits it instead of loading its own
        workers = worker_count(workers, extracting, len(to_read))
        results = map_in_order(read_text_at, job, len(to_read), workers, extraction_chunk(len(to_read), workers))
        readings: dict[str, TextReading] = {}
        for index, (extracted, names, words) in zip(to_read, show_progress(results, "Keywords", total=len(to_read),
                                                                            quiet=quiet)):
            if extracted is not None and cache is not None:
                cache.store(keys[index], extracted)
            hit = cached[index]
            reading = TextReading(hit if hit is not None else pack_candidates(extracted or ()), pack_names(names), words)
            if cache is not None and code:
                cache.store_reading(keys[index], code, reading.packed_names, reading.words)
            readings[unique[index]] = reading
        for index, key in enumerate(keys):
            if unique[index] not in readings:
                readings[unique[index]] = TextReading(cached[index] or "", *known[key])
    was_cached = {text: candidates is not None for text, candidates in zip(unique, cached)}
    stats = ExtractionStats(cached=sum(was_cached[text] for text in texts), extracted=extracting, rebuilt=rebuilt)
    return [readings[text] for text in texts], stats


def stored_readings(keys: list[str], cache_file: Path, code: str) -> list[TextReading] | None:
    """The readings the cache holds for keys (cache_key), in order, as the code whose digest is code read
    them; None if any is missing."""
    with KeywordCache(cache_file, read_only=True) as cache:
        candidates, _bad = cache.lookup(keys)
        known = cache.lookup_readings(keys, code)
    if not all(key in candidates and key in known for key in keys):
        return None
    return [TextReading(pack_candidates(candidates[key]), *known[key]) for key in keys]


def text_words(text: str) -> list[str]:
    """The words of a text as keywords hold them, in order."""
    return [normal_word(token) for token in WORD.findall(text.lower().replace("’", "'"))]


