"""What each page is made of: a digest of every value its template reads.

A rebuild renders a page only when its digest differs from the last build's, so one corrected
article re-renders its own page and the pages that show it (listings, its neighbours, the articles
whose related coverage names it), not all of them. The templates, the code and mkdocs.yml are not
in a page's digest: a change to any of them is a different code key, and every page renders.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
from collections.abc import Callable

from ..model import Article

# Containers at least this long are digested once per render, however many pages show them.
_SHARED_LEN = 64
_PLAIN = (str, int, float, bool, type(None))


class PageKeys:
    """Digests of pages' inputs for one render of a corpus; an article counts as its own digest."""

    def __init__(self, articles: tuple[Article, ...], common: dict, digest_all: bool = True):
        """digest_all: digest every article now (before worker processes fork), else each when first met."""
        self.articles = {id(a): _article_digest(a) for a in articles} if digest_all else {}
        self._corpus = articles  # the articles behind self.articles' ids stay alive, so no id is reused
        self._corpus_ids = {id(a) for a in articles}
        self._shared: dict[int, str] = {}
        self._kept: list = []  # the objects behind _shared's ids stay alive, so no id is reused
        self.common = self._digest(common)

    def key(self, template: str, page_path: str, values: dict) -> str:
        return hashlib.sha256(f"{template}\0{page_path}\0{self.common}\0{self._digest(values)}".encode("utf-8")).hexdigest()

    def _digest(self, value) -> str:
        parts: list[str] = []
        self._walk(value, parts)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def _article(self, article: Article) -> str:
        known = self.articles.get(id(article))
        if known is None:
            known = _article_digest(article)
            if id(article) in self._corpus_ids:  # alive as long as self: its id stays its own
                self.articles[id(article)] = known
        return known

    def _walk(self, value, parts: list[str]) -> None:
        kind = type(value)
        if kind in _PLAIN:
            parts.append(repr(value))
        elif kind is Article:
            parts.append(self._article(value))
        elif kind in (list, tuple, dict) and len(value) >= _SHARED_LEN:
            known = self._shared.get(id(value))
            if known is None:
                known = self._shared[id(value)] = self._digest_parts(value)
                self._kept.append(value)
            parts.append(known)
        else:
            self._walk_parts(value, parts)

    def _digest_parts(self, value) -> str:
        parts: list[str] = []
        self._walk_parts(value, parts)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def _walk_parts(self, value, parts: list[str]) -> None:
        if isinstance(value, (list, tuple)):
            if not self._walk_alike(value, parts):
                parts.append("(")
                for item in value:
                    self._walk(item, parts)
                parts.append(")")
        elif isinstance(value, dict):
            if not (all(type(name) in _PLAIN for name in value) and self._walk_alike(list(value.values()), parts,
                                                                                    names=list(value))):
                parts.append("{")
                for name, item in value.items():
                    self._walk(name, parts)
                    self._walk(item, parts)
                parts.append("}")
        elif hasattr(value, "tobytes") and hasattr(value, "dtype"):  # numpy: its repr elides long arrays
            parts.append(f"{value.dtype}{getattr(value, 'shape', '')}{hashlib.sha256(value.tobytes()).hexdigest()}")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type) and _holds_articles(type(value)):
            parts.append(type(value).__qualname__)
            for field in dataclasses.fields(value):
                self._walk(getattr(value, field.name), parts)
        else:
            # Anything else by its repr (a record of plain values: a keyword, a date, a chart): a
            # value whose repr hides its content (an address) only makes the page render again.
            parts.append(f"{type(value).__qualname__}:{value!r}")

    def _walk_alike(self, items: list | tuple, parts: list[str], names: list | None = None) -> bool:
        """Items all of one kind in one step (articles, plain values or records of them); False for a mix."""
        kinds = {type(item) for item in items}
        if not kinds:
            parts.append("()")
            return True
        if len(kinds) > 1:
            return False
        kind = kinds.pop()
        listed: list
        if kind is Article:
            listed = [self._article(item) for item in items]
        elif kind in _PLAIN:
            listed = list(items)
        else:
            fields = _record_fields(kind)
            if fields is None:
                return False
            listed = [fields(item) for item in items]
        parts.append(f"{kind.__qualname__}{'' if names is None else names!r}{listed!r}")
        return True


def _article_digest(article: Article) -> str:
    return hashlib.sha256(repr(article).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=None)
def _holds_articles(kind: type) -> bool:
    """A record type with a field that may hold articles is walked field by field; others go by their repr."""
    return any(name in str(field.type) for field in dataclasses.fields(kind) for name in ("Article", "Corpus", "Related"))


_FIELD_READERS: dict[type, Callable | None] = {}


def _record_fields(kind: type) -> Callable | None:
    """A record type of plain values read field by field in one C call (its repr, faster); None for others."""
    if kind not in _FIELD_READERS:
        reader = None
        if dataclasses.is_dataclass(kind) and not _holds_articles(kind):
            names = [field.name for field in dataclasses.fields(kind)]
            reader = operator.attrgetter(*names) if len(names) > 1 else (lambda item, name=names[0]: (getattr(item, name),))
        _FIELD_READERS[kind] = reader
    return _FIELD_READERS[kind]
