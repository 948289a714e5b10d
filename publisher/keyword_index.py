"""Keyword pages as an index: every article that mentions a keyword, counted in one pass per text."""
from __future__ import annotations

import collections

from .keywords import KeywordRules, normalise, text_words, worker_count
from .model import Article, Keyword, KeywordEntry, KeywordRule, Mention
from .parallel import map_in_order
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


def count_mentions_at(job: tuple[tuple[Article, ...], dict], index: int) -> collections.Counter:
    """How often each keyword is named in the text of the article at index."""
    articles, first = job
    return count_mentions(text_words(articles[index].clean_text), first)


def index_keywords(articles: tuple[Article, ...], rules: tuple[KeywordRule, ...] = (),
                   workers: int | None = None) -> tuple[KeywordEntry, ...]:
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
    for article in articles:
        for keyword in article.keywords:
            keywords.setdefault(keyword.slug, keyword)
            former[keyword.slug].update(keyword.former)
    counts = list(map_in_order(count_mentions_at, (articles, first), len(articles), worker_count(workers, 0, len(articles))))
    # Walked newest first, each keyword's mentions come out in the order its page lists them:
    # one sort of the articles instead of one per keyword.
    newest_first = sorted(range(len(articles)), key=lambda i: (articles[i].date, articles[i].id), reverse=True)
    mentions: dict[str, list[Mention]] = collections.defaultdict(list)
    for index in newest_first:
        article, named = articles[index], counts[index]
        own = {k.slug for k in article.keywords}
        for slug in own | named.keys():
            mentions[slug].append(Mention(article.id, named[slug], slug in own))
    entries = []
    for slug, keyword in sorted(keywords.items()):
        found = sorted(mentions[slug], key=lambda mention: not mention.top)
        entries.append(KeywordEntry(keyword, tuple(found), tuple(sorted(former[slug] - {slug}))))
    return tuple(entries)


def keyword_moves(entries: tuple[KeywordEntry, ...]) -> dict[str, str]:
    """Where the page of each phrase that became another keyword now sends its readers."""
    targets: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for entry in entries:
        for old in entry.former:
            targets[old][entry.keyword.slug] += len(entry.mentions)
    return {keyword_path(old): keyword_path(min(c.items(), key=lambda i: (-i[1], i[0]))[0])
            for old, c in sorted(targets.items())}
