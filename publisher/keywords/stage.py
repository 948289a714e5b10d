"""The keyword stage, with a memo of its last run, so that a rebuild does again only what an edit touches.

Choosing an article's keywords reads the whole corpus (the names every text prints, the share of
texts holding each word), so one changed text can change any article's keywords. What the memo spares:

- a rebuild whose texts and keyword rules are the last run's (a metadata edit) takes the last
  keywords and mention counts as they are, and only assembles the index again (dates order it);
- otherwise an article's keywords are chosen again only if its text changed or a fact of the
  corpus it may look up changed (keywords.CorpusFacts: a modifier, a last word's full name, a word
  becoming or ceasing to be too common; keywords.looked_up lists the words it may look up);
- and a text's mentions are counted again only if the text changed or it holds the first word of
  a phrase that was added, dropped or now names another keyword.

The corpus-wide facts are sums over the texts (choose.CorpusCounts), kept in the memo: an edit
takes the old texts' counts out (their names and words as the keyword cache stored them) and puts
the new ones in, so it reads only the texts it changed, and those an unchanged text's test
(`may_print`) cannot rule out: a text that does not hold a changed fact's word, or a changed
phrase's first word, keeps its keywords and counts unread.
A memo is a convenience, never a source of truth: anything unreadable, of another shape or made by
other code is ignored, and the stage runs in full.
"""
from __future__ import annotations

import collections
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..build.fingerprint import code_fingerprint
from ..build.memo import checked_text, read_plain_file, replace_memo
from ..model import Article, Keyword, KeywordEntry, KeywordRule
from ..parallel import collector_paused
from .choose import (CorpusCounts, CorpusFacts, CorpusWords, KeywordRules, choose_raw_keywords, looked_up,
                     unify_labels)
from .extract import ExtractionStats, TextReading, cache_key, read_texts, settings_fingerprint, stored_readings
from .index import assemble_index, count_all_mentions, index_phrases, keep_named

FORMAT = 3  # 3: the corpus's counts; texts by their keyword cache key
# What the stage's code is: this package's sources and the tools whose upgrades change keywords.


@dataclass(frozen=True)
class ArticleMemo:
    text: str  # the text's key in the keyword cache (extract.cache_key)
    keywords: tuple[Keyword, ...]  # as chosen, before unify_labels
    counts: dict[str, int]  # keyword slug: how often the text names it


@dataclass(frozen=True)
class KeywordMemo:
    stage: str  # the stage key the keywords were chosen under
    articles: dict[str, ArticleMemo]
    phrases: dict[tuple[str, ...], str]  # the phrase table the counts were made with
    rules: str  # the keyword rules' digest
    facts: CorpusFacts  # what the corpus said when they were chosen
    counts: CorpusCounts  # what it is made of


@dataclass(frozen=True)
class KeywordStage:
    """What the stage gives: the articles with their keywords, the keyword index, and what the cache did."""

    articles: tuple[Article, ...]
    index: tuple[KeywordEntry, ...]
    extraction: ExtractionStats
    rules: tuple[KeywordRule, ...] = ()  # the keyword rules they were chosen under


