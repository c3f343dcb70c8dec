"""Study order: new cards are introduced prerequisites first (LoRA before QLoRA before DoRA).

Concepts are ordered topologically along the edges that mean "learn the source first":

- lineage (`extends`, `variant_of`, `simplifies`, `alternative_to`): base → newer, LoRA → QLoRA;
- `precedes`: earlier stage → later stage, SFT → RLHF;
- `part_of`: part → whole, NF4 → QLoRA.

`uses`, `contrasts_with` and `related` do not order anything (they say nothing about which comes
first). Among concepts free to come next, the one the notes mention first wins (file order, then
line). A cycle is broken where it must be: when every remaining concept still waits for another,
the one the notes mention first is taken, as if its remaining prerequisites were met.

A card follows the concepts its question names: it comes right after the *last* of them in the
concept order (a question about LoRA and QLoRA waits until both are introduced). A card whose
question names none follows the first concept its answer mentions; a card with no concept at all
keeps its place right after the card before it in its file. Ties keep the notes' order.

Generated cards (acronyms) come just before the first card of their concept.

The result is a `due` (new-card position, 1, 2, 3 …) per GUID: the same notes give the same dues.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable

from generator.graph.link import ConceptGraph
from generator.graph.matcher import kept_matcher
from generator.graph.memory import CardMemory, NoMemory
from generator.model import Flashcard

ORDERING_TYPES = ("extends", "variant_of", "simplifies", "alternative_to", "precedes", "part_of")
"""Relation types whose source is learned before their target."""


def note_order(cards: Iterable[Flashcard]) -> list[Flashcard]:
    return sorted(cards, key=lambda card: (card.location.path, card.location.line))


def concept_order(graph: ConceptGraph, cards: list[Flashcard]) -> list[str]:
    """Every concept of the graph, prerequisites first."""
    first_seen: dict[str, int] = {}
    for position, card in enumerate(note_order(cards)):
        for name in graph.card_concepts.get(card.guid, ()):
            first_seen.setdefault(name, position)
    rank = {name: (first_seen.get(name, len(cards)), name) for name in graph.concepts}
    before: dict[str, set[str]] = defaultdict(set)  # concept → its prerequisites
    after: dict[str, set[str]] = defaultdict(set)
    for relation in graph.relations:
        if (
            relation.type in ORDERING_TYPES
            and relation.source != relation.target
            and relation.source in rank
            and relation.target in rank
        ):
            before[relation.target].add(relation.source)
            after[relation.source].add(relation.target)
    waiting = {name: len(before[name]) for name in rank}
    ready = [rank[name] for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(rank):
        if not ready:  # a cycle: take the remaining concept the notes mention first
            heapq.heappush(ready, min(rank[name] for name in rank if name not in done))
        _, name = heapq.heappop(ready)
        if name in done:
            continue
        done.add(name)
        order.append(name)
        for newer in sorted(after[name]):
            waiting[newer] -= 1
            if waiting[newer] == 0 and newer not in done:
                heapq.heappush(ready, rank[newer])
    return order


def card_anchors(
    graph: ConceptGraph, cards: list[Flashcard], order: list[str], memo: CardMemory | None = None
) -> dict[str, str]:
    """GUID → the concept a card follows in the study order (see the module docstring). `memo` may
    keep the matcher of the concepts' names for the next build."""
    position = {name: index for index, name in enumerate(order)}
    # One dictionary matcher for every name of every concept (regexes per concept cost seconds
    # once the vocabulary gives each concept a dozen names).
    surfaces = [(s, name) for name, c in graph.concepts.items() for s in (name, *c.aliases)]
    matcher = kept_matcher(memo or NoMemory(), surfaces, "node matcher")
    anchors = {}
    for card in cards:
        names = [n for n in graph.card_concepts.get(card.guid, ()) if n in position]
        in_question = {name for _, _, name in matcher.find(card.question, overlapping=True)}
        asked = [n for n in names if n in in_question]
        if asked:
            anchors[card.guid] = max(asked, key=position.__getitem__)
        elif names:
            anchors[card.guid] = names[0]
    return anchors


def study_dues(
    graph: ConceptGraph,
    cards: list[Flashcard],
    extra: Iterable[Flashcard] = (),
    order: list[str] | None = None,
    memo: CardMemory | None = None,
) -> dict[str, int]:
    """GUID → new-card position (1-based), prerequisites first. `extra` cards (acronym cards, about
    one concept each: their `concepts[0]`) come just before the first card of their concept.
    `order`: `concept_order(graph, cards)`, when the caller has it already."""
    order = concept_order(graph, cards) if order is None else order
    position = {name: index for index, name in enumerate(order)}
    anchors = card_anchors(graph, cards, order, memo)
    keys = {}
    previous: dict[str, int] = {}
    for index, card in enumerate(note_order(cards)):
        anchor = anchors.get(card.guid)
        # No concept: stay right after the card before it in the same file.
        slot = position[anchor] if anchor else previous.get(card.location.path, -1)
        previous[card.location.path] = slot
        keys[card.guid] = (slot, 0, index, "")
    for card in extra:
        if card.concepts and card.concepts[0] in position:
            keys[card.guid] = (position[card.concepts[0]], -1, 0, card.question)
    ranked = sorted(keys, key=keys.__getitem__)
    return {guid: number for number, guid in enumerate(ranked, start=1)}
