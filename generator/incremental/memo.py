"""Remembering per-card results across builds: a card whose inputs are unchanged is not read again.
The concept stage sees it only as a `CardMemory` (generator/graph/memory.py).

Keys are short digests of everything a result depends on. Only the entries a build uses are kept,
so the memo never outgrows the notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from generator.workers import parallel_map

T = TypeVar("T")


class Memo:
    def __init__(self, previous: dict | None = None, live: dict | None = None) -> None:
        """`live`: what `keep` made in the build before, when this process runs build after build
        (`deckgraph watch`); None: a build of its own, which keeps nothing."""
        self.previous = previous or {}
        self.current: dict = {}
        self.live_before = live
        self.live: dict = {}
        """What `keep` made or took in this build: the next build of this process may take it."""

    @property
    def lasting(self) -> bool:
        return self.live_before is not None

    def keep(self, key: tuple, compute: Callable[[], T]) -> T:
        if self.live_before is None:
            return compute()
        if key not in self.live:
            self.live[key] = self.live_before[key] if key in self.live_before else compute()
        return self.live[key]

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        if key in self.current:
            return self.current[key]
        value = self.previous[key] if key in self.previous else compute()
        self.current[key] = value
        return value

    def __contains__(self, key: tuple) -> bool:
        return key in self.current or key in self.previous

    def fill(self, keys: Sequence[tuple], items: Sequence, compute: Callable, jobs: int, shared: object) -> None:
        """Compute the missing entries, `compute(item)` for each, over `jobs` worker processes."""
        missing = [index for index, key in enumerate(keys) if key not in self]
        results = parallel_map(compute, [items[index] for index in missing], jobs, shared)
        for index, result in zip(missing, results):
            self.current[keys[index]] = result

    @property
    def changed(self) -> bool:
        return self.current.keys() != self.previous.keys()
