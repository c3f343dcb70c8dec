"""What a sync changes: the built package compared with the collection, note by note (by GUID).

The same comparison gives a dry run's counts, the counts printed after a sync, and, made again
after Anki's importer ran, the fixes an import cannot do: moving existing cards to their subdeck
and giving new cards their study-order position."""

from __future__ import annotations

from collections.abc import Collection as Container
from collections.abc import Iterable
from dataclasses import dataclass, field

from anki.collection import Collection

from generator.export.stamps import REMOVED_TAG
from generator.sync.package import OUR_NOTETYPES, PackagedNote, note_label
from generator.sync.session import database

NEW_CARD = 0
"""Anki's card type of a card never studied: only these take a new-card position."""


@dataclass(frozen=True, slots=True)
class HeldCard:
    id: int
    ord: int
    deck_id: int
    home_deck_id: int
    """Set while the card sits in a filtered deck; such a card is never moved."""
    type: int
    due: int


@dataclass(frozen=True, slots=True)
class HeldNote:
    """A note as the collection holds it."""

    id: int
    guid: str
    notetype: int
    mod: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: tuple[HeldCard, ...]

    @property
    def ours(self) -> bool:
        return self.notetype in OUR_NOTETYPES


def held_notes(col: Collection) -> dict[str, HeldNote]:
    """Every note of the collection by GUID (reads only)."""
    cards: dict[int, list[HeldCard]] = {}
    for card_id, note_id, ord_, deck_id, home, kind, due in database(col).all(
        "SELECT id, nid, ord, did, odid, type, due FROM cards"
    ):
        cards.setdefault(note_id, []).append(HeldCard(card_id, ord_, deck_id, home, kind, due))
    return {
        guid: HeldNote(
            note_id,
            guid,
            notetype,
            mod,
            tuple(fields.split("\x1f")),
            tuple(tags.split()),
            tuple(cards.get(note_id, ())),
        )
        for note_id, guid, notetype, mod, fields, tags in database(col).all(
            "SELECT id, guid, mid, mod, flds, tags FROM notes"
        )
    }


def deck_names(col: Collection) -> dict[int, str]:
    return {deck.id: deck.name for deck in col.decks.all_names_and_ids()}


@dataclass(slots=True)
class Plan:
    add: list[PackagedNote] = field(default_factory=list)
    update: list[PackagedNote] = field(default_factory=list)
    unchanged: int = 0
    edited_in_anki: list[PackagedNote] = field(default_factory=list)
    """Changed in Anki after the notes last changed: the importer keeps Anki's version."""
    moves: list[tuple[int, str]] = field(default_factory=list)
    """(card ID, deck name) of existing cards whose subdeck changed."""
    positions: list[tuple[int, int]] = field(default_factory=list)
    """(card ID, position) of new cards whose study-order position changed."""
    removed: list[PackagedNote] = field(default_factory=list)
    """Notes gone from the notes that the collection still holds (tagged deckgraph::removed)."""
    to_tag: list[PackagedNote] = field(default_factory=list)
    """Removed notes the import has yet to tag."""
    orphans: list[HeldNote] = field(default_factory=list)
    """Notes of deckgraph's types, all of whose cards are in the root deck, that the package no longer
    has: acronym cards whose acronym left the notes, cards forgotten by `deckgraph prune` before they
    were deleted in Anki, duplicates merged away. Removed like the others."""
    conflicting: list[PackagedNote] = field(default_factory=list)
    """A note of another note type holds the GUID: left alone (--adopt takes it over)."""

    def changes_notes_or_cards(self, deleting: bool) -> bool:
        untagged = [note for note in self.orphans if REMOVED_TAG not in note.tags]
        return bool(
            self.add
            or self.update
            or self.to_tag
            or self.moves
            or self.positions
            or untagged
            or (deleting and (self.removed or self.orphans))
        )

    @property
    def removed_labels(self) -> list[str]:
        return [note.label for note in self.removed] + [note_label(n.notetype, n.fields) for n in self.orphans]


def make_plan(
    package: Iterable[PackagedNote],
    held: dict[str, HeldNote],
    decks: dict[int, str],
    root_deck: str,
    adopted: Container[str] = (),
) -> Plan:
    plan = Plan()
    package = list(package)
    plan.orphans = orphans(package, held, decks, root_deck)
    for note in package:
        if note.guid in adopted:
            continue
        mine = held.get(note.guid)
        if mine is None:
            if not note.removed:
                plan.add.append(note)
            continue
        if not mine.ours:
            plan.conflicting.append(note)
            continue
        if note.removed:
            plan.removed.append(note)  # tagged by the import, kept where it is
            if note.mod > mine.mod and (mine.fields != note.fields or sorted(mine.tags) != sorted(note.tags)):
                plan.to_tag.append(note)
            continue
        if mine.fields != note.fields or sorted(mine.tags) != sorted(note.tags):
            (plan.update if note.mod > mine.mod else plan.edited_in_anki).append(note)
        else:
            plan.unchanged += 1
        _card_fixes(plan, note, mine, decks)
    return plan


def orphans(
    package: list[PackagedNote], held: dict[str, HeldNote], decks: dict[int, str], root_deck: str
) -> list[HeldNote]:
    """deckgraph's notes under the root deck that the package does not have (see Plan.orphans)."""
    guids = {note.guid for note in package}

    def inside(deck: str) -> bool:
        return deck == root_deck or deck.startswith(root_deck + "::")

    return [
        note
        for note in held.values()
        if note.ours
        and note.guid not in guids
        and note.cards
        and all(inside(decks.get(card.home_deck_id or card.deck_id, "")) for card in note.cards)
    ]


def _card_fixes(plan: Plan, note: PackagedNote, mine: HeldNote, decks: dict[int, str]) -> None:
    for card in mine.cards:
        if card.home_deck_id:
            continue
        if note.deck and decks.get(card.deck_id) != note.deck:
            plan.moves.append((card.id, note.deck))
        due = note.dues.get(card.ord, note.dues.get(0))
        if card.type == NEW_CARD and due is not None and card.due != due:
            plan.positions.append((card.id, due))
