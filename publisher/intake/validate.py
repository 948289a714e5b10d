"""Check the records read from disk and turn them into Articles, Outlets and Topics (each value by fields.py)."""
from __future__ import annotations

import collections
import datetime

from ..model import Article, Corpus, FurnitureRules, KeywordRule, Outlet, PartialDate, Problem, Topic, date_order
from ..pages import kinds as page_kinds
from ..pages.routes import Claim, article_path, find_collisions
from .fields import (FieldError, check_date, check_flag, check_id, check_language, check_patterns, check_slug, check_text,
                     check_text_list, check_url, did_you_mean, kind_of, quote_value)
from .load import FURNITURE_FILE, KEYWORDS_FILE, OUTLETS_FILE, TOPICS_FILE, Project, Seed, YamlDoc
from .slugs import SEED_ID_PATTERN, is_slug, slugify
from .text import MARKER_SECONDS



ARTICLE_FIELDS = {
    # name: (checker, required)
    "title": (check_text, True),
    "outlet": (check_id, True),
    "date": (check_date, True),
    "topics": (None, True),  # checked against the registry below
    "authors": (check_text_list, False),
    "source_url": (check_url, False),
    "archive_url": (check_url, False),
    "original_publisher": (check_text, False),
    "language": (check_language, False),
    "slug": (check_slug, False),
    "summary": (check_text, False),
    "collected": (check_date, False),
}
OUTLET_FIELDS = {
    "name": (check_text, True),
    "country": (check_text, True),
    "language": (check_language, True),
    "description": (check_text, True),
    "homepage": (check_url, False),
    "furniture": (check_patterns, False),
    "header": (check_patterns, False),
    "trailer": (check_patterns, False),
}
TOPIC_FIELDS = {"title": (check_text, True), "description": (check_text, True)}
RULE_FIELDS = {name: (check_patterns, False) for name in ("furniture", "header", "trailer")}


KEYWORD_FIELDS = {"label": (check_text, False), "aliases": (check_text_list, False), "hide": (check_flag, False)}


def check_fields(doc: YamlDoc, mapping, spec, keys: tuple, problems: list[Problem], what: str) -> dict:
    """Check a mapping against a field spec; return the good values, add a problem per bad one."""
    if not isinstance(mapping, dict):
        problems.append(Problem(doc.path, doc.line_of(*keys), f"{'.'.join(keys) or what}: expected a mapping of fields, got {kind_of(mapping)}"))
        return {}
    prefix = "".join(f"{k}." for k in keys)
    values = {}
    for name in mapping:
        if name not in spec:
            hint = did_you_mean(name, spec) or f"; allowed: {', '.join(sorted(spec))}"
            problems.append(Problem(doc.path, doc.line_of(*keys, name), f"{prefix}{name}: unknown field{hint}"))
    for name, (checker, required) in spec.items():
        if name not in mapping or mapping[name] is None:
            if required:
                line = doc.line_of(*keys, name)
                problems.append(Problem(doc.path, line, f"{prefix}{name}: missing; {what} needs one"))
            continue
        if checker is None:
            values[name] = mapping[name]
            continue
        try:
            values[name] = checker(mapping[name], name)
        except FieldError as error:
            problems.append(Problem(doc.path, doc.line_of(*keys, name), f"{prefix}{name}: {error}"))
    return values


def _registry_entries(doc: YamlDoc | None, path: str, problems: list[Problem]):
    if doc is None:
        return []
    if not isinstance(doc.value, dict) or not doc.value:
        problems.append(Problem(path, 1, f"expected a mapping from id to entry, got {kind_of(doc.value)}"))
        return []
    entries = []
    for key in doc.value:
        try:
            check_id(key)
        except FieldError as error:
            problems.append(Problem(path, doc.line_of(key), f"id {error}"))
            continue
        entries.append(key)
    return entries


def listed_ids(doc: YamlDoc | None) -> set[str]:
    """Every id a registry lists, whether or not its entry is valid."""
    return {key for key in doc.value if isinstance(key, str)} if doc and isinstance(doc.value, dict) else set()


