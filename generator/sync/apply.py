"""Applying a build to an open collection: Anki's own importer adds and updates the notes (same
GUIDs as the package, so the .apkg route and this one never duplicate each other), then what an
import cannot do: existing cards move to their subdeck, new cards take their study-order position.
Reviews are never touched (the import runs without scheduling)."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
from anki.models import NotetypeId

from generator.export.apkg import TEMPLATES_CHANGED_AT
from generator.sync.package import PackagedNote
from generator.sync.plan import Plan, deck_names, held_notes, make_plan
from generator.sync.progress import Report, quiet, with_progress
from generator.sync.session import database

IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


def import_package(col: Collection, package: Path, report: Report = quiet) -> None:
    """Anki's importer: new notes in, notes changed since they were last imported updated.
    `merge_notetypes` stays off: with it, a note of another type that shares a GUID would have its
    whole note type merged into ours."""
    request = ImportAnkiPackageRequest(
        package_path=str(package),
        options=ImportAnkiPackageOptions(
            merge_notetypes=False,
            update_notes=IF_NEWER,
            update_notetypes=IF_NEWER,
            with_scheduling=False,
            with_deck_configs=False,
        ),
    )
    with_progress(col, lambda: col.import_anki_package(request), report)


def note_types_current(col: Collection, package: list[PackagedNote]) -> bool:
    """The collection has the package's note types, with the current templates."""
    for notetype in {note.notetype for note in package}:
        held = col.models.get(NotetypeId(notetype))
        if held is None or held["mod"] < TEMPLATES_CHANGED_AT:
            return False
    return True


def fix_cards(col: Collection, package: list[PackagedNote], root_deck: str) -> Plan:
    """After the import: move cards whose subdeck changed and reposition new cards; returns what was done.

    Each changed card's modification time moves on by one second only, not to now: a sync keeps the
    newer version of a card, so a review made on a phone since the card was last synced (always
    later than that) wins over the move, and its schedule is never replaced by a new card's. A card
    kept where it was that way is moved by the next sync."""
    held = held_notes(col)
    plan = make_plan(package, held, deck_names(col), root_deck)
    by_deck: dict[str, list[int]] = defaultdict(list)
    for card_id, deck in plan.moves:
        by_deck[deck].append(card_id)
    for deck, card_ids in sorted(by_deck.items()):
        deck_id = col.decks.id(deck)
        database(col).executemany(
            "UPDATE cards SET did = ?, mod = mod + 1, usn = -1 WHERE id = ?", [(deck_id, cid) for cid in card_ids]
        )
    database(col).executemany(
        "UPDATE cards SET due = ?, mod = mod + 1, usn = -1 WHERE id = ?", [(due, cid) for cid, due in plan.positions]
    )
    if plan.moves or plan.positions:
        database(col).execute("UPDATE col SET mod = ?", int(time.time() * 1000))  # tells a sync there is news
    return plan
