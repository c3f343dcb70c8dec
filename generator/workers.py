"""Spread independent work over the machine's cores: parsing note files, reading cards for concepts.

Workers are forked, so they start with everything the parent built (the parser, the concept index)
without pickling it; only the items and the results travel. Results come back in input order, so
the output is the same with one worker or many.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 200
"""Below this, starting workers costs more than it saves."""

_context: object = None


def default_jobs() -> int:
    configured = os.environ.get("DECKGRAPH_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(os.cpu_count() or 1, 8))


def context() -> object:
    """What the caller of `parallel_map` handed to the workers."""
    return _context


def parallel_map(function: Callable[[T], R], items: Sequence[T], jobs: int, shared: object = None) -> list[R]:
    """`[function(item) for item in items]`, in forked workers when there are enough items.
    `function` must be a module-level function; it reads `shared` through `context()`."""
    return list(parallel_imap(function, items, jobs, shared))


def parallel_imap(function: Callable[[T], R], items: Sequence[T], jobs: int, shared: object = None) -> Iterator[R]:
    """Like `parallel_map`, yielding each result in order as soon as it is ready (for a progress bar)."""
    global _context
    _context = shared
    try:
        if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
            for item in items:
                yield function(item)
            return
        size = max(1, len(items) // (jobs * 8))
        chunks = [(function, items[start : start + size]) for start in range(0, len(items), size)]
        # Everything built so far is left out of the garbage collector's rounds, in the workers
        # too: they inherit it read-only, and a round that visits it copies its pages into each.
        gc.freeze()
        try:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for chunk in pool.map(_run_chunk, chunks):
                    yield from chunk
        finally:
            gc.unfreeze()
    finally:
        _context = None


def _run_chunk(job: tuple[Callable[[T], R], Sequence[T]]) -> list[R]:
    function, items = job
    return [function(item) for item in items]
