"""Per-article work across worker processes, in input order, so the output is the same as a serial run's."""
from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import gc
import multiprocessing
import os
import sys
from typing import Any, Callable, Iterator

# Set in each worker before its first task: what every task of one run shares.
_worker_task: tuple[Callable[[Any, int], Any], Any] | None = None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def give_back_freed_memory() -> None:
    """Hand the memory earlier stages freed back to the system before forking workers.

    glibc keeps freed heap for reuse, so a process that rendered thousands of pages stays that size,
    and every worker forked from it counts it too. 10,000 articles, one text edited: the build
    process before MkDocs, 717 MB -> 430 MB.
    """
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc only: elsewhere the attribute is missing
    except (AttributeError, OSError):
        pass


@contextlib.contextmanager
def frozen_heap():
    """Keep the garbage collector off the objects that exist now (the corpus) while workers run.

    YAKE allocates heavily, so collections are frequent; each full one would walk the whole corpus,
    and in a forked worker would also copy every page it touches (gc.freeze's documented use before
    fork). With it, the benchmark's cold keyword stage at 10,000 articles took 203 s instead of 284 s.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def collector_paused():
    """No garbage collection while many small objects are made (a memo read, the keyword index):
    with the corpus in memory, each collection would walk all of it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


FEWER_COLLECTIONS = (100_000, 50, 100)  # gc thresholds: a young collection every 100,000 allocations, not 700


@contextlib.contextmanager
def fewer_collections():
    """Collect cyclic garbage about a hundred times less often than Python's default while rendering.

    Rendering holds the whole corpus (at 10,000 articles, millions of objects) and makes millions
    more; by default every 700 allocations start a collection, and the frequent older-generation
    ones walk all of it. Main-process CPU time of rendering a rebuild at 10,000 articles: 8.2 s by
    default, 6.3 s with these thresholds. Around YAKE and MkDocs they made no clear difference in
    a cold build (one run each: keywords 139 s and MkDocs 219 s with them, 133 s and 227 s
    without), so they stay where they were measured.
    """
    before = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def pool_context():
    """Fork where the platform's default is fork or forkserver (Linux): the workers then inherit what
    they share (the corpus, the name book) instead of receiving it pickled. Elsewhere, the default."""
    return multiprocessing.get_context("fork") if sys.platform == "linux" else None


def _start_worker(function: Callable[[Any, int], Any], shared: Any) -> None:
    global _worker_task
    _worker_task = (function, shared)


def _run_task(index: int) -> Any:
    assert _worker_task is not None, "a worker runs tasks only after _start_worker"
    function, shared = _worker_task
    return function(shared, index)


def map_in_order(function: Callable[[Any, int], Any], shared: Any, count: int, workers: int = 1,
                 chunk: int | None = None) -> Iterator:
    """Yield function(shared, i) for each i in range(count), in order, as results are ready.

    With more than one worker, the calls run in worker processes that get shared once each (by
    fork on Linux), so only the indexes and the results travel; they start at once, so the caller
    may do other work before it reads the first result. function must be a module-level function;
    chunk is the number of indexes a worker takes at a time (default: eight rounds per worker).
    """
    if workers <= 1 or count < 2:
        return _in_process(function, shared, count)
    results = _in_workers(function, shared, count, workers, chunk or max(1, count // (workers * 8)))
    next(results)  # fork and hand out the work now
    return results


def _in_process(function: Callable[[Any, int], Any], shared: Any, count: int) -> Iterator:
    with frozen_heap():
        yield from (function(shared, index) for index in range(count))


def _in_workers(function: Callable[[Any, int], Any], shared: Any, count: int, workers: int, chunk: int) -> Iterator:
    """None once the workers have their tasks, then map_in_order's results."""
    with frozen_heap(), concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=pool_context(),
                                                               initializer=_start_worker, initargs=(function, shared)) as pool:
        results = pool.map(_run_task, range(count), chunksize=chunk)
        yield None
        yield from results
