"""What the build adds on top of the notes' own cards, from the concept graph: merged duplicates,
acronym cards and the study order (see merge.py, acronyms.py, study_order.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.config import BuildConfig
from generator.graph.acronyms import acronym_cards
from generator.graph.link import ConceptGraph
from generator.graph.memory import CardMemory
from generator.graph.merge import merge_duplicates
from generator.graph.study_order import concept_order, study_dues
from generator.model import Flashcard
from generator.settings import load_settings


@dataclass(slots=True)
class Enriched:
    cards: list[Flashcard]
    """The notes' cards, duplicates merged when asked."""
    generated: list[Flashcard] = field(default_factory=list)
    """Acronym cards (cloze notes)."""
    merged: list[list[Flashcard]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """Concepts, prerequisites first."""
    dues: dict[str, int] = field(default_factory=dict)
    """GUID → new-card position."""


def enrich(
    config: BuildConfig,
    graph: ConceptGraph,
    cards: list[Flashcard],
    texts: Mapping[str, str],
    paths: list[str],
    memo: CardMemory | None = None,
    files: Mapping[str, str] | None = None,
) -> Enriched:
    """`memo` and `files` (path → digest) carry what each file says over from the last build."""
    settings = load_settings(config.notes_dir, config.acronym_cards, config.merge_duplicates)
    result = Enriched(cards)
    if settings.merge_duplicates:
        merged = merge_duplicates(cards)
        result.cards, result.merged = merged.cards, merged.groups
    if settings.acronym_cards:
        result.generated = acronym_cards(graph, texts, paths, memo, files)
    result.order = concept_order(graph, result.cards)
    result.dues = study_dues(graph, result.cards, result.generated, result.order, memo)
    return result
