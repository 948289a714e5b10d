"""YAKE's candidates by content hash, in one SQLite file: a warm build reads it in one go.

Beside them, each text's names and words as the keyword code of the time read them (`readings`,
with that code's digest): an edit takes the old text's counts out of the corpus's sums with them,
without the old text (keywords/stage.py).

A cache is a convenience, never a source of truth: every entry names its own key and is checked
on the way out, and a file that is not a readable cache is replaced by an empty one.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from pathlib import Path

from ..model import InputError, Problem

Candidates = tuple[tuple[str, float], ...]
SCHEMA = ("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID",
          "CREATE TABLE IF NOT EXISTS readings (key TEXT PRIMARY KEY, code TEXT NOT NULL, names TEXT NOT NULL,"
          " words TEXT NOT NULL) WITHOUT ROWID")
# What the file must hold and nothing else: a view or a trigger named alike would refuse or divert writes.
# A cache made before `readings` existed is still read (`check` writes nothing, so cannot add it).
SCHEMA_OBJECTS = ([("table", "entries")], [("table", "entries"), ("table", "readings")])
COLUMNS = {"entries": [("key", "TEXT", 1, 1), ("entry", "TEXT", 1, 0)],  # name, type, not null, primary key
           "readings": [("key", "TEXT", 1, 1), ("code", "TEXT", 1, 0), ("names", "TEXT", 1, 0), ("words", "TEXT", 1, 0)]}
SIDE_FILES = ("", "-journal", "-wal", "-shm")
COMMIT_EVERY = 200  # entries; an interrupted build keeps what it extracted up to the last commit


def parse_entry(raw, key: str) -> Candidates | None:
    """The candidates in a stored entry, or None unless it names key and holds (phrase, score) pairs."""
    try:
        entry = json.loads(raw)
    except (TypeError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("candidates"), list):
        return None
    candidates = entry["candidates"]
    if not all(isinstance(c, list) and len(c) == 2 and isinstance(c[0], str)
               and isinstance(c[1], (int, float)) and not isinstance(c[1], bool) for c in candidates):
        return None
    return tuple((phrase, float(score)) for phrase, score in candidates)


def format_entry(key: str, candidates) -> str:
    return json.dumps({"key": key, "candidates": [list(c) for c in candidates]})


def is_plain_or_missing(path: Path) -> bool:
    """A regular file that is not a link, or nothing at all."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return True


def check_schema(connection: sqlite3.Connection) -> None:
    """Raise DatabaseError unless the database holds the tables as SCHEMA makes them, and nothing else."""
    objects = connection.execute("SELECT type, name FROM sqlite_master ORDER BY type, name").fetchall()
    if objects not in SCHEMA_OBJECTS:
        raise sqlite3.DatabaseError("not a keyword cache")
    for _type, table in objects:
        columns = [row[1:4] + row[5:6] for row in connection.execute(f"PRAGMA table_info({table})")]  # a name of ours
        if columns != COLUMNS[table]:
            raise sqlite3.DatabaseError("not a keyword cache")


class KeywordCache:
    """One open cache file. Read-only when the caller must write nothing (`build.py check`)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self.connection: sqlite3.Connection | None = None
        self.pending = 0
        self.connection = self._open()

    def _open(self) -> sqlite3.Connection | None:
        if self.read_only:
            # SQLite follows links and blocks on a FIFO: read plain files only.
            if not all(is_plain_or_missing(path) for path in self._side_files()) or not self.path.exists():
                return None
            try:
                connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                check_schema(connection)
                return connection
            except sqlite3.DatabaseError:
                return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not all(is_plain_or_missing(path) for path in self._side_files()):
                self._remove_files()  # a link, folder or device in its place: never open through it
            try:
                return self._connect()
            except sqlite3.DatabaseError:
                self._remove_files()  # not a database, or not ours: start again rather than trust it
                return self._connect()
        except (OSError, sqlite3.DatabaseError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            shown = f"{self.path.parent.name}/{self.path.name}"
            raise InputError([Problem(shown, 0, f"is not a usable keyword cache and could not be replaced ({reason}): delete it, then build again")]) from None

    def _side_files(self) -> list[Path]:
        return [self.path.with_name(self.path.name + suffix) for suffix in SIDE_FILES]

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path)
        try:
            for statement in SCHEMA:
                connection.execute(statement)
            check_schema(connection)
            connection.commit()
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def _remove_files(self) -> None:
        for path in self._side_files():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)  # .cache/ is the build's own folder, safe to empty at any time
            else:
                path.unlink(missing_ok=True)

    def lookup(self, keys) -> tuple[dict[str, Candidates], int]:
        """The good entries among keys, and how many entries were there but bad (to be rebuilt)."""
        if self.connection is None:
            return {}, 0
        found: dict[str, Candidates] = {}
        bad = 0
        try:
            for key in keys:
                row = self.connection.execute("SELECT entry FROM entries WHERE key = ?", (key,)).fetchone()
                if row is None:
                    continue
                candidates = parse_entry(row[0], key)
                if candidates is None:
                    bad += 1
                else:
                    found[key] = candidates
        except sqlite3.DatabaseError:
            # A damaged file: nothing in it is trusted, and a writable cache starts again empty.
            self.connection.close()
            self.connection = None
            if not self.read_only:
                self._remove_files()
                self.connection = self._connect()
            return {}, len(found) + bad
        return found, bad

    def lookup_readings(self, keys, code: str) -> dict[str, tuple[str, str]]:
        """The names and words stored for keys by the code whose digest is code: {key: (names, words)}."""
        if self.connection is None:
            return {}
        found = {}
        try:
            for key in keys:
                row = self.connection.execute("SELECT code, names, words FROM readings WHERE key = ?", (key,)).fetchone()
                if row is not None and row[0] == code and isinstance(row[1], str) and isinstance(row[2], str):
                    found[key] = (row[1], row[2])
        except sqlite3.DatabaseError:
            return {}  # an old cache without the table, or a damaged file: the caller reads the texts again
        return found

    def store_reading(self, key: str, code: str, names: str, words: str) -> None:
        """Keep a text's packed names and words under its key, as the code whose digest is code read them."""
        if self.read_only or self.connection is None:
            return
        self.connection.execute("INSERT OR REPLACE INTO readings (key, code, names, words) VALUES (?, ?, ?, ?)",
                                (key, code, names, words))
        self._count_write()

    def store(self, key: str, candidates) -> None:
        """Keep candidates under key (committed in batches, and on close)."""
        if self.read_only or self.connection is None:
            return
        self.connection.execute("INSERT OR REPLACE INTO entries (key, entry) VALUES (?, ?)",
                                (key, format_entry(key, candidates)))
        self._count_write()

    def _count_write(self) -> None:
        self.pending += 1
        if self.pending >= COMMIT_EVERY and self.connection is not None:
            self.connection.commit()
            self.pending = 0

    def close(self) -> None:
        if self.connection is not None:
            if not self.read_only:
                self.connection.commit()
            self.connection.close()
            self.connection = None

    def __enter__(self) -> KeywordCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
