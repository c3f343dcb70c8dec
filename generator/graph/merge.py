"""Merged duplicates (`build --merge-duplicates`): one card for a question the notes ask in several places.

Groups are those `deckgraph check` reports as near-duplicate questions (generator/graph/duplicates.py).
The merged card is the group's first member (file order, then line): its question, its GUID, its
place. Its back shows every member's answer under its source, "File title — file:line", in that
order, with the member's own question when it is worded differently.

Identity: every member still goes through the ID lockfile as a card of its own, so each keeps its
lock entry, none is marked removed, and turning merging off again brings them back under their
old GUIDs. The merged card changes what the first member shows, so its `mod` moves on and Anki
updates it. Members other than the first are simply not in the package: if they were imported
before merging was turned on, Anki keeps them (an import never deletes) — delete them there.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from generator.graph.duplicates import near_duplicate_groups
from generator.graph.link import MAX_RELATED_LINES
from generator.identity.matching import normalize_question
from generator.model import Flashcard

MERGED_TAG = "deckgraph::merged"


@dataclass(slots=True)
class MergeResult:
    cards: list[Flashcard]
    groups: list[list[Flashcard]]
    """Each merged group, first member first."""
    hidden: set[str]
    """GUIDs of members folded into another card."""


def merge_duplicates(cards: list[Flashcard]) -> MergeResult:
    groups = near_duplicate_groups(cards)
    merged: dict[str, Flashcard] = {}
    hidden: set[str] = set()
    for group in groups:
        merged[group[0].guid] = merged_card(group)
        hidden |= {card.guid for card in group[1:]}
    result = [merged.get(card.guid, card) for card in cards if card.guid not in hidden]
    return MergeResult(result, groups, hidden)


def merged_card(group: list[Flashcard]) -> Flashcard:
    first = group[0]
    sections, sources = [], []
    for card in group:
        where = f"{card.deck} — {card.location}"
        asked = (
            ""
            if normalize_question(card.question) == normalize_question(first.question)
            else f'<div class="merged-question">{card.question_html}</div>'
        )
        sections.append(
            f'<section class="merged-source"><h4 class="merged-from">{html.escape(where)}</h4>'
            f"{asked}{card.answer_html}</section>"
        )
        sources.append(f"## {where}\n\n{card.answer_md}")
    concepts = tuple(dict.fromkeys(name for card in group for name in card.concepts))
    related = tuple(dict.fromkeys(line for card in group for line in card.related))[:MAX_RELATED_LINES]
    tags = tuple(sorted({tag for card in group for tag in card.tags} | {MERGED_TAG}))
    return replace(
        first,
        answer_md="\n\n".join(sources),
        answer_html="\n".join(sections),
        concepts=concepts,
        related=related,
        tags=tags,
    )
