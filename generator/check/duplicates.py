"""The same question asked in several places, worded differently: grouped (generator/graph/duplicates.py)
so the author can merge them."""

from __future__ import annotations

from generator.check.rules import CheckContext, Finding, rule
from generator.graph.duplicates import near_duplicate_groups


@rule("duplicate-question", "the same question asked in several places")
def duplicate_questions(context: CheckContext):
    cards = [card for result in context.parsed for card in result.cards]
    for group in near_duplicate_groups(cards):
        first, rest = group[0], group[1:]
        asked = "; ".join(f"{card.question!r} ({card.location})" for card in group)
        yield Finding(
            first.location,
            "duplicate-question",
            f"asked {len(group)} ways, consider merging: {asked}",
            related=tuple(card.location for card in rest),
        )