def run_keyword_stage(articles: tuple[Article, ...], rules: tuple[KeywordRule, ...], cache_file: Path | None,
                      memo_file: Path | None, quiet: bool = True, read_only: bool = False,
                      workers: int | None = None, last: KeywordStage | None = None) -> KeywordStage:
    """Every article's keywords and the keyword index, as add_keywords and index_keywords make them.

    With a memo file, the last run's work is reused where its inputs are unchanged, and the memo
    is replaced by this run's (unless read_only, for `check`, which writes nothing). last (this
    stage's result, which the preview keeps in memory) is taken whole, its index the very same
    object, when the rules and every article's id, clean text and date are the same: nothing else
    shapes keywords or the index.
    """
    if last is not None and last.rules == rules and [(a.id, a.clean_text, a.date) for a in articles] == [
            (a.id, a.clean_text, a.date) for a in last.articles]:
        kept = tuple(dataclasses.replace(article, keywords=old.keywords) for article, old in zip(articles, last.articles))
        return KeywordStage(kept, last.index, ExtractionStats(cached=len(articles)), rules)
    texts = [article.clean_text for article in articles]
    fingerprint = settings_fingerprint()
    digests = [cache_key(text, fingerprint) for text in texts]
    code = code_digest(fingerprint)
    key = stage_key(code, rules, [(article.id, digest) for article, digest in zip(articles, digests)])
    memo = read_memo(memo_file, code) if memo_file is not None else None
    keyword_rules = KeywordRules(rules)
    if memo is not None and memo.stage == key and all(article.id in memo.articles for article in articles):
        kept = unify_labels(tuple(dataclasses.replace(article, keywords=memo.articles[article.id].keywords)
                                  for article in articles), keyword_rules)
        counts = [collections.Counter(memo.articles[article.id].counts) for article in articles]
        kept = keep_named(kept, counts)
        return KeywordStage(kept, assemble_index(kept, counts, keyword_rules), ExtractionStats(cached=len(articles)), rules)
    rules_key = rules_digest(rules)
    read = None
    if memo is not None and memo.rules == rules_key and cache_file is not None:
        read = read_changed(articles, texts, digests, memo, cache_file, code, workers, quiet, read_only)
    if read is None:
        readings, stats = read_texts(texts, cache_file, workers=workers, quiet=quiet, read_only=read_only, code=code)
        sums = CorpusCounts.of(readings)
        read = CorpusRead(list(readings), stats, sums, sums.words(len(texts)))
    facts = read.corpus.facts()
    raw = choose_raw_keywords(texts, read.readings, keyword_rules, read.corpus, workers,  # type: ignore[arg-type]  # None: not chosen again
                              chosen_before(articles, digests, read.readings, facts, rules_key, memo))
    chosen = unify_labels(tuple(dataclasses.replace(article, keywords=keywords) for article, keywords in zip(articles, raw)),
                          keyword_rules)
    phrases = index_phrases(chosen, keyword_rules)
    counts = count_all_mentions(chosen, phrases, counted_before(chosen, digests, read.readings, phrases, memo), workers)
    if memo_file is not None and not read_only:
        write_memo(memo_file, code, KeywordMemo(
            key, {article.id: ArticleMemo(digest, keywords, dict(count))
                  for article, digest, keywords, count in zip(articles, digests, raw, counts)}, phrases, rules_key, facts,
            read.counts))
    chosen = keep_named(chosen, counts)
    return KeywordStage(chosen, assemble_index(chosen, counts, keyword_rules), read.stats, rules)


@dataclass(frozen=True)
class CorpusRead:
    """The texts a run read, the corpus's counts, and what they say (the name book: made once, it reads the lexicon)."""

    readings: list[TextReading | None]  # None: a text left unread, whose keywords and counts stand
    stats: ExtractionStats
    counts: CorpusCounts
    corpus: CorpusWords


