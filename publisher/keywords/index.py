"""Keyword pages as an index: every article that mentions a keyword, counted in one pass per text."""
from __future__ import annotations

import collections
import dataclasses

from ..model import Article, Corpus, Keyword, KeywordEntry, KeywordRule, Mention, date_order
from ..pages.routes import keyword_path
from ..parallel import collector_paused, map_in_order
from .choose import KeywordRules, alias_slug
from .extract import normal_word, normalise, worker_count
from .phrases import WORD, is_capitalised, is_common_word, is_given_name


def curated_keywords(rules: KeywordRules) -> dict[str, Keyword]:
    """The keywords metadata/keywords.yml defines with a label: they have a page wherever an article names them."""
    return {rule.key: Keyword(key=rule.key, label=rule.label, slug=rule.key)
            for rule in rules.rules if rule.label and not rule.hidden}


def person_surname(label: str) -> str | None:
    """The surname that may stand alone for a person's full name ("Lukashenko"), or None for anything else.

    A person's label is given names then a surname, none of them a word of the lexicon: "Israel Today"
    and "Crimean Bridge" end in an ordinary word, so they are no person and have no surname.
    """
    words = label.split()
    last = words[-1] if words else ""
    if len(words) < 2 or not is_capitalised(last) or is_common_word(last) or not all(is_given_name(w, ()) for w in words[:-1]):
        return None
    return last


def index_phrases(articles: tuple[Article, ...], rules: KeywordRules) -> dict[tuple[str, ...], str]:
    """Every phrase that names a keyword: the keyword, its aliases, and a person's surname alone.

    A surname is kept capitalised (count_mentions takes it only where the text prints it so), and
    only where no other person of the archive shares it.
    """
    phrases: dict[tuple[str, ...], str] = {}
    labels = {k.slug: k.label for a in articles for k in a.keywords}
    labels.update({slug: k.label for slug, k in curated_keywords(rules).items() if slug not in labels})
    for slug, label in sorted(labels.items()):
        phrases.setdefault(normalise(label), slug)
    for rule in rules.rules:
        if rule.key in labels:
            for alias in rule.aliases:
                phrases.setdefault(normalise(alias), rule.key)
    surnames = {slug: person_surname(label) for slug, label in sorted(labels.items())}
    shared = collections.Counter(surnames.values())
    for slug, surname in surnames.items():
        if surname is not None and shared[surname] == 1 and normalise(surname) not in phrases:
            # "Lukashenko" alone names Alexander Lukashenko, unless it is a keyword of its own.
            phrases[(capitalise(normal_word(surname.lower())),)] = slug
    return phrases


def capitalise(word: str) -> str:
    """A phrase word that matches only a capitalised word of the text."""
    return word[:1].upper() + word[1:]


def mention_words(text: str) -> tuple[list[str], list[bool]]:
    """A text's words as keywords hold them, and whether each is printed capitalised."""
    tokens = WORD.findall(text.replace("’", "'"))
    return [normal_word(token.lower()) for token in tokens], [token[:1].isupper() for token in tokens]


def count_mentions(words: list[str], first: dict[str, list[tuple[tuple[str, ...], str]]],
                   capitals: list[bool] | None = None) -> collections.Counter:
    """How often each keyword is named in a text: the longest phrase wins where phrases overlap.

    One pass over the text: only the positions whose word starts some phrase are looked at. A
    capitalised phrase word (a surname) matches only a word the text prints capitalised.
    """
    capitals = capitals if capitals is not None else [False] * len(words)
    counts: collections.Counter = collections.Counter()
    covered = 0
    for i, word in enumerate(words):
        if i < covered:
            continue
        options = first.get(word, [])
        if capitals[i] and capitalise(word) in first:
            options = sorted(options + first[capitalise(word)], key=lambda option: (-len(option[0]), option))
        for phrase, slug in options:
            if len(phrase) == 1 or tuple(words[i:i + len(phrase)]) == phrase:
                counts[slug] += 1
                covered = i + len(phrase)
                break
    return counts


def count_mentions_at(job: tuple[list[str], dict], index: int) -> collections.Counter:
    """How often each keyword is named in the text at index."""
    texts, first = job
    words, capitals = mention_words(texts[index])
    return count_mentions(words, first, capitals)


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
    return name_keywords(articles, rules, workers)[1]


def name_keywords(articles: tuple[Article, ...], rules: tuple[KeywordRule, ...] = (),
                  workers: int | None = None) -> tuple[tuple[Article, ...], tuple[KeywordEntry, ...]]:
    """The articles keeping only the keywords their texts name, and the keyword index (what the keyword stage gives)."""
    keyword_rules = KeywordRules(rules)
    counts = count_all_mentions(articles, index_phrases(articles, keyword_rules), workers=workers)
    named = keep_named(articles, counts)
    return named, assemble_index(named, counts, keyword_rules)


