"""Adopting notes another tool (Obsidian_to_Anki, inka2 …) or an older import made: each is matched
to a card of the notes, its GUID goes into the lockfile, and its note type becomes deckgraph's with
its cards (and so their review history) kept, so switching to deckgraph creates no duplicate.

Matching runs from the surest evidence to the weakest: the Anki note ID in an `<!--ID: …-->`
comment (the card's pinned ID), the same GUID, then the same front (its words, not its markup);
a front shared by several notes or cards adopts nothing."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection
from anki.consts import MODEL_CLOZE
from anki.models import NotetypeId
from anki.notes import NoteId

from generator.export.apkg import MODEL_ID, PackageNote, deck_path, write_package
from generator.identity.lockfile import load_lockfile
from generator.identity.matching import normalize_question
from generator.model import Flashcard, SourceLocation
from generator.sync.apply import import_package
from generator.sync.package import PackagedNote, plain
from generator.sync.plan import HeldNote

BY_ID, BY_GUID, BY_FRONT = "ID comment", "GUID", "front"
_PLACEHOLDER, _PLACEHOLDER_DECK = "deckgraph-note-types", "deckgraph note types"


@dataclass(frozen=True, slots=True)
class Adoption:
    note_id: int
    note_guid: str
    package_guid: str
    by: str
    notetype: int
    """The note type it had."""


def find_adoptions(col: Collection, package: list[PackagedNote], held: dict[str, HeldNote]) -> list[Adoption]:
    """Matches between the collection's notes of other note types and the package's Q&A notes that
    the collection does not hold yet."""
    cloze = {entry.id for entry in col.models.all_names_and_ids() if _notetype(col, entry.id)["type"] == MODEL_CLOZE}
    foreign = [note for note in held.values() if not note.ours and note.notetype not in cloze and note.fields]
    by_id = {note.id: note for note in foreign}
    wanted = [
        note
        for note in package
        if note.notetype == MODEL_ID and not note.removed and not (note.guid in held and held[note.guid].ours)
    ]
    found: list[Adoption] = []
    taken: set[int] = set()

    def take(card: PackagedNote, note: HeldNote, by: str) -> None:
        found.append(Adoption(note.id, note.guid, card.guid, by, note.notetype))
        taken.add(note.id)

    rest = []
    for card in wanted:
        note = by_id.get(int(card.guid)) if card.guid.isdigit() else None
        if note is not None and note.id not in taken:
            take(card, note, BY_ID)
        elif card.guid in held and not held[card.guid].ours and held[card.guid].id in by_id:
            take(card, held[card.guid], BY_GUID)
        else:
            rest.append(card)
    fronts: dict[str, list[HeldNote]] = defaultdict(list)
    for note in foreign:
        if note.id not in taken:
            fronts[normalize_question(plain(note.fields[0]))].append(note)
    asked: dict[str, list[PackagedNote]] = defaultdict(list)
    for card in rest:
        asked[normalize_question(plain(card.fields[0]))].append(card)
    for key, cards in asked.items():
        if key and len(cards) == 1 and len(fronts.get(key, ())) == 1:
            take(cards[0], fronts[key][0], BY_FRONT)
    return found


def record_in_lockfile(notes_dir: Path, adoptions: list[Adoption]) -> tuple[list[Adoption], bool]:
    """Give the cards matched by their front the adopted notes' GUIDs in the lockfile; returns the
    adoptions that stand (a GUID the lockfile already gives another card adopts nothing) and whether
    the lockfile changed. A card matched by its `<!--ID: …-->` comment keeps the ID the comment pins:
    the note takes it instead (see `claim_guids`)."""
    lock = load_lockfile(notes_dir)
    kept, moved = [], False
    for adoption in adoptions:
        if adoption.by == BY_FRONT:
            if adoption.note_guid in lock.entries or adoption.package_guid not in lock.entries:
                continue
            lock.entries[adoption.note_guid] = lock.entries.pop(adoption.package_guid)
            moved = True
        kept.append(adoption)
    if moved:
        lock.save()
    return kept, moved


def claim_guids(col: Collection, adoptions: list[Adoption]) -> None:
    """Before the import: a note matched by an `<!--ID: …-->` comment takes the GUID the comment
    pins, so the importer sees it holds the card and adds no copy."""
    notes = []
    for adoption in adoptions:
        if adoption.by == BY_ID:
            note = col.get_note(NoteId(adoption.note_id))
            note.guid = adoption.package_guid
            notes.append(note)
    if notes:
        col.update_notes(notes)


def card_guid(adoption: Adoption) -> str:
    """The GUID the card has in the package once adopted."""
    return adoption.package_guid if adoption.by == BY_ID else adoption.note_guid


def migrate(col: Collection, adoptions: list[Adoption], package: dict[str, PackagedNote], root_deck: str) -> None:
    """Change each adopted note to deckgraph's Q&A type (first field → Question, second → Answer,
    first card kept with its reviews), then give it the package's fields and tags."""
    if not adoptions:
        return
    if col.models.get(NotetypeId(MODEL_ID)) is None:
        _bring_note_types(col, root_deck)
    groups: dict[int, list[int]] = defaultdict(list)
    for adoption in adoptions:
        groups[adoption.notetype].append(adoption.note_id)
    for notetype, note_ids in sorted(groups.items()):
        info = col.models.change_notetype_info(
            old_notetype_id=NotetypeId(notetype), new_notetype_id=NotetypeId(MODEL_ID)
        )
        request = info.input
        request.note_ids.extend(note_ids)
        old_fields = len(_notetype(col, notetype)["flds"])
        mapping = [0, 1 if old_fields > 1 else -1]
        request.new_fields[:] = mapping + [-1] * (len(request.new_fields) - len(mapping))
        request.new_templates[:] = [0] + [-1] * (len(request.new_templates) - 1)
        col.models.change_notetype_of_notes(request)
    notes = []
    for adoption in adoptions:
        target = package[card_guid(adoption)]
        note = col.get_note(NoteId(adoption.note_id))
        note.guid = target.guid
        note.fields[:] = list(target.fields)
        note.tags = list(target.tags)
        notes.append(note)
    col.update_notes(notes)


def _notetype(col: Collection, notetype: int) -> dict:
    found = col.models.get(NotetypeId(notetype))
    if found is None:
        raise RuntimeError(f"no note type {notetype}")
    return found


def _bring_note_types(col: Collection, root_deck: str) -> None:
    """Anki creates a note type with its ID only by importing it: import one placeholder note, then
    delete it (and the subdeck it made)."""
    existed = col.decks.id_for_name(deck_path(root_deck, _PLACEHOLDER_DECK))
    placeholder = Flashcard(
        "deckgraph", "deckgraph", "", "", SourceLocation("deckgraph", 1), (), _PLACEHOLDER_DECK, "heading", _PLACEHOLDER
    )
    with tempfile.TemporaryDirectory(prefix="deckgraph-types-") as folder:
        path = Path(folder) / "types.apkg"
        write_package(path, [PackageNote(placeholder, mod=1)], root_deck)
        import_package(col, path)
    col.remove_notes(col.find_notes(f'"guid:{_PLACEHOLDER}"'))
    made = col.decks.id_for_name(deck_path(root_deck, _PLACEHOLDER_DECK))
    if made and not existed and not col.decks.card_count(made, include_subdecks=True):
        col.decks.remove([made])
