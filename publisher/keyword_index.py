"""Keyword pages as an index: every article that mentions a keyword, counted in one pass per text."""
from __future__ import annotations

import collections

from .keywords import KeywordRules, normalise, text_words
from .model import Article, Keyword, KeywordEntry, KeywordRule, Mention
from .phrases import is_given_name
from .routes import keyword_path


def index_phrases(articles: tuple[Article, ...], rules: KeywordRules) -> dict[tuple[str, ...], str]:
    """Every phrase that names a keyword: the keyword, its aliases, and a person's surname alone."""
    phrases: dict[tuple[str, ...], str] = {}
    labels = {k.slug: k.label for a in articles for k in a.keywords}
    for slug, label in sorted(labels.items()):
        phrases.setdefault(normalise(label), slug)
    for rule in rules.rules:
        if rule.key in labels:
            for alias in rule.aliases:
                phrases.setdefault(normalise(alias), rule.key)
    for slug, label in sorted(labels.items()):
        words = label.split()
        # "Lukashenko" alone names Alexander Lukashenko, unless it is a keyword of its own.
        if len(words) >= 2 and all(is_given_name(w, ()) for w in words[:-1]) and words[-1][:1].isupper():
            phrases.setdefault(normalise(words[-1]), slug)
    return phrases


def count_mentions(words: list[str], first: dict[str, list[tuple[tuple[str, ...], str]]]) -> collections.Counter:
    """How often each keyword is named in a text: the longest phrase wins where phrases overlap.

    One pass over the text: only the positions whose word starts some phrase are looked at.
    """
    counts: collections.Counter = collections.Counter()
    covered = 0
    for i in [i for i, word in enumerate(words) if word in first]:
        if i < covered:
            continue
        for phrase, slug in first[words[i]]:
            if len(phrase) == 1 or tuple(words[i:i + len(phrase)]) == phrase:
                counts[slug] += 1
                covered = i + len(phrase)
                break
    return counts


def index_keywords(articles: tuple[Article, ...], rules: tuple[KeywordRule, ...] = ()) -> tuple[KeywordEntry, ...]:
    """Each keyword with the articles that mention it: its own articles first, then the newest."""
    phrases = index_phrases(articles, KeywordRules(rules))
    first: dict[str, list] = collections.defaultdict(list)
    for phrase, slug in phrases.items():
        if phrase:
            first[phrase[0]].append((phrase, slug))
    for options in first.values():
        options.sort(key=lambda option: (-len(option[0]), option))
    keywords: dict[str, Keyword] = {}
    former: dict[str, set[str]] = collections.defaultdict(set)
    mentions: dict[str, list[tuple[Article, Mention]]] = collections.defaultdict(list)
    for article in articles:
        counts = count_mentions(text_words(article.clean_text), first)
        own = {k.slug for k in article.keywords}
        for keyword in article.keywords:
            keywords.setdefault(keyword.slug, keyword)
            former[keyword.slug].update(keyword.former)
        for slug in sorted(own | counts.keys()):
            mentions[slug].append((article, Mention(article.id, counts[slug], slug in own)))
    entries = []
    for slug, keyword in sorted(keywords.items()):
        found = sorted(mentions[slug], key=lambda item: (item[0].date, item[0].id), reverse=True)
        found.sort(key=lambda item: not item[1].top)
        entries.append(KeywordEntry(keyword, tuple(m for _, m in found), tuple(sorted(former[slug] - {slug}))))
    return tuple(entries)


def keyword_moves(entries: tuple[KeywordEntry, ...]) -> dict[str, str]:
    """Where the page of each phrase that became another keyword now sends its readers."""
    targets: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for entry in entries:
        for old in entry.former:
            targets[old][entry.keyword.slug] += len(entry.mentions)
    return {keyword_path(old): keyword_path(min(c.items(), key=lambda i: (-i[1], i[0]))[0])
            for old, c in sorted(targets.items())}
