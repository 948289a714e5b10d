"""Choosing each article's keywords from YAKE's candidates, with what the whole corpus says about names and words."""
from __future__ import annotations

import collections
import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..intake.slugs import slugify
from ..model import Article, Keyword, KeywordRule
from ..parallel import map_in_order
from .extract import (KEYWORDS_PER_ARTICLE, ExtractionStats, TextReading, extract_candidates, keyword_slug, normal_word,
                      normalise, read_texts, stopwords, worker_count)
from .phrases import (GENERIC_MIN_ARTICLES, WORD, NameBook, TextNames, add_name_counts, contains_run, index_parts, is_capitalised, is_common_share,
                      is_cut_name, is_generic_word, shape_candidate, share_decides)


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
        return CorpusCounts.of(readings).words(articles)

    def facts(self) -> CorpusFacts:
        return CorpusFacts(self.book.modifiers, dict(self.book.by_last),
                           frozenset(word for word, share in self.shares.items() if is_common_share(share, self.articles)),
                           self.articles >= GENERIC_MIN_ARTICLES)


@dataclass(frozen=True)
class CorpusCounts:
    """CorpusWords as sums over the texts, so that an edit adds and takes away only its texts' share.

    followed, seen, printed: what NameBook is made of (phrases.add_name_counts); singles: texts
    offering each word as a one-word keyword; vocabulary: texts printing each word. A count taken
    down to zero counts as no entry (`settled` drops them).
    """

    followed: collections.Counter
    seen: collections.Counter
    printed: collections.Counter  # full name (a tuple of two words or more): times printed
    singles: collections.Counter
    vocabulary: collections.Counter

    @classmethod
    def of(cls, readings) -> CorpusCounts:
        counts = cls(*(collections.Counter() for _ in range(5)))
        for reading in readings:
            counts.add(reading)
        return counts

    def add(self, reading: TextReading, sign: int = 1) -> None:
        """Count one more text (sign -1: one fewer); the counter is changed in place."""
        add_name_counts(reading.names, self.followed, self.seen, self.printed, sign)
        for word in {normal_word(phrase.lower()) for phrase, _ in reading.candidates if " " not in phrase}:
            self.singles[word] += sign
        for word in set(reading.words.split()):
            self.vocabulary[word] += sign

    def copy(self) -> CorpusCounts:
        return CorpusCounts(*(collections.Counter(counter) for counter in (self.followed, self.seen, self.printed,
                                                                         self.singles, self.vocabulary)))

    def settled(self) -> CorpusCounts:
        """The same counts without the words no text counts any more (after taking texts away)."""
        return CorpusCounts(*(collections.Counter({key: n for key, n in counter.items() if n})
                              for counter in (self.followed, self.seen, self.printed, self.singles, self.vocabulary)))

    def words(self, articles: int) -> CorpusWords:
        shares = ({word: self.vocabulary[word] / articles for word, texts in self.singles.items() if texts}
                  if articles >= GENERIC_MIN_ARTICLES else {})
        return CorpusWords(NameBook.from_counts(self.followed, self.seen, self.printed), shares, articles)


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

    def __bool__(self) -> bool:
        return bool(self.named or self.common)

    def meet(self, other: FactWords) -> bool:
        return not (self.named.isdisjoint(other.named) and self.common.isdisjoint(other.common))


def looked_up(reading: TextReading) -> FactWords:
    """Every word choosing a text's keywords may look up in CorpusFacts: its candidates' and its names' words,
    as printed and normalised (shape_candidates and choose_keywords look up no other). Shares are
    looked up only for words is_generic_word cannot settle by their parts of speech, so a common word
    such as "today" crossing the share leaves every text that prints it alone."""
    printed: set[str] = set()
    for phrase, _score in reading.candidates:
        printed.update(WORD.findall(phrase))
    for run, name, _count in reading.names.runs:
        printed.update(run)
        printed.update(name)
    printed.update(token for token, _nouns, _count in reading.names.capitals)
    printed.update([word[:-1] for word in printed if word.endswith("s")])  # phrases.is_descriptive_phrase: "Russians"
    normal = {word: normal_word(word.lower().replace("’", "'")) for word in printed}
    return FactWords(frozenset(printed) | frozenset(normal.values()),
                     frozenset(normal[word] for word in printed if share_decides(word)))


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
