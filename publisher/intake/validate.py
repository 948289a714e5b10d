"""Check the records read from disk and turn them into Articles, Outlets and Topics."""
from __future__ import annotations

import collections

import datetime
import difflib
import re
import unicodedata
from urllib.parse import urlsplit

import regex

from .text import MARKER_SECONDS
from .load import FURNITURE_FILE, KEYWORDS_FILE, OUTLETS_FILE, TOPICS_FILE, Project, Seed, YamlDoc
from ..model import Article, Corpus, FurnitureRules, KeywordRule, Outlet, PartialDate, Problem, Topic
from ..pages.routes import Claim, article_path, find_collisions, outlet_path, topic_path
from .slugs import is_slug, slugify

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEED_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
MAX_TEXT = {"title": 300, "summary": 600}
DEFAULT_MAX_TEXT = 200
# Refused in one-line text (titles, names, summaries): bidirectional embeddings, overrides and
# isolates reorder the characters around them in a page title or a list of links, and invisible
# characters make two names that look the same differ. Right-to-left text needs none of them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Every other format character (Unicode category Cf: soft hyphen, zero-width space, word joiner,
# byte-order mark, tag characters...) is refused as invisible, except the two joiners where a
# script needs them: ZERO WIDTH NON-JOINER between two letters of a joining script (Persian and
# Arabic words, Indic conjuncts), ZERO WIDTH JOINER between two letters of an Indic script or
# inside an emoji sequence. Which script a character is in is the first word of its Unicode name.
INVISIBLE = frozenset("\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad\u200c\u200d")
ZWNJ, ZWJ = "\u200c", "\u200d"
INDIC_SCRIPTS = frozenset(("DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
                           "MALAYALAM", "SINHALA"))
JOINER_SCRIPTS = {ZWNJ: INDIC_SCRIPTS | {"ARABIC", "SYRIAC"}, ZWJ: INDIC_SCRIPTS}
JOINER_PLACES = {ZWNJ: "between two letters of Arabic-script (Persian), Syriac or Indic words",
                 ZWJ: "between two letters of Indic words, or inside an emoji sequence"}


class FieldError(Exception):
    """A value is wrong; the message says what was found and what is allowed."""


def quote_value(value) -> str:
    """A value as problems quote it: a string in single quotes, anything else as Python shows it."""
    text = repr(value) if not isinstance(value, str) else "'" + value.replace("'", "\\'") + "'"
    return text if len(text) <= 80 else text[:77] + "...'"


def _kind(value) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false",
             list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def did_you_mean(value, allowed) -> str:
    """A hint naming the closest allowed value, or '' when none is close."""
    close = difflib.get_close_matches(str(value), sorted(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_text(value, name: str = "") -> str:
    """One line of printable text."""
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {_kind(value)} {quote_value(value)}")
    text = value.strip()
    if not text:
        raise FieldError("is empty: expected text")
    if "\n" in text or "\r" in text:
        raise FieldError(f"{quote_value(value)} spans several lines: expected one line")
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]
    if bad:
        raise FieldError(f"contains the control character U+{ord(bad[0]):04X}: expected printable text")
    bidi = [c for c in text if c in BIDI_CONTROLS]
    if bidi:
        raise FieldError(f"contains the bidirectional control U+{ord(bidi[0]):04X} {unicodedata.name(bidi[0])}, which reorders the text around it: remove it (right-to-left text needs no control characters)")
    hidden = [(i, c) for i, c in enumerate(text)
              if (c in INVISIBLE or unicodedata.category(c) == "Cf") and not is_needed_joiner(text, i)]
    if hidden:
        index, char = hidden[0]
        place = f" (kept only {JOINER_PLACES[char]})" if char in JOINER_PLACES else ""
        raise FieldError(f"contains the invisible character U+{ord(char):04X} {unicodedata.name(char, 'FORMAT CHARACTER')}: remove it{place}")
    limit = MAX_TEXT.get(name, DEFAULT_MAX_TEXT)
    if len(text) > limit:
        raise FieldError(f"is {len(text)} characters long: expected at most {limit}")
    return text


def is_needed_joiner(text: str, index: int) -> bool:
    """text[index] is a zero-width joiner or non-joiner between two characters of a script that needs it there."""
    char = text[index]
    if char not in JOINER_SCRIPTS or index == 0 or index == len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    if char == ZWJ and is_emoji_part(before) and is_emoji_part(after):
        return True
    script = _script(before)
    return script in JOINER_SCRIPTS[char] and _script(after) == script


def is_emoji_part(char: str) -> bool:
    """char is a pictograph, or the variation selector or skin tone that ends one, in an emoji ZWJ sequence."""
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or code == 0xFE0F or char in "\u2640\u2642\u2695\u2696\u2708\u2764"


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def check_url(value, name: str = "") -> str:
    """An absolute http or https URL."""
    if not isinstance(value, str):
        raise FieldError(f"expected a URL, got {_kind(value)} {quote_value(value)}")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"\\^`{|}]", url):
        raise FieldError(f"{quote_value(value)} is not an http(s) URL: expected one like 'https://example.org/article'")
    return url


