"""What the concept stage asks of a memory of per-card results, so that the incremental layer can
supply one (see generator/incremental/memo.py) without the stage knowing about caches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from generator.workers import parallel_map

T = TypeVar("T")


class CardMemory(Protocol):
    @property
    def lasting(self) -> bool:
        """Whether `keep` hands its values on to a next build (a long-running process): worth keeping
        state that a later build mends instead of making again."""
        ...

    def get(self, key: tuple, compute: Callable[[], T]) -> T: ...

    def keep(self, key: tuple, compute: Callable[[], T]) -> T:
        """`compute()`, or the value a build before this one in the same process made for `key`: for
        values that are costly to make and to save (a name matcher of every spelling), never saved."""
        ...

    def fill(self, keys: Sequence[tuple], items: Sequence, compute: Callable, jobs: int, shared: object) -> None: ...


class NoMemory:
    """Computes every result afresh: a stage run without the incremental layer."""

    lasting = False

    def __init__(self) -> None:
        self.current: dict[tuple, Any] = {}

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        if key not in self.current:
            self.current[key] = compute()
        return self.current[key]

    def keep(self, key: tuple, compute: Callable[[], T]) -> T:
        return compute()

    def fill(self, keys: Sequence[tuple], items: Sequence, compute: Callable, jobs: int, shared: object) -> None:
        missing = [index for index, key in enumerate(keys) if key not in self.current]
        for index, result in zip(missing, parallel_map(compute, [items[i] for i in missing], jobs, shared)):
            self.current[keys[index]] = result
