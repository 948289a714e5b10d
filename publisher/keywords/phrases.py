"""Names and noun phrases: what YAKE's candidates become before they are keywords.

A keyword is a name or a noun phrase. Names are runs of capitalised words as the text prints
them, without the titles in front ("Belarusian President Alexander Lukashenko" names Alexander
Lukashenko); a candidate that holds part of a name becomes the whole name. Other candidates must
read as a noun phrase by a part-of-speech lexicon (lemminflect's, shipped in its wheel).
"""
from __future__ import annotations

import collections
import functools
import re
from dataclasses import dataclass

import regex

# A word as keywords read it: letters and digits, with inner apostrophes, dots or hyphens ("Lukashenko's",
# "U.S.", "pro-Western"). Every module of keywords/ splits text with this one.
WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_CAPITALISED = r"\p{Lu}[^\W_]*(?:['’.-][^\W_]+)*"
# A run of capitalised words (as WORD splits them) joined by single spaces, and the word after it.
NAME_RUN = regex.compile(rf"(?<![^\W_])(?<![^\W_]['’.-])({_CAPITALISED}(?: {_CAPITALISED})*)(?: ([^\W_]+(?:['’.-][^\W_]+)*))?")
# Words that stand before a person's name and are not part of it. A closed class, unlike generic words.
TITLES = frozenset(
    "president presidents vice prime minister ministers chancellor premier king queen prince princess pope"
    " emperor sultan sheikh colonel col general gen lieutenant lt major maj captain capt sergeant sgt"
    " admiral adm marshal commander chief dictator leader leaders mr mrs ms miss dr sir dame lord lady"
    " senator sen rep representative congressman congresswoman governor mayor secretary ambassador"
    " spokesman spokeswoman spokesperson deputy former late acting foreign defence defense interior"
    " opposition self-proclaimed de-facto head director chairman chairwoman judge justice bishop patriarch"
    " saint st mp".split())
# Days and months name when, not what: a closed class, like the titles above.
CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july"
    " august september october november december".split())
VERBAL = frozenset({"VERB", "AUX", "ADV"})
# A single common word found in this share of the corpus or more tells a reader nothing.
GENERIC_SHARE = 0.4
GENERIC_MIN_ARTICLES = 5


@functools.lru_cache(maxsize=200_000)
def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech the lexicon knows for a lowercase word (empty when it does not know it)."""
    from lemminflect import getAllLemmas  # imported late: `check` and most tests never need it

    return frozenset(getAllLemmas(word))


def warm_lexicon() -> None:
    """Load the lexicon now (about 0.3 s), so worker processes started later inherit it instead of each loading it."""
    parts_of_speech("news")


def is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def is_title(token: str) -> bool:
    return token.lower().rstrip(".") in TITLES


@dataclass(frozen=True)
class TextNames:
    """What one text says about names: each run of capitalised words, and how its capitalised words are used.

    runs: (the run as printed, the name it gives once titles and sentence openers are dropped, count).
    capitals: (capitalised word, times a common noun follows it, times it occurs), to tell modifiers.
    """

    runs: tuple[tuple[tuple[str, ...], tuple[str, ...], int], ...] = ()
    capitals: tuple[tuple[str, int, int], ...] = ()


def strip_name(run: tuple[str, ...], stop: frozenset[str]) -> tuple[str, ...]:
    """The name inside a run of capitalised words: after its last title, without a leading stop word."""
    start = 0
    for i, token in enumerate(run):
        if is_title(token):
            start = i + 1
    while start < len(run) and run[start].lower() in stop:
        start += 1
    return run[start:]


def find_names(text: str, stop: frozenset[str]) -> TextNames:
    """Every run of capitalised words in text (words joined by single spaces), and how each is used."""
    runs: collections.Counter = collections.Counter()
    followed: collections.Counter = collections.Counter()
    seen: collections.Counter = collections.Counter()
    for match in NAME_RUN.finditer(text):
        run = tuple(match.group(1).split(" "))
        runs[run] += 1
        seen.update(run)
        after = match.group(2)
        if after and after[0].islower() and after not in stop and "NOUN" in parts_of_speech(after):
            followed[run[-1]] += 1
    named = tuple(sorted((run, strip_name(run, stop), count) for run, count in runs.items()))
    return TextNames(named, tuple(sorted((t, followed[t], n) for t, n in seen.items())))


def contains_run(longer: tuple, shorter: tuple) -> bool:
    """shorter stands in longer as a contiguous run."""
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def is_given_name(token: str, modifiers) -> bool:
    """A word that can stand before a surname: capitalised, not a common word, title or modifier."""
    return is_capitalised(token) and not parts_of_speech(token.lower()) and not is_title(token) and token not in modifiers


class NameBook:
    """What the corpus says about names: full names by their last word, and the modifiers.

    A modifier is a capitalised word that a common noun follows in most of its uses across the
    corpus ("Russian troops", "Belarusian army"): an adjective, never a keyword alone.
    """

    def __init__(self, all_names):
        followed: collections.Counter = collections.Counter()
        seen: collections.Counter = collections.Counter()
        printed: collections.Counter = collections.Counter()
        for names in all_names:
            add_name_counts(names, followed, seen, printed)
        self.settle(followed, seen, printed)

    @classmethod
    def from_counts(cls, followed, seen, printed) -> NameBook:
        """The book of a corpus whose texts' add_name_counts were summed into followed, seen and printed."""
        book = cls.__new__(cls)
        book.settle(followed, seen, printed)
        return book

    def settle(self, followed, seen, printed) -> None:
        # An acronym stays a name even when it mostly modifies ("NATO troops").
        self.modifiers = frozenset(t for t, n in followed.items()
                                   if 2 * n > seen[t] and not is_common_word(t) and not t.isupper())
        by_last: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for name, count in printed.items():
            if count > 0 and all(is_given_name(t, self.modifiers) for t in name[:-1]):
                by_last[name[-1]][name] += count
        self.by_last = {last: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for last, c in by_last.items()}

    def full_name(self, word: str, names: TextNames) -> tuple[str, ...]:
        """The full name a lone word stands for: in its own text if it has one there, else in the corpus."""
        if word not in self.by_last:
            return (word,)  # no text prints a full name ending in it, its own neither
        local: collections.Counter = collections.Counter()
        for _run, name, count in names.runs:
            if len(name) >= 2 and name[-1] == word and all(is_given_name(t, self.modifiers) for t in name[:-1]):
                local[name] += count
        if local:
            return min(local.items(), key=lambda item: (-item[1], item[0]))[0]
        return self.by_last[word]


