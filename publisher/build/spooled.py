"""The files of a site being built, their long texts waiting in a scratch file instead of memory.

A build renders every page before it writes any (the redirects and the published-pages list need
the whole set of paths). At 3,000 articles the rendered Markdown held that way was 150 MB of the
build's memory, and it grows with the archive: at 100,000 articles it would be gigabytes. Kept
here, each text costs its path and two numbers in memory; its bytes go to an unnamed scratch file
(deleted by the system when it is closed, even if the build is killed) and are read back when the
site is written, once.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import IO

SPOOL_FROM = 512  # characters: shorter texts (redirect stubs, small listings) stay in memory
WRITE_BYTES = 1 << 20  # a text made in pieces is written a megabyte at a time

Content = str | bytes | None


@dataclass(frozen=True)
class _Spooled:
    offset: int
    length: int


class _Scratch:
    """An unnamed file that texts are appended to, and read back from by position."""

    def __init__(self):
        self.file: IO[bytes] = tempfile.TemporaryFile(prefix="site-files-")
        self.end = 0

    def put(self, text: str) -> _Spooled:
        start = self.end
        self._append(text.encode("utf-8"))
        return _Spooled(start, self.end - start)

    def put_pieces(self, pieces: Iterable[str]) -> _Spooled:
        start, buffered, size = self.end, [], 0
        for piece in pieces:
            data = piece.encode("utf-8")
            buffered.append(data)
            size += len(data)
            if size >= WRITE_BYTES:
                self._append(b"".join(buffered))
                buffered, size = [], 0
        self._append(b"".join(buffered))
        return _Spooled(start, self.end - start)

    def _append(self, data: bytes) -> None:
        os.pwrite(self.file.fileno(), data, self.end)
        self.end += len(data)

    def get(self, spooled: _Spooled) -> str:
        return os.pread(self.file.fileno(), spooled.length, spooled.offset).decode("utf-8")


class SpooledFiles(MutableMapping[str, Content]):
    """A dict of a site's files by path: text, bytes, or None (the last build's file is kept).

    Texts of SPOOL_FROM characters or more are kept in a scratch file; reading one back gives the
    same str. Bytes (the raw texts, which the build holds anyway) and None stay as they are.
    """

    def __init__(self, items: Mapping[str, Content] | None = None, scratch: _Scratch | None = None):
        self._scratch = scratch or _Scratch()
        self._entries: dict[str, Content | _Spooled] = {}
        if items:
            self.update(items)

    def sibling(self) -> SpooledFiles:
        """An empty mapping sharing this one's scratch file: update() takes its texts over without reading them."""
        return SpooledFiles(scratch=self._scratch)

    def __setitem__(self, path: str, content: Content) -> None:
        self._entries[path] = self._scratch.put(content) if isinstance(content, str) and len(content) >= SPOOL_FROM else content

    def __getitem__(self, path: str) -> Content:
        entry = self._entries[path]
        return self._scratch.get(entry) if isinstance(entry, _Spooled) else entry

    def __delitem__(self, path: str) -> None:
        del self._entries[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def update(self, other=(), /, **more) -> None:  # type: ignore[override]
        if isinstance(other, SpooledFiles) and other._scratch is self._scratch and not more:
            self._entries.update(other._entries)
        else:
            super().update(other, **more)

    def put_pieces(self, path: str, pieces: Iterable[str]) -> None:
        """A text made piece by piece (a data download of every article), written as it is made: never whole in memory."""
        self._entries[path] = self._scratch.put_pieces(pieces)

    def is_kept(self, path: str) -> bool:
        """The file is the last build's (None), told without reading any text back."""
        return self._entries[path] is None
