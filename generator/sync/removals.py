"""Cards removed from the notes: tagged deckgraph::removed in the collection (as the .apkg route
does), or deleted when the user says so; once deleted, the lockfile forgets them, so
`deckgraph prune` has nothing left to do. Only notes of deckgraph's own note types are deleted."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from anki.collection import Collection
from anki.notes import NoteId

from generator.export.stamps import REMOVED_TAG
from generator.identity.lockfile import load_lockfile
from generator.sync.package import PackagedNote
from generator.sync.plan import HeldNote, held_notes


def delete_removed(col: Collection, package: Iterable[PackagedNote]) -> list[str]:
    """Delete the collection's notes that the package marks removed; returns every removed GUID the
    collection no longer holds (deleted now, or already gone)."""
    package = list(package)
    held = held_notes(col)
    doomed = [
        NoteId(held[note.guid].id) for note in package if note.removed and note.guid in held and held[note.guid].ours
    ]
    if doomed:
        col.remove_notes(doomed)
    return removed_and_gone(package, held)


def settle_orphans(col: Collection, orphans: list[HeldNote], delete: bool) -> None:
    """deckgraph's notes the package no longer has: deleted, or tagged deckgraph::removed."""
    if delete:
        if orphans:
            col.remove_notes([NoteId(note.id) for note in orphans])
        return
    untagged = [NoteId(note.id) for note in orphans if REMOVED_TAG not in note.tags]
    if untagged:
        col.tags.bulk_add(untagged, REMOVED_TAG)


def removed_and_gone(package: Iterable[PackagedNote], held: dict[str, HeldNote]) -> list[str]:
    """Removed GUIDs the collection holds no note of deckgraph's for (once `held` notes are deleted)."""
    return [note.guid for note in package if note.removed and (note.guid not in held or held[note.guid].ours)]


def forget_in_lockfile(notes_dir: Path, guids: Iterable[str]) -> int:
    """Drop deleted cards from the ID lockfile (what `deckgraph prune` does for them)."""
    lock = load_lockfile(notes_dir)
    gone = [guid for guid in guids if guid in lock.entries and lock.entries[guid].removed]
    for guid in gone:
        del lock.entries[guid]
    if gone:
        lock.save()
    return len(gone)
