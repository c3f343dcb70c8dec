"""The built .apkg, read back: what the collection should hold after a sync (the importer sees the
same notes, so the counts and the fixes after an import agree with it)."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import DeckgraphError
from generator.export.apkg import ACRONYM_FIELDS, ACRONYM_MODEL_ID, FIELDS, MODEL_ID
from generator.export.stamps import REMOVED_TAG

OUR_NOTETYPES = (MODEL_ID, ACRONYM_MODEL_ID)
_SOURCE = FIELDS.index("Source")


@dataclass(frozen=True, slots=True)
class PackagedNote:
    guid: str
    notetype: int
    mod: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str
    """Full deck name, "Root::Subdeck"."""
    dues: dict[int, int] = field(default_factory=dict)
    """New-card position of each card, by template ordinal."""

    @property
    def removed(self) -> bool:
        return REMOVED_TAG in self.tags

    @property
    def label(self) -> str:
        return note_label(self.notetype, self.fields)


def note_label(notetype: int, fields: tuple[str, ...]) -> str:
    """`file:line: question` of one of deckgraph's notes, for listing removed notes."""
    where = _SOURCE if notetype == MODEL_ID else ACRONYM_FIELDS.index("Source")
    source = html.unescape(fields[where]) if len(fields) > where else ""
    question = plain(fields[0]) if fields else ""
    return f"{source}: {question}" if source else question


def plain(field_html: str) -> str:
    """A field's text without markup, for matching and listing."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", field_html)).split())


def read_package(path: Path) -> list[PackagedNote]:
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("collection.anki2")
    except (OSError, KeyError, zipfile.BadZipFile) as error:
        raise DeckgraphError(f"cannot read the built package {path} ({error}); run deckgraph build") from None
    with tempfile.TemporaryDirectory(prefix="deckgraph-sync-") as folder:
        database = Path(folder) / "collection.anki2"
        database.write_bytes(data)
        connection = sqlite3.connect(database)
        try:
            decks = {
                int(key): deck["name"]
                for key, deck in json.loads(connection.execute("SELECT decks FROM col").fetchone()[0]).items()
            }
            notes = connection.execute("SELECT id, guid, mid, mod, flds, tags FROM notes ORDER BY id").fetchall()
            cards = connection.execute("SELECT nid, ord, did, due FROM cards").fetchall()
        finally:
            connection.close()
    by_note: dict[int, list[tuple[int, int, int]]] = {}
    for note_id, ord_, deck_id, due in cards:
        by_note.setdefault(note_id, []).append((ord_, deck_id, due))
    result = []
    for note_id, guid, notetype, mod, fields, tags in notes:
        note_cards = sorted(by_note.get(note_id, []))
        deck = decks.get(note_cards[0][1], "") if note_cards else ""
        result.append(
            PackagedNote(
                guid,
                notetype,
                mod,
                tuple(fields.split("\x1f")),
                tuple(tags.split()),
                deck,
                {ord_: due for ord_, _deck, due in note_cards},
            )
        )
    return result
