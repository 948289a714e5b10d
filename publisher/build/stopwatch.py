"""The seconds each stage of a build took, and what it reused: for the summary line and the benchmarks."""
from __future__ import annotations

import time

from ..keywords.extract import ExtractionStats


class Stopwatch:
    """Seconds spent per stage and what the build reused; the build is the same with or without one."""

    def __init__(self):
        self.stages: dict[str, float] = {}
        self.extraction = ExtractionStats()
        self.up_to_date = False  # site_src/ and site/ were already what this build would make
        self.articles = 0  # in the corpus built
        self.pages_rendered: int | None = None  # Markdown pages rendered (None: site_src/ was reused)
        self.files_changed: int | None = None  # files of site_src/ written anew or removed (None: all written)
        self.mkdocs_pages: int | None = None  # pages MkDocs built again into a copy of site/ (None: all)
        self.search_shards: tuple[int, int] | None = None  # shards of the search index Pagefind made, of how many
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(self.stages.get(stage, 0.0) + now - self._last, 3)
        self._last = now
