"""Applying a build to an open collection: Anki's own importer adds and updates the notes (same
GUIDs as the package, so the .apkg route and this one never duplicate each other), then what an
import cannot do: existing cards move to their subdeck, new cards take their study-order position.
Reviews are never touched (the import runs without scheduling)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

from generator.sync.package import PackagedNote
from generator.sync.plan import Plan, deck_names, held_notes, make_plan

IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


def import_package(col: Collection, package: Path) -> None:
    """Anki's importer: new notes in, notes changed since they were last imported updated.
    `merge_notetypes` stays off: with it, a note of another type that shares a GUID would have its
    whole note type merged into ours."""
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package),
            options=ImportAnkiPackageOptions(
                merge_notetypes=False,
                update_notes=IF_NEWER,
                update_notetypes=IF_NEWER,
                with_scheduling=False,
                with_deck_configs=False,
            ),
        )
    )


def fix_cards(col: Collection, package: list[PackagedNote]) -> Plan:
    """After the import: move cards whose subdeck changed and reposition new cards; returns what was done."""
    held = held_notes(col)
    plan = make_plan(package, held, deck_names(col))
    by_deck: dict[str, list[int]] = defaultdict(list)
    for card_id, deck in plan.moves:
        by_deck[deck].append(card_id)
    for deck, card_ids in sorted(by_deck.items()):
        col.set_deck(card_ids, col.decks.id(deck))
    if plan.positions:
        cards = []
        for card_id, due in plan.positions:
            card = col.get_card(card_id)
            card.due = due
            cards.append(card)
        col.update_cards(cards)
    return plan