def assemble_index(articles: tuple[Article, ...], counts: list[collections.Counter],
                   rules: KeywordRules | None = None) -> tuple[KeywordEntry, ...]:
    """The keyword index from each article's keywords and mention counts (in the articles' order).

    A page lists only the articles whose text names its keyword; a curated keyword has one as soon
    as an article names it, whatever YAKE ranked.
    """
    with collector_paused():
        return _assemble_index(articles, counts, curated_keywords(rules or KeywordRules()))


def _assemble_index(articles: tuple[Article, ...], counts: list[collections.Counter],
                    curated: dict[str, Keyword]) -> tuple[KeywordEntry, ...]:
    keywords: dict[str, Keyword] = {}
    former: dict[str, set[str]] = collections.defaultdict(set)
    for article in articles:
        for keyword in article.keywords:
            keywords.setdefault(keyword.slug, keyword)
            former[keyword.slug].update(keyword.former)
    # Walked newest first, each keyword's mentions come out in the order its page lists them:
    # one sort of the articles instead of one per keyword.
    newest = sorted(range(len(articles)), key=lambda i: date_order(articles[i]), reverse=True)
    mentions: dict[str, list[Mention]] = collections.defaultdict(list)
    for index in newest:
        article, named = articles[index], counts[index]
        own = {k.slug for k in article.keywords}
        for slug in sorted(named):
            if named[slug]:
                mentions[slug].append(Mention(article.id, named[slug], slug in own))
    for slug, keyword in curated.items():
        if mentions[slug]:
            keywords.setdefault(slug, keyword)
    entries = []
    for slug, keyword in sorted(keywords.items()):
        found = sorted(mentions[slug], key=lambda mention: not mention.top)
        if not found:
            continue
        entries.append(KeywordEntry(keyword, tuple(found), tuple(sorted(former[slug] - {slug}))))
    return tuple(entries)


def keep_named(articles: tuple[Article, ...], counts: list[collections.Counter]) -> tuple[Article, ...]:
    """Drop from each article the keywords its text does not name (a full name made from a surname others share)."""
    return tuple(article if all(counts[i][k.slug] for k in article.keywords) else
                 dataclasses.replace(article, keywords=tuple(k for k in article.keywords if counts[i][k.slug]))
                 for i, article in enumerate(articles))


def keywords_by_article(corpus: Corpus) -> dict[str, tuple[Keyword, ...]]:
    """The keywords whose pages list each article, by article id: what Browse and the keyword index both count."""
    if not corpus.keyword_index:
        return {article.id: article.keywords for article in corpus.articles}
    found: dict[str, list[Keyword]] = {article.id: [] for article in corpus.articles}
    for entry in corpus.keyword_index:
        for mention in entry.mentions:
            found[mention.article_id].append(entry.keyword)
    return {article_id: tuple(keywords) for article_id, keywords in found.items()}


def keyword_moves(entries: tuple[KeywordEntry, ...]) -> dict[str, str]:
    """Where the page of each phrase that became another keyword now sends its readers."""
    targets: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for entry in entries:
        for old in entry.former:
            targets[old][entry.keyword.slug] += len(entry.mentions)
    return {keyword_path(old): keyword_path(min(c.items(), key=lambda i: (-i[1], i[0]))[0])
            for old, c in sorted(targets.items())}


def alias_moves(entries: tuple[KeywordEntry, ...], rules: tuple[KeywordRule, ...]) -> dict[str, str]:
    """Where the page each alias of metadata/keywords.yml would have sends its readers: its keyword's page."""
    pages = {entry.keyword.slug for entry in entries}
    moves = {}
    for rule in rules:
        for alias in rule.aliases:
            slug = alias_slug(alias)
            if rule.key in pages and slug and slug not in pages:
                moves[keyword_path(slug)] = keyword_path(rule.key)
    return dict(sorted(moves.items()))


def page_moves(corpus: Corpus) -> tuple[dict[str, str], dict[str, str]]:
    """The keyword pages that moved (merged keywords' old pages, published), and every alias's page (always)."""
    return keyword_moves(corpus.keyword_index), alias_moves(corpus.keyword_index, corpus.keyword_rules)


def search_names(corpus: Corpus, listed: dict[str, tuple[Keyword, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """The names a reader may search an article by that its text may not print, by article id.

    Every name of the keywords it mentions that have aliases (so "Kiev" finds the texts that say
    "Kyiv"), its authors, its outlet, and the publisher it was first published by. listed:
    keywords_by_article(corpus), when the caller has it.
    """
    aliases = {rule.key: rule.aliases for rule in corpus.keyword_rules if rule.aliases and not rule.hidden}
    outlets = {outlet.id: outlet.name for outlet in corpus.outlets}
    listed = keywords_by_article(corpus) if listed is None else listed
    found = {}
    for article in corpus.articles:
        names = [name for keyword in sorted(listed[article.id], key=lambda k: k.slug) if keyword.slug in aliases
                 for name in (keyword.label, *aliases[keyword.slug])]
        names += [*article.authors, outlets.get(article.outlet, ""), article.original_publisher or ""]
        found[article.id] = tuple(name for name in dict.fromkeys(names) if name)
    return found
