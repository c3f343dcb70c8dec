"""Remembering per-card results across builds: a card whose inputs are unchanged is not read again.

Keys are short digests of everything a result depends on. Only the entries a build uses are kept,
so the memo never outgrows the notes.
"""

from __future__ import annotations

import hashlib
from typing import Callable, TypeVar

T = TypeVar("T")


def digest(*parts: object) -> str:
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Memo:
    def __init__(self, previous: dict | None = None) -> None:
        self.previous = previous or {}
        self.current: dict = {}

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        if key in self.current:
            return self.current[key]
        value = self.previous[key] if key in self.previous else compute()
        self.current[key] = value
        return value

    @property
    def changed(self) -> bool:
        return self.current.keys() != self.previous.keys()