def validate_outlets(doc: YamlDoc | None, problems: list[Problem]) -> tuple[Outlet, ...]:
    if doc is None:
        return ()
    outlets = []
    for key in _registry_entries(doc, OUTLETS_FILE, problems):
        values = check_fields(doc, doc.value[key], OUTLET_FIELDS, (key,), problems, "an outlet")
        if all(name in values for name, (_, required) in OUTLET_FIELDS.items() if required):
            outlets.append(Outlet(id=key, **values))
    return tuple(sorted(outlets, key=lambda o: o.id))


def validate_topics(doc: YamlDoc | None, problems: list[Problem]) -> tuple[Topic, ...]:
    if doc is None:
        return ()
    topics = []
    for key in _registry_entries(doc, TOPICS_FILE, problems):
        values = check_fields(doc, doc.value[key], TOPIC_FIELDS, (key,), problems, "a topic")
        if len(values) == len(TOPIC_FIELDS):
            topics.append(Topic(id=key, **values))
    return tuple(sorted(topics, key=lambda t: t.id))


def validate_rules(doc: YamlDoc | None, problems: list[Problem]) -> FurnitureRules:
    if doc is None:
        return FurnitureRules()
    values = check_fields(doc, doc.value, RULE_FIELDS, (), problems, FURNITURE_FILE)
    return FurnitureRules(**values)


# Beyond this many problems of one kind, keywords.yml's report says how many more there are.
REPEATS_SHOWN = 3


def validate_keyword_rules(doc: YamlDoc | None, problems: list[Problem]) -> tuple[KeywordRule, ...]:
    """metadata/keywords.yml: each keyword slug with its label, aliases or hide; an alias names one keyword."""
    if doc is None:
        return ()
    if doc.value is None or doc.value == {}:
        problems.append(Problem(KEYWORDS_FILE, 1, "the file is empty: give each keyword slug a label, aliases or hide, "
                                                  "or delete the file"))
        return ()
    if not isinstance(doc.value, dict):
        problems.append(Problem(KEYWORDS_FILE, 1, f"expected keyword slugs, each with a label, aliases or hide, got {kind_of(doc.value)}"))
        return ()
    found: list[Problem] = []
    rules = read_keyword_rules(doc, found)
    problems.extend(cap_repeats(found))
    return rules


def read_keyword_rules(doc: YamlDoc, problems: list[Problem]) -> tuple[KeywordRule, ...]:
    """The keyword rules of a keywords.yml mapping, and a problem for each thing wrong in it."""
    from ..keywords.choose import alias_slug

    rules: list[KeywordRule] = []
    claimed: dict[str, tuple[str, int]] = {}
    for key in doc.value:
        if not isinstance(key, str) or not is_slug(key):
            problems.append(Problem(KEYWORDS_FILE, doc.line_of(key), f"{quote_value(key)} is not a keyword slug: expected the keyword's page name, like 'alexander-lukashenko'"))
            continue
        before = len(problems)
        values = check_fields(doc, doc.value[key] if doc.value[key] is not None else {}, KEYWORD_FIELDS, (key,), problems, "a keyword")
        if not values and len(problems) == before:  # a field that is wrong has said so already
            problems.append(Problem(KEYWORDS_FILE, doc.line_of(key), f"{key}: expected label, aliases or hide"))
        for index, alias in enumerate(values.get("aliases", ())):
            slug = alias_slug(alias)
            line = doc.line_of(key, "aliases", index)
            if not slug:
                problems.append(Problem(KEYWORDS_FILE, line, f"{key}.aliases: {quote_value(alias)} has no letters or digits"))
            elif slug == key:
                problems.append(Problem(KEYWORDS_FILE, line, f"{key}.aliases: {quote_value(alias)} is the keyword itself"))
            elif slug in claimed and claimed[slug][0] == key:
                problems.append(Problem(KEYWORDS_FILE, line, f"{key}.aliases: {quote_value(alias)} repeats an alias listed before "
                                                             f"(line {claimed[slug][1]})"))
            elif slug in claimed:
                problems.append(Problem(KEYWORDS_FILE, line, f"{key}.aliases: {quote_value(alias)} is already an alias of '{claimed[slug][0]}'"))
            else:
                claimed[slug] = (key, line)
        rules.append(KeywordRule(key, values.get("label"), values.get("aliases", ()), values.get("hide", False)))
    for rule in rules:
        if rule.key in claimed:
            problems.append(Problem(KEYWORDS_FILE, doc.line_of(rule.key), f"{rule.key}: is an alias of '{claimed[rule.key][0]}', so it cannot have an entry of its own: merge the two"))
    return tuple(sorted(rules, key=lambda r: r.key))


