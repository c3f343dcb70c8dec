"""Concepts named on the same card are `related`: weighted by how many cards share them, with the
first three of those cards (in file and line order) as the evidence.

ARCHITECTURE
- `co_mentions` counts every card's pairs afresh: a build of its own.
- `CoMentions` is what a long-running process (`deckgraph watch`) keeps between builds: the pairs'
  counts, each file's cards with their concepts, and for each concept the files that name it. A
  build after a save recounts only the files whose cards changed and mends the pairs those cards
  name (or named); the result is the same list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations, groupby

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


Shown = tuple[tuple[str, str, tuple[str, ...]], ...]
"""One file's cards as the co-mentions see them: (question, place, concepts) of each, in line order."""


class CoMentions:
    """The co-mention relations, kept from build to build: see the module's docstring."""

    def __init__(self) -> None:
        self._forget()

    def _forget(self) -> None:
        self._files: dict[str, Shown] = {}
        self._holding: dict[str, set[str]] = {}
        """Each concept → the files whose cards name it."""
        self._counts: Counter[Pair] = Counter()
        self._relations: dict[Pair, Relation] = {}

    def relations(self, cards: Sequence[Flashcard], card_concepts: dict) -> list[Relation]:
        """`co_mentions(cards, card_concepts)`, from what changed since the last call."""
        files = {
            path: tuple((card.question, str(card.location), card_concepts[card.guid]) for card in group)
            for path, group in groupby(cards, key=lambda card: card.location.path)
        }
        try:
            return self._mended(cards, card_concepts, files)
        except BaseException:
            self._forget()  # half-mended counts must not reach the next build: it counts afresh
            raise

    def _mended(self, cards: Sequence[Flashcard], card_concepts: dict, files: dict[str, Shown]) -> list[Relation]:
        if not self._files:
            found = co_mentions(cards, card_concepts)
            self._relations = {(r.source, r.target): r for r in found}
            self._counts = Counter({pair: int(r.weight) for pair, r in self._relations.items()})
            for path, shown in files.items():
                self._hold(path, shown)
            return found
        touched: set[Pair] = set()
        for path in self._files.keys() - files.keys():
            touched |= self._drop(path)
        for path, shown in files.items():
            known = self._files.get(path)
            if known != shown:
                if known is not None:
                    touched |= self._drop(path)
                pairs = _pairs(shown)
                self._counts.update(pairs)
                self._hold(path, shown)
                touched |= pairs.keys()
        for pair in touched:
            if self._counts[pair]:
                self._relations[pair] = self._relation(pair)
            else:
                del self._counts[pair], self._relations[pair]
        return list(self._relations.values())

    def _hold(self, path: str, shown: Shown) -> None:
        self._files[path] = shown
        for _, _, names in shown:
            for name in names:
                self._holding.setdefault(name, set()).add(path)

    def _drop(self, path: str) -> set[Pair]:
        """Forget a file's cards; returns the pairs they named. (A file's pairs are counted again
        from its cards rather than kept: they are ten times as many as its concepts.)"""
        shown = self._files.pop(path)
        pairs = _pairs(shown)
        self._counts.subtract(pairs)
        for name in {name for _, _, names in shown for name in names}:
            self._holding[name].discard(path)
            if not self._holding[name]:
                del self._holding[name]
        return set(pairs)

    def _relation(self, pair: Pair) -> Relation:
        """The pair's relation: its count, and the first cards naming both, in file and line order."""
        first, second = pair
        evidence: list[Evidence] = []
        for path in sorted(self._holding[first] & self._holding[second]):
            for question, place, names in self._files[path]:
                if first in names and second in names:
                    evidence.append(Evidence(question, place))
                    if len(evidence) == _EVIDENCE:
                        return Relation(first, second, "related", tuple(evidence), float(self._counts[pair]))
        return Relation(first, second, "related", tuple(evidence), float(self._counts[pair]))


def _pairs(shown: Shown) -> Counter[Pair]:
    return Counter(pair for _, _, names in shown for pair in combinations(sorted(names), 2))