def read_changed(articles: tuple[Article, ...], texts: list[str], digests: list[str], memo: KeywordMemo,
                 cache_file: Path, code: str, workers: int | None, quiet: bool, read_only: bool) -> CorpusRead | None:
    """Read only the texts that changed since the memo's run, and those a changed fact may reach;
    None when the cache lacks an old text's reading or every choice may differ (then all are read)."""
    ids = {article.id for article in articles}
    changed = [i for i, (article, digest) in enumerate(zip(articles, digests))
               if article.id not in memo.articles or memo.articles[article.id].text != digest]
    old_keys = [entry.text for article_id, entry in memo.articles.items() if article_id not in ids]
    old_keys += [memo.articles[articles[i].id].text for i in changed if articles[i].id in memo.articles]
    old = stored_readings(old_keys, cache_file, code)
    if old is None:
        return None
    new, stats = read_texts([texts[i] for i in changed], cache_file, workers=workers, quiet=quiet, read_only=read_only, code=code)
    counts = memo.counts.copy()
    for reading in old:
        counts.add(reading, -1)
    for reading in new:
        counts.add(reading)
    counts = counts.settled()
    corpus = counts.words(len(articles))
    facts_changed = memo.facts.changed_words(corpus.facts())
    if facts_changed is None:
        return None
    readings: list[TextReading | None] = [None] * len(articles)
    for i, reading in zip(changed, new):
        readings[i] = reading
    if facts_changed:
        reached = [i for i in range(len(articles)) if readings[i] is None
                   and may_print(texts[i], facts_changed.named | facts_changed.common)]
        more, more_stats = read_texts([texts[i] for i in reached], cache_file, workers=workers, quiet=True,
                                      read_only=read_only, code=code)
        for i, reading in zip(reached, more):
            readings[i] = reading
        stats = ExtractionStats(stats.cached + more_stats.cached, stats.extracted + more_stats.extracted,
                                stats.rebuilt + more_stats.rebuilt)
    unread = sum(reading is None for reading in readings)  # served from the memo, as a metadata edit's are
    return CorpusRead(readings, dataclasses.replace(stats, cached=stats.cached + unread), counts, corpus)


def may_print(text: str, words) -> bool:
    """Whether text may print one of words in any form keywords read (so, whether its reading must be looked at).

    Every form of a word keywords read (as printed, lowercased, in keyword form: extract.normal_word
    drops or changes only a word's last letters, "countries" -> "country") shares all but its last
    letter with a word of the text, lowercased with ’ as '. A text without that stem cannot print
    the word. (lower() maps letter by letter but for a final sigma, the letter the test leaves out.)
    """
    stems = {word.lower().replace("’", "'")[:-1] for word in words}
    if not stems:
        return False
    if "" in stems:
        return True
    lowered = text.lower().replace("’", "'")
    return any(stem in lowered for stem in stems)


def chosen_before(articles: tuple[Article, ...], digests: list[str], readings, facts: CorpusFacts, rules_key: str,
                  memo: KeywordMemo | None) -> dict[int, tuple[Keyword, ...]]:
    """The last run's choices that still hold, by position: same text, same rules, and no fact the
    choice may have looked up (keywords.looked_up) changed. A text left unread (reading None) is
    one no changed fact reaches (read_changed)."""
    if memo is None or memo.rules != rules_key:
        return {}
    changed = memo.facts.changed_words(facts)
    if changed is None:
        return {}
    known = {}
    for i, (article, digest, reading) in enumerate(zip(articles, digests, readings)):
        last = memo.articles.get(article.id)
        if last is not None and last.text == digest and (not changed or reading is None or not changed.meet(looked_up(reading))):
            known[i] = last.keywords
    return known


def rules_digest(rules) -> str:
    return hashlib.sha256(repr(rules).encode("utf-8")).hexdigest()


def counted_before(articles: tuple[Article, ...], digests: list[str], readings, phrases: dict[tuple[str, ...], str],
                   memo: KeywordMemo | None) -> dict[int, collections.Counter]:
    """The last run's mention counts that still hold, by position: same text, and no phrase it could hold changed.

    count_mentions looks phrases up by the word at each position of a text, so a phrase added,
    dropped or pointing at another keyword can change only a text that holds its first word
    (for a text left unread, one that may_print it).
    """
    if memo is None:
        return {}
    changed = {phrase[0].lower() for phrase in memo.phrases.keys() | phrases.keys()
               if phrase and memo.phrases.get(phrase) != phrases.get(phrase)}
    known = {}
    for i, (article, digest, reading) in enumerate(zip(articles, digests, readings)):
        last = memo.articles.get(article.id)
        if last is None or last.text != digest:
            continue
        if changed.isdisjoint(reading.words.split(" ")) if reading is not None else not may_print(article.clean_text, changed):
            known[i] = collections.Counter(last.counts)
    return known


