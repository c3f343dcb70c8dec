"""The notes and the desktop profile the --collection tests sync."""

from __future__ import annotations

import pytest
from anki.collection import Collection
from sample_notes import write_first_notes
from syncing import FOREIGN


@pytest.fixture
def notes(tmp_path):
    return write_first_notes(tmp_path / "notes")


@pytest.fixture
def profile(tmp_path):
    """A desktop profile's collection with one note deckgraph did not make."""
    path = tmp_path / "profile" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = FOREIGN, "Paris"
    col.add_note(note, col.decks.id("Geography"))
    col.close()
    return path