def add_name_counts(names: TextNames, followed, seen, printed, sign: int = 1) -> None:
    """Add (or with sign -1, take away) one text's names to the sums a NameBook is made of: how often a
    common noun follows each capitalised word, how often the word occurs, how often each full name of
    two words or more is printed."""
    for token, nouns, count in names.capitals:
        followed[token] += sign * nouns
        seen[token] += sign * count
    for _run, name, count in names.runs:
        if len(name) >= 2:
            printed[name] += sign * count


def index_parts(names: TextNames) -> dict[tuple[str, ...], collections.Counter]:
    """For every run of words inside a run of capitalised words, the names of the runs holding it."""
    parts: dict[tuple[str, ...], collections.Counter] = collections.defaultdict(collections.Counter)
    for run, name, count in names.runs:
        if name:
            for size in range(1, len(run) + 1):
                for start in range(len(run) - size + 1):
                    parts[run[start:start + size]][name] += count
    return parts


def resolve_name(part: tuple[str, ...], names: TextNames, book: NameBook, parts: dict | None = None) -> tuple[str, ...]:
    """The whole name that a run of capitalised words from a candidate is part of (empty: titles only).

    Any run of the text that holds the part names what it is part of, even where the part is the
    run's title ("Belarusian President" in "Belarusian President Alexander Lukashenko").
    """
    found = (parts if parts is not None else index_parts(names)).get(part)
    if found:
        name = min(found.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[0]
    else:
        name = part
    if not name or all(is_title(token) for token in name):
        return ()
    return book.full_name(name[0], names) if len(name) == 1 else name


def is_noun_phrase(tokens: tuple[str, ...]) -> bool:
    """Read as a noun phrase: no verb or adverb (save a participle before a noun), ends in a noun, no clause."""
    for i, token in enumerate(tokens):
        if is_capitalised(token):
            continue
        pos = parts_of_speech(token.lower())
        last = i == len(tokens) - 1
        if last and pos and "NOUN" not in pos and "PROPN" not in pos:
            return False
        if pos and pos <= VERBAL:
            # "armed forces": a participle before a noun is an adjective.
            participle = token.endswith(("ed", "en")) and not last
            if not participle or is_capitalised(tokens[i + 1]) or not can_be_noun(tokens[i + 1]):
                return False
        if not last and "NOUN" in pos and token.lower().endswith("s") and "VERB" in parts_of_speech(tokens[i + 1].lower()) \
                and not is_capitalised(tokens[i + 1]):
            # A plural noun then a verb is a subject and its verb ("guerrillas attempt").
            return False
    return True


def is_descriptive_phrase(tokens: tuple[str, ...], modifiers, names: TextNames) -> bool:
    """A phrase that describes rather than names, too loose to gather articles: never a keyword.

    Common words only ("widespread measures", "disengagement area": a keyword names something, and
    keywords.yml can still make such a phrase one); a date ("Saturday April"); three words or more
    that are not all a name (a clause's fragment: "northern Ukrainian border"); a modifier before
    common words ("Belarusian soldiers", "Japanese TV") or at the end ("Injured Russian"); a people
    ("Russians", where the text prints "Russian" too).
    """
    if any(token.lower() in CALENDAR_WORDS for token in tokens):
        return True
    first, last = tokens[0], tokens[-1]
    if is_people(last, names) and all(not is_capitalised(token) for token in tokens[:-1]):
        return True
    if len(tokens) == 1:
        return False
    # A common word capitalised at a sentence's start names nothing either ("Armed men", "Plastic bottles").
    common = [token == token.lower() or (i == 0 and not token.isupper() and is_common_word(token)) for i, token in enumerate(tokens)]
    if last in modifiers or all(common):
        return True
    if len(tokens) == 2 and common[0] and not is_capitalised(first) and "NOUN" in parts_of_speech(first) \
            and is_capitalised(last):
        return True  # a noun before a name is the name's label, cut from the rest ("producer Soren", "daughter Laura")
    lower = [token for token in tokens if not is_capitalised(token)]
    if lower and len(tokens) >= 3:
        return True
    # An acronym of a common word ("TV") after a modifier is no name either.
    return first in modifiers and all(not is_capitalised(t) or (t.isupper() and is_common_word(t)) for t in tokens[1:])


def is_people(token: str, names: TextNames) -> bool:
    """A capitalised plural whose singular the text prints too: a people ("Russians", "Belarusians")."""
    return token.endswith("s") and is_capitalised(token) and any(word == token[:-1] for word, _n, _c in names.capitals)


def is_cut_name(name: tuple[str, ...], text: str) -> bool:
    """A name the text mostly prints as part of a longer one, before "of" and a name ("Republic" of "Republic of Belarus")."""
    printed = r"\s+".join(regex.escape(token) for token in name)
    uses = len(regex.findall(rf"(?<![^\W_]){printed}(?![^\W_])", text))
    longer = len(regex.findall(rf"(?<![^\W_]){printed}\s+of\s+\p{{Lu}}", text))
    return uses > 0 and 2 * longer > uses


def can_be_noun(token: str) -> bool:
    pos = parts_of_speech(token.lower())
    return is_capitalised(token) or not pos or "NOUN" in pos or "PROPN" in pos


def is_common_word(token: str) -> bool:
    """A word of the lexicon, as opposed to a name."""
    return bool(parts_of_speech(token.lower()))


def is_generic_word(token: str, share: float, articles: int) -> bool:
    """A single common word that says little: it can also be another part of speech, or most texts have it."""
    if token.lower() in CALENDAR_WORDS:
        return True
    pos = parts_of_speech(token.lower())
    if not pos:
        return False
    if pos - {"NOUN", "PROPN"}:
        return True
    return is_common_share(share, articles)


def share_decides(token: str) -> bool:
    """is_generic_word reads the word's share of texts: a lexicon word that is only a noun, no calendar word."""
    pos = parts_of_speech(token.lower())
    return bool(pos) and not pos - {"NOUN", "PROPN"} and token.lower() not in CALENDAR_WORDS


def is_common_share(share: float, articles: int) -> bool:
    """Most texts hold the word (counted only once there are enough texts)."""
    return articles >= GENERIC_MIN_ARTICLES and share >= GENERIC_SHARE


def shape_candidate(phrase: str, names: TextNames, book: NameBook, index: dict | None = None) -> tuple[str, ...]:
    """The keyword a candidate stands for, as printed (empty: none).

    A candidate holding part of a person's name becomes the whole name; a fragment of a clause
    around a name becomes the name; any other candidate stays if it reads as a noun phrase.
    """
    tokens = tuple(WORD.findall(phrase))
    if not tokens:
        return ()
    index = index_parts(names) if index is None else index
    parts, current = [], []
    for token in tokens:
        if is_capitalised(token):
            current.append(token)
        else:
            if current:
                parts.append(tuple(current))
            current = []
    if current:
        parts.append(tuple(current))
    resolved = [name for name in (resolve_name(part, names, book, index) for part in parts)
                if name and not is_descriptive_phrase(name, book.modifiers, names)]
    people = [name for name in resolved if len(name) >= 2 and name != tokens]
    if people:
        return max(people, key=len)
    # A title at the end was cut off from its name ("Belarusian dictator", "Ukrainian President").
    if is_noun_phrase(tokens) and not is_title(tokens[-1]) and not all(t in book.modifiers for t in tokens) \
            and not is_descriptive_phrase(tokens, book.modifiers, names):
        return tokens
    singles = [name for name in resolved if not (len(name) == 1 and name[0] in book.modifiers)]
    return singles[0] if singles and singles[0] != tokens else ()