def code_digest(fingerprint: str) -> str:
    """The code that shapes keywords: the code's one fingerprint (fingerprint.py), this memo's format, YAKE's settings."""
    return hashlib.sha256(f"{FORMAT}\0{fingerprint}\0{code_fingerprint()}".encode()).hexdigest()


def stage_key(code: str, rules, ids_and_texts: list[tuple[str, str]]) -> str:
    """What every article's keywords are made of: the code, the keyword rules, each article's id and text digest."""
    digest = hashlib.sha256(f"{code}\0{rules!r}".encode("utf-8"))
    for article_id, text in ids_and_texts:
        digest.update(f"\0{article_id}\0{text}".encode("utf-8"))
    return digest.hexdigest()


def read_memo(path: Path, code: str) -> KeywordMemo | None:
    """The memo at path if this code made it; None for none, or for anything else found there."""
    raw = read_plain_file(path)
    if raw is None:
        return None
    with collector_paused():
        try:
            data = json.loads(raw)
            if data["format"] != FORMAT or data["code"] != code:
                return None
            articles = {checked_text(article_id): ArticleMemo(checked_text(text), tuple(_keyword(k) for k in keywords),
                                                              {checked_text(slug): _count(n) for slug, n in counts.items()})
                        for article_id, (text, keywords, counts) in data["articles"].items()}
            phrases = {_words(phrase): checked_text(slug) for phrase, slug in data["phrases"]}
            facts = data["facts"]
            if not isinstance(facts["counted"], bool):
                return None
            corpus_facts = CorpusFacts(frozenset(checked_text(word) for word in facts["modifiers"]),
                                       {checked_text(last): tuple(checked_text(word) for word in name)
                                        for last, name in facts["by_last"]},
                                       frozenset(checked_text(word) for word in facts["common"]), facts["counted"])
            counts = data["counts"]
            followed, seen, singles, vocabulary = (_counter(counts[name]) for name in ("followed", "seen", "singles", "vocabulary"))
            printed = collections.Counter({_words(name): _count(n) for name, n in counts["printed"]})
            corpus_counts = CorpusCounts(followed, seen, printed, singles, vocabulary)
            return KeywordMemo(checked_text(data["stage"]), articles, phrases, checked_text(data["rules"]), corpus_facts,
                               corpus_counts)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def write_memo(path: Path, code: str, memo: KeywordMemo) -> None:
    """Replace the memo at path (memo.replace_memo)."""
    with collector_paused():
        data = {
            "format": FORMAT, "code": code, "stage": memo.stage,
            "articles": {article_id: [entry.text, [[k.key, k.label, k.slug, list(k.former)] for k in entry.keywords],
                                      dict(sorted(entry.counts.items()))]
                         for article_id, entry in sorted(memo.articles.items())},
            "phrases": sorted([" ".join(phrase), slug] for phrase, slug in memo.phrases.items()),
            "rules": memo.rules,
            "facts": {"modifiers": sorted(memo.facts.modifiers), "by_last": sorted([last, list(name)] for last, name in memo.facts.by_last.items()),
                      "common": sorted(memo.facts.common), "counted": memo.facts.counted},
            "counts": {"followed": dict(sorted(memo.counts.followed.items())), "seen": dict(sorted(memo.counts.seen.items())),
                       "printed": sorted([" ".join(name), n] for name, n in memo.counts.printed.items()),
                       "singles": dict(sorted(memo.counts.singles.items())),
                       "vocabulary": dict(sorted(memo.counts.vocabulary.items()))},
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    replace_memo(path, text)


def _count(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError("not a count")
    return value


def _counter(value: dict) -> collections.Counter:
    return collections.Counter({checked_text(word): _count(n) for word, n in value.items()})


def _words(value) -> tuple[str, ...]:
    return tuple(checked_text(value).split(" ")) if value else ()


def _keyword(value) -> Keyword:
    key, label, slug, former = value
    return Keyword(checked_text(key), checked_text(label), checked_text(slug), tuple(checked_text(f) for f in former))