def check_date(value, name: str = "") -> PartialDate:
    """YYYY-MM-DD, YYYY-MM or YYYY, a real date."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    match = DATE_PATTERN.match(text or "")
    if not match:
        raise FieldError(f"{quote_value(value)} is not a date: expected YYYY-MM-DD, or YYYY-MM or YYYY when the text supports no more")
    year, month, day = (int(part) if part else 0 for part in match.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise FieldError(f"{quote_value(text)} is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY") from None
    if year < 1800:
        raise FieldError(f"{quote_value(text)} is before 1800: expected the year the article was published")
    return PartialDate(year, month, day)


def check_language(value, name: str = "") -> str:
    if not isinstance(value, str) or not LANGUAGE_PATTERN.match(value):
        raise FieldError(f"{quote_value(value)} is not a language code: expected one like 'en' or 'be'")
    return value


def check_slug(value, name: str = "") -> str:
    if not isinstance(value, str) or not is_slug(value):
        raise FieldError(f"{quote_value(value)} is not a slug: expected lowercase ASCII letters, digits and single hyphens, at most 80 characters, like 'kiev-regime-sends-troops'")
    return value


def check_id(value, name: str = "") -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise FieldError(f"{quote_value(value)} is not an id: expected lowercase ASCII letters, digits and hyphens")
    return value


def check_patterns(value, name: str = "") -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise FieldError(f"expected a list of regular expressions, got {_kind(value)}")
    for pattern in value:
        try:
            regex.compile(pattern)  # the engine clean.py runs markers with
        except regex.error as error:
            raise FieldError(f"{quote_value(pattern)} is not a valid regular expression: {error}") from None
    return tuple(value)


def check_text_list(value, name: str = "") -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldError(f"expected a list, got {_kind(value)} {quote_value(value)}")
    return tuple(check_text(item) for item in value)


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


def check_flag(value, name: str = "") -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {_kind(value)} {quote_value(value)}")
    return value


KEYWORD_FIELDS = {"label": (check_text, False), "aliases": (check_text_list, False), "hide": (check_flag, False)}


def check_fields(doc: YamlDoc, mapping, spec, keys: tuple, problems: list[Problem], what: str) -> dict:
    """Check a mapping against a field spec; return the good values, add a problem per bad one."""
    if not isinstance(mapping, dict):
        problems.append(Problem(doc.path, doc.line_of(*keys), f"{'.'.join(keys) or what}: expected a mapping of fields, got {_kind(mapping)}"))
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
        problems.append(Problem(path, 1, f"expected a mapping from id to entry, got {_kind(doc.value)}"))
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
        problems.append(Problem(KEYWORDS_FILE, 1, f"expected keyword slugs, each with a label, aliases or hide, got {_kind(doc.value)}"))
        return ()
    found: list[Problem] = []
    rules = read_keyword_rules(doc, found)
    problems.extend(cap_repeats(found))
    return rules


def read_keyword_rules(doc: YamlDoc, problems: list[Problem]) -> tuple[KeywordRule, ...]:
    """The keyword rules of a keywords.yml mapping, and a problem for each thing wrong in it."""
    from ..keywords.extract import alias_slug

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
        problems.append(Problem(doc.path, doc.line_of("topics"), f"topics: expected a list of one or more topic ids from {TOPICS_FILE}, got {_kind(value)} {quote_value(value)}"))
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


def list_claims(articles, docs, outlets, outlets_doc, topics, topics_doc) -> list[Claim]:
    """The page path each article, outlet and topic asks for, with the file and line that asks."""
    claims = []
    for article in articles:
        doc = docs[article.id]
        field = "slug" if "slug" in (doc.value or {}) else "title"
        claims.append(Claim(article_path(article), article.metadata_path, doc.line_of(field), field, article.slug,
                            "give this article its own slug"))
    for outlet in outlets:
        claims.append(Claim(outlet_path(outlet.id), OUTLETS_FILE, outlets_doc.line_of(outlet.id), "id", outlet.id,
                            "give this outlet another id"))
    for topic in topics:
        claims.append(Claim(topic_path(topic.id), TOPICS_FILE, topics_doc.line_of(topic.id), "id", topic.id,
                            "give this topic another id"))
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
    problems += find_collisions(list_claims(by_slug.values(), docs, outlets, project.outlets, topics, project.topics))
    articles.sort(key=lambda a: (a.date, a.id))
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
