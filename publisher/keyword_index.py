"""Keyword pages as an index: every article that mentions a keyword, counted in one pass per text."""
from __future__ import annotations

import collections

from .keywords import KeywordRules, normalise, text_words, worker_count
from .model import Article, Keyword, KeywordEntry, KeywordRule, Mention
from .parallel import collector_paused, map_in_order
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


def count_mentions_at(job: tuple[list[str], dict], index: int) -> collections.Counter:
    """How often each keyword is named in the text at index."""
    texts, first = job
    return count_mentions(text_words(texts[index]), first)


def first_words(phrases: dict[tuple[str, ...], str]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The phrases by their first word, longest first: what count_mentions looks up at each position."""
    first: dict[str, list] = collections.defaultdict(list)
    for phrase, slug in phrases.items():
        if phrase:
            first[phrase[0]].append((phrase, slug))
    for options in first.values():
        options.sort(key=lambda option: (-len(option[0]), option))
    return first


def count_all_mentions(articles: tuple[Article, ...], phrases: dict[tuple[str, ...], str],
                       known: dict[int, collections.Counter] | None = None,
                       workers: int | None = None) -> list[collections.Counter]:
    """Each article's mention counts, in order; known gives those already counted with these phrases (by position)."""
    known = known or {}
    first = first_words(phrases)
    todo = [i for i in range(len(articles)) if i not in known]
    texts = [articles[i].clean_text for i in todo]
    counted = dict(zip(todo, map_in_order(count_mentions_at, (texts, first), len(todo), worker_count(workers, 0, len(todo)))))
    return [known[i] if i in known else counted[i] for i in range(len(articles))]


def index_keywords(articles: tuple[Article, ...], rules: tuple[KeywordRule, ...] = (),
                   workers: int | None = None) -> tuple[KeywordEntry, ...]:
    """Each keyword with the articles that mention it: its own articles first, then the newest."""
    counts = count_all_mentions(articles, index_phrases(articles, KeywordRules(rules)), workers=workers)
    return assemble_index(articles, counts)


def assemble_index(articles: tuple[Article, ...], counts: list[collections.Counter]) -> tuple[KeywordEntry, ...]:
    """The keyword index from each article's keywords and mention counts (in the articles' order)."""
    with collector_paused():
        return _assemble_index(articles, counts)


def _assemble_index(articles: tuple[Article, ...], counts: list[collections.Counter]) -> tuple[KeywordEntry, ...]:
    keywords: dict[str, Keyword] = {}
    former: dict[str, set[str]] = collections.defaultdict(set)
    for article in articles:
        for keyword in article.keywords:
            keywords.setdefault(keyword.slug, keyword)
            former[keyword.slug].update(keyword.former)
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
