"""Cards removed from the notes: tagged deckgraph::removed in the collection (as the .apkg route
does), or deleted when the user says so; once deleted, the lockfile forgets them, so
`deckgraph prune` has nothing left to do. Only notes of deckgraph's own note types are deleted."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from anki.collection import Collection

from generator.identity.lockfile import load_lockfile
from generator.sync.package import PackagedNote
from generator.sync.plan import held_notes


def delete_removed(col: Collection, package: Iterable[PackagedNote]) -> list[str]:
    """Delete the collection's notes that the package marks removed; returns every removed GUID the
    collection no longer holds (deleted now, or already gone)."""
    removed = [note.guid for note in package if note.removed]
    held = held_notes(col)
    doomed = [held[guid].id for guid in removed if guid in held and held[guid].ours]
    if doomed:
        col.remove_notes(doomed)
    return [guid for guid in removed if guid not in held or held[guid].ours]


def forget_in_lockfile(notes_dir: Path, guids: Iterable[str]) -> int:
    """Drop deleted cards from the ID lockfile (what `deckgraph prune` does for them)."""
    lock = load_lockfile(notes_dir)
    gone = [guid for guid in guids if guid in lock.entries and lock.entries[guid].removed]
    for guid in gone:
        del lock.entries[guid]
    if gone:
        lock.save()
    return len(gone)