def cap_repeats(problems: list[Problem], shown: int = REPEATS_SHOWN) -> list[Problem]:
    """The problems with each message shown at most `shown` times, then one line saying how many more there are."""
    by_message: dict[str, list[Problem]] = collections.defaultdict(list)
    for problem in problems:
        by_message[problem.message].append(problem)
    capped: list[Problem] = []
    for message, repeats in by_message.items():
        distinct = list(dict.fromkeys(repeats))  # one line of a flow list [a, a, a] holds many
        capped.extend(distinct[:shown])
        if len(distinct) > shown:
            field = message.split(": ", 1)[0]
            capped.append(Problem(distinct[shown].path, distinct[shown].line,
                                  f"{field}: and {len(distinct) - shown:,} more like the line above, from this line on"))
    return capped


def validate_topic_list(doc: YamlDoc, value, topic_ids, problems: list[Problem]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problems.append(Problem(doc.path, doc.line_of("topics"), f"topics: expected a list of one or more topic ids from {TOPICS_FILE}, got {kind_of(value)} {quote_value(value)}"))
        return ()
    good = []
    for index, topic in enumerate(value):
        line = doc.line_of("topics", index)
        if not isinstance(topic, str) or (topic_ids and topic not in topic_ids):  # no registry: reported once, there
            allowed = did_you_mean(topic, topic_ids) or f"; allowed: {', '.join(sorted(topic_ids))}"
            problems.append(Problem(doc.path, line, f"topics: {quote_value(topic)} is not in {TOPICS_FILE}{allowed}"))
        elif topic in good:
            problems.append(Problem(doc.path, line, f"topics: {quote_value(topic)} is listed twice"))
        else:
            good.append(topic)
    return tuple(good)


def validate_article(doc: YamlDoc, seed: Seed, outlets: set | dict, topic_ids: set, today: datetime.date, problems: list[Problem]) -> Article | None:
    """Turn one metadata file and its seed into an Article, or add problems and return None."""
    before = len(problems)
    values = check_fields(doc, doc.value, ARTICLE_FIELDS, (), problems, "every article")
    if "outlet" in values and outlets and values["outlet"] not in outlets:
        allowed = did_you_mean(values["outlet"], outlets) or f"; allowed: {', '.join(sorted(outlets))}"
        problems.append(Problem(doc.path, doc.line_of("outlet"), f"outlet: {quote_value(values['outlet'])} is not in {OUTLETS_FILE}{allowed}"))
    if "topics" in values:
        values["topics"] = validate_topic_list(doc, values["topics"], topic_ids, problems)
    for name in ("date", "collected"):
        date = values.get(name)
        if date and date > PartialDate(today.year, today.month, today.day):
            problems.append(Problem(doc.path, doc.line_of(name), f"{name}: '{date.iso}' is in the future (today is {today.isoformat()})"))
    if len(problems) > before or seed.text == "":
        return None
    return Article(
        id=seed.id,
        slug=values.pop("slug", None) or slugify(values["title"]) or seed.id.lower(),
        source_path=seed.path,
        metadata_path=doc.path,
        sha256=seed.sha256,
        text=seed.text,
        **{k: v for k, v in values.items()},
    )


def list_claims(articles, docs, registries: dict[str, tuple]) -> list[Claim]:
    """The page path each article asks for, and each record of a registry a page kind lists by id
    (pages/kinds.py, registry: outlets, topics; registries: its records, its file read and its name), with
    the file and line that asks."""
    claims = []
    for article in articles:
        doc = docs[article.id]
        field = "slug" if "slug" in (doc.value or {}) else "title"
        claims.append(Claim(article_path(article), article.metadata_path, doc.line_of(field), field, article.slug,
                            "give this article its own slug"))
    for kind in page_kinds.KINDS:
        if kind.registry is not None:
            records, registry_doc, source = registries[kind.registry]
            claims += [Claim(kind.path(record.id), source, registry_doc.line_of(record.id), "id", record.id,
                             f"give this {kind.name} another id") for record in records]
    return claims


def validate_project(project: Project, today: datetime.date) -> tuple[Corpus, list[Problem]]:
    """Check everything at once; return the corpus of good articles and every problem found."""
    problems = list(project.problems)
    outlets = validate_outlets(project.outlets, problems)
    topics = validate_topics(project.topics, problems)
    rules = validate_rules(project.furniture, problems)
    keyword_rules = validate_keyword_rules(project.keywords, problems)
    # Articles may name any id a registry lists: an entry that is listed but broken is reported
    # once, in the registry, not again in every article that uses it.
    outlet_index = listed_ids(project.outlets)
    topic_ids = listed_ids(project.topics)
    seeds = {seed.id: seed for seed in project.seeds}
    docs = {doc.path.rsplit("/", 1)[1].rsplit(".", 1)[0]: doc for doc in project.metadata}
    for seed_id in sorted(seeds.keys() - docs.keys()):
        problems.append(Problem(seeds[seed_id].path, 0, f"has no metadata: expected metadata/{seed_id}.yml"))
    for doc_id in sorted(docs.keys() - seeds.keys()):
        problems.append(Problem(docs[doc_id].path, 0, f"has no seed: expected seeds/{doc_id}.txt"))
    articles = []
    for seed_id in sorted(seeds.keys() & docs.keys()):
        if not SEED_ID_PATTERN.match(seed_id):
            problems.append(Problem(seeds[seed_id].path, 0, f"id {quote_value(seed_id)} is not safe as a file name: expected ASCII letters, digits, '_' and '-'"))
            continue
        if not docs[seed_id].parsed:
            continue
        article = validate_article(docs[seed_id], seeds[seed_id], outlet_index, topic_ids, today, problems)
        if article:
            articles.append(article)
    by_slug: dict[str, Article] = {}
    for article in articles:
        if article.slug in by_slug:
            first = by_slug[article.slug]
            doc = docs[article.id]
            problems.append(Problem(article.metadata_path, doc.line_of("slug") if "slug" in (doc.value or {}) else doc.line_of("title"),
                                    f"slug: '{article.slug}' is already used by {first.metadata_path}: give this article its own slug"))
        else:
            by_slug[article.slug] = article
    registries = {"outlets": (outlets, project.outlets, OUTLETS_FILE), "topics": (topics, project.topics, TOPICS_FILE)}
    problems += find_collisions(list_claims(by_slug.values(), docs, registries))
    articles.sort(key=date_order)
    return Corpus(tuple(articles), outlets, topics, rules, keyword_rules), sorted(set(problems))


def _value_at(value, keys: tuple):
    for key in keys:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def slow_marker_problem(docs, pattern: str, source: str) -> Problem:
    """Where a marker that ran past its time bound is written, as a problem naming it."""
    for doc in docs:
        if doc is None:
            continue
        for keys, line in sorted(doc.lines.items(), key=lambda item: item[1]):
            if len(keys) >= 2 and keys[-2] in RULE_FIELDS and isinstance(keys[-1], int) and _value_at(doc.value, keys) == pattern:
                field = ".".join(str(key) for key in keys[:-1])
                return Problem(doc.path, line, f"{field}: marker {quote_value(pattern)} ran longer than {MARKER_SECONDS:g} s on one block of {source}: "
                                               "it backtracks without end; write it without a repetition inside a repetition, such as (a|aa)+")
    return Problem(OUTLETS_FILE, 0, f"a marker {quote_value(pattern)} ran longer than {MARKER_SECONDS:g} s on one block of {source}")
