"""The cleaning stage, with a memo of how the last run classified each article's blocks.

Classifying an article's blocks (headline, byline, furniture markers) reads its text, title and
authors and its outlet's furniture rules, nothing else; a rebuild after one edit would otherwise
classify every block of every article again (2.4 s at 10,000 articles). The memo keeps each
article's block kinds under a digest of those inputs; splitting the text into blocks is cheap and
is always done again, so the lines shown are always the text's own. Like the keyword memo, it is
a convenience, never a source of truth: anything unreadable, of another shape, made by other code
or not matching the text's blocks is ignored, and the article is cleaned in full.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from ..build.fingerprint import code_fingerprint
from ..build.memo import checked_text, read_plain_file, replace_memo
from ..model import Article, Block, Corpus, FurnitureRules
from ..parallel import collector_paused
from .clean import HEADLINE_REASON, clean_article, split_off_headline
from .text import merge_rules, split_blocks

FORMAT = 1
SPLIT = "split"  # a block that starts with the headline and goes on (to_kinds)


def clean_all(corpus: Corpus, memo_file: Path | None = None, read_only: bool = False, last: Corpus | None = None) -> Corpus:
    """Clean every article, reusing the memo's classification where an article's inputs are unchanged.

    With a memo file, the memo is replaced by this run's when anything changed (unless read_only,
    for `check`, which writes nothing). Without one, last (a corpus this stage cleaned, which the
    preview keeps in memory) gives its blocks to every article whose inputs are the same.
    """
    outlets = {o.id: o for o in corpus.outlets}
    rules: dict[str, FurnitureRules] = {}
    for article in corpus.articles:
        if article.outlet not in rules:
            rules[article.outlet] = merge_rules(corpus.general_rules, filter(None, [outlets.get(article.outlet)]))
    if memo_file is None:
        kept = blocks_since(last, corpus.articles, rules) if last is not None else {}
        return dataclasses.replace(corpus, articles=tuple(dataclasses.replace(a, blocks=kept[a.id]) if a.id in kept
                                                          else clean_article(a, rules[a.outlet]) for a in corpus.articles))
    code = memo_code()
    rules_digest = {outlet: hashlib.sha256(repr(merged).encode("utf-8")).hexdigest() for outlet, merged in rules.items()}
    memo = read_memo(memo_file, code)
    cleaned, kinds = [], {}
    for article in corpus.articles:
        key = input_digest(article, rules_digest[article.outlet])
        known = memo.get(article.id)
        blocks = from_kinds(article.text, known[1], article.title) if known is not None and known[0] == key else None
        if blocks is None:
            clean = clean_article(article, rules[article.outlet])
        else:
            clean = dataclasses.replace(article, blocks=blocks)
        cleaned.append(clean)
        kinds[article.id] = (key, to_kinds(clean.blocks, split_blocks(article.text)))
    if not read_only and kinds != memo:
        write_memo(memo_file, code, kinds)
    return dataclasses.replace(corpus, articles=tuple(cleaned))


def blocks_since(last: Corpus, articles: tuple[Article, ...], rules: dict[str, FurnitureRules]) -> dict[str, tuple[Block, ...]]:
    """The blocks of last's articles that still hold, by id: the same text, title, authors and furniture rules (input_digest's)."""
    last_outlets = {o.id: o for o in last.outlets}
    last_rules: dict[str, FurnitureRules] = {}
    before = {a.id: a for a in last.articles}
    kept = {}
    for article in articles:
        old = before.get(article.id)
        if old is None or (old.text, old.title, old.authors) != (article.text, article.title, article.authors):
            continue
        if old.outlet not in last_rules:
            last_rules[old.outlet] = merge_rules(last.general_rules, filter(None, [last_outlets.get(old.outlet)]))
        if last_rules[old.outlet] == rules[article.outlet]:
            kept[article.id] = old.blocks
    return kept


def memo_code() -> str:
    """Return the code a memo must have been made by: the code's one fingerprint."""
    return hashlib.sha256(f"clean\0{code_fingerprint()}".encode()).hexdigest()


def input_digest(article: Article, rules_digest: str) -> str:
    """What an article's cleaning reads: its text, title and authors, and its outlet's furniture rules."""
    return hashlib.sha256(repr((article.text, article.title, article.authors, rules_digest)).encode("utf-8")).hexdigest()


def to_kinds(blocks: tuple[Block, ...], split: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Each of the text's blocks' kind, with the reason after a colon for furniture: "paragraph", "furniture:page header".

    A block whose headline was split off (clean.split_off_headline: two blocks of the cleaned article)
    is "split".
    """
    kinds, at = [], 0
    for lines in split:
        block = blocks[at] if at < len(blocks) else None
        if block is not None and block.lines == lines:
            kinds.append(f"{block.kind}:{block.reason}" if block.kind == "furniture" else block.kind)
            at += 1
        else:
            kinds.append(SPLIT)
            at += 2
    return tuple(kinds)


def from_kinds(text: str, kinds: tuple[str, ...], title: str = "") -> tuple[Block, ...] | None:
    """The text's blocks with the kinds noted for them; None if the kinds do not fit the blocks."""
    split = split_blocks(text)
    if len(split) != len(kinds):
        return None
    blocks: list[Block] = []
    for lines, kind in zip(split, kinds):
        if kind == SPLIT:
            parts = split_off_headline(lines, title)
            if parts is None:
                return None
            blocks += [Block("furniture", parts[0], HEADLINE_REASON), Block("paragraph", parts[1])]
            continue
        name, _, reason = kind.partition(":")
        if name not in ("paragraph", "list", "furniture") or bool(reason) != (name == "furniture"):
            return None
        blocks.append(Block(name, lines, reason))
    return tuple(blocks)


def read_memo(path: Path, code: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The memo at path if this code made it: {article id: (input digest, kinds)}; {} for anything else."""
    raw = read_plain_file(path)
    if raw is None:
        return {}
    with collector_paused():
        try:
            data = json.loads(raw)
            if data["format"] != FORMAT or data["code"] != code:
                return {}
            return {checked_text(article_id): (checked_text(key), tuple(checked_text(kind) for kind in kinds))
                    for article_id, (key, kinds) in data["articles"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            return {}


def write_memo(path: Path, code: str, kinds: dict[str, tuple[str, tuple[str, ...]]]) -> None:
    """Replace the memo at path (memo.replace_memo)."""
    text = json.dumps({"format": FORMAT, "code": code, "articles": {i: [key, list(k)] for i, (key, k) in sorted(kinds.items())}},
                      ensure_ascii=False, separators=(",", ":"))
    replace_memo(path, text)
