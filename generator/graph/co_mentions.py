"""Concepts named on the same card are `related`: weighted by how many cards share them, with the
first three of those cards (in file and line order) as the evidence.

ARCHITECTURE
- `co_mentions` counts every card's pairs afresh: a build of its own.
- `CoMentions` is what a long-running process (`deckgraph watch`) keeps between builds: each
  file's pairs and, for each pair, the files that name it. A build after a save recounts only the
  files whose cards changed and mends the pairs those cards name; the result is the same list.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from collections.abc import Sequence
from itertools import combinations, groupby
from typing import NamedTuple

from generator.model import Evidence, Flashcard, Relation

_EVIDENCE = 3

Pair = tuple[str, str]


def co_mentions(cards: Sequence[Flashcard], card_concepts: dict) -> list[Relation]:
    """The `related` relations of `cards` (in file and line order). A pair is counted as one number
    (first * width + second, the names numbered in sorted order): a card naming 16 concepts makes
    120 pairs, and integers hash faster than tuples of names."""
    names = sorted({name for card in cards for name in card_concepts[card.guid]})
    numbers = {name: number for number, name in enumerate(names)}
    width = len(names)
    counts: Counter[int] = Counter()
    kept: dict[int, list[Evidence]] = {}
    full: set[int] = set()
    for card in cards:
        pairs = [a * width + b for a, b in combinations(sorted(map(numbers.__getitem__, card_concepts[card.guid])), 2)]
        counts.update(pairs)
        short = set(pairs).difference(full)  # pairs with fewer than three cards so far
        if short:
            evidence = Evidence(card.question, str(card.location))
            for pair in short:
                kept.setdefault(pair, []).append(evidence)
                if len(kept[pair]) == _EVIDENCE:
                    full.add(pair)
    return [
        Relation(names[pair // width], names[pair % width], "related", tuple(kept[pair]), float(count))
        for pair, count in counts.items()
    ]


class _File(NamedTuple):
    """One file's cards as the co-mentions see them."""

    shown: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(question, place, concepts) of each card, in line order: the file's pairs follow from it."""
    pairs: Counter[Pair]


class CoMentions:
    """The co-mention relations, kept from build to build: see the module's docstring."""

    def __init__(self) -> None:
        self._files: dict[str, _File] = {}
        self._naming: dict[Pair, list[str]] = {}
        """Each pair → the files that name it, in path order."""
        self._counts: Counter[Pair] = Counter()
        self._relations: dict[Pair, Relation] = {}

    def relations(self, cards: Sequence[Flashcard], card_concepts: dict) -> list[Relation]:
        """`co_mentions(cards, card_concepts)`, from what changed since the last call."""
        files = {
            path: tuple((card.question, str(card.location), card_concepts[card.guid]) for card in group)
            for path, group in groupby(cards, key=lambda card: card.location.path)
        }
        if not self._files:
            return self._start(cards, card_concepts, files)
        touched: set[Pair] = set()
        for path in sorted(self._files.keys() - files.keys()):
            touched |= self._drop(path)
        for path, shown in files.items():
            known = self._files.get(path)
            if known is None or known.shown != shown:
                if known is not None:
                    touched |= self._drop(path)
                touched |= self._add(path, shown)
        for pair in touched:
            if self._counts[pair]:
                self._relations[pair] = self._relation(pair)
            else:
                del self._counts[pair], self._relations[pair]
        return list(self._relations.values())

    def _start(self, cards: Sequence[Flashcard], card_concepts: dict, files: dict) -> list[Relation]:
        found = co_mentions(cards, card_concepts)
        self._relations = {(r.source, r.target): r for r in found}
        self._counts = Counter({pair: int(r.weight) for pair, r in self._relations.items()})
        for path in sorted(files):
            shown = files[path]
            pairs = _pairs(shown)
            self._files[path] = _File(shown, pairs)
            for pair in pairs:
                self._naming.setdefault(pair, []).append(path)
        return found

    def _drop(self, path: str) -> set[Pair]:
        pairs = self._files.pop(path).pairs
        self._counts.subtract(pairs)
        for pair in pairs:
            self._naming[pair].remove(path)
            if not self._naming[pair]:
                del self._naming[pair]
        return set(pairs)

    def _add(self, path: str, shown: tuple) -> set[Pair]:
        pairs = _pairs(shown)
        self._files[path] = _File(shown, pairs)
        self._counts.update(pairs)
        for pair in pairs:
            insort(self._naming.setdefault(pair, []), path)
        return set(pairs)

    def _relation(self, pair: Pair) -> Relation:
        """The pair's relation: its count, and the first cards naming both, across its files in order."""
        first, second = pair
        evidence: list[Evidence] = []
        for path in self._naming[pair]:
            for question, place, names in self._files[path].shown:
                if first in names and second in names:
                    evidence.append(Evidence(question, place))
                    if len(evidence) == _EVIDENCE:
                        return Relation(first, second, "related", tuple(evidence), float(self._counts[pair]))
        return Relation(first, second, "related", tuple(evidence), float(self._counts[pair]))


def _pairs(shown: tuple[tuple[str, str, tuple[str, ...]], ...]) -> Counter[Pair]:
    return Counter(pair for _, _, names in shown for pair in combinations(sorted(names), 2))
