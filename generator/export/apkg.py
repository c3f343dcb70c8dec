"""Flashcards → one deterministic, compressed Anki package (.apkg)."""

from __future__ import annotations

import hashlib
import html
import io
import json
import itertools
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from generator.export.atomic import write_atomically
from generator.model import Flashcard

# Anki matches note types and decks by ID: these never change. Changing the note type's fields
# later would make Anki keep old notes unchanged, so the fields are designed once, with room for
# what the concept graph and regeneration add.
MODEL_ID = 1_731_950_421
MODEL_NAME = "deckgraph Q&A"
ROOT_DECK_ID = 1_731_950_422
FIELDS = ("Question", "Answer", "Context", "Source", "Concepts", "Related", "Notice")
TEMPLATES_CHANGED_AT = 1_763_769_600
"""Bump when the templates or CSS change: Anki takes a note type's new look only if it is newer."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class PackageNote:
    """What the package needs of one card beyond the Flashcard itself."""

    card: Flashcard
    mod: int
    """Seconds since the epoch when the card's content last changed: Anki updates only newer notes."""
    notice: str = ""
    extra_tags: tuple[str, ...] = ()
    due: int = 0
    """New-card position."""


class _StampedNote(genanki.Note):
    """A note carrying its own modification time and IDs derived from its GUID (stable across builds)."""

    def __init__(self, *args, mod: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mod = mod

    def write_to_db(self, cursor, timestamp, deck_id, id_gen) -> None:
        first_id = 1_000_000_000_000 + int(hashlib.sha256(self.guid.encode()).hexdigest()[:12], 16) % 10**12
        super().write_to_db(cursor, self.mod, deck_id, itertools.count(first_id))


def _template(name: str) -> str:
    return resources.files("generator.templates").joinpath(name).read_text(encoding="utf-8")


def note_model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card", "qfmt": _template("front.html"), "afmt": _template("back.html")}],
        css=_template("card.css"),
        sort_field_index=0,
    )


def deck_id(name: str) -> int:
    """Subdecks are named after note files, so their IDs derive from the name (stable, no clash with root)."""
    return 1_500_000_000 + int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 500_000_000


def deck_path(root: str, title: str) -> str:
    return f"{root}::{title.replace('::', ':')}"


def card_fields(note: PackageNote) -> list[str]:
    card = note.card
    return [
        card.question_html,
        card.answer_html,
        html.escape(card.context),
        html.escape(str(card.location)),
        html.escape(", ".join(card.concepts)),
        "<br>".join(html.escape(line) for line in card.related),
        html.escape(note.notice),
    ]


def build_package_bytes(notes: Iterable[PackageNote], root_deck: str,
                        media: Mapping[str, Path] | None = None) -> bytes:
    """The .apkg's bytes. `media` maps flat media names (as the cards' <img src>) to files to pack."""
    model = note_model()
    decks: dict[str, genanki.Deck] = {root_deck: genanki.Deck(ROOT_DECK_ID, root_deck)}
    stamps = [TEMPLATES_CHANGED_AT]
    for note in notes:
        name = deck_path(root_deck, note.card.deck)
        deck = decks.get(name) or decks.setdefault(name, genanki.Deck(deck_id(name), name))
        deck.add_note(_StampedNote(
            model=model, fields=card_fields(note), guid=note.card.guid,
            tags=list(note.card.tags) + list(note.extra_tags), due=note.due, mod=note.mod))
        stamps.append(note.mod)
    with tempfile.TemporaryDirectory(prefix="deckgraph-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        _write_collection(connection.cursor(), [decks[name] for name in sorted(decks)], model, max(stamps))
        connection.commit()
        connection.close()
        collection = database.read_bytes()
    return _zip({"collection.anki2": collection, **media_members(media or {})})


def media_members(media: Mapping[str, Path]) -> dict[str, bytes]:
    """Anki's layout: members "0", "1", … holding the files, and "media", a JSON map of index → name.
    Sorted by name, so the same images always give the same package."""
    index: dict[str, str] = {}
    members: dict[str, bytes] = {}
    for name in sorted(media):
        try:
            data = Path(media[name]).read_bytes()
        except OSError:
            continue  # gone since the notes were read: the card shows its alt text's link
        key = str(len(index))
        index[key] = name
        members[key] = data
    return {"media": json.dumps(index, sort_keys=True).encode(), **members}


def _write_collection(cursor, decks: list[genanki.Deck], model: genanki.Model, timestamp: int) -> None:
    """genanki's Package.write_to_db, but writing the decks and note types once instead of once per deck
    (which re-encodes all of them each time: quadratic, and most of the build with many note files)."""
    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    deck_table = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
    deck_table.update({str(deck.deck_id): deck.to_json() for deck in decks})
    models = {str(model.model_id): model.to_json(timestamp, ROOT_DECK_ID)}
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(deck_table), json.dumps(models)))
    for deck in decks:
        for note in deck.notes:
            note.write_to_db(cursor, timestamp, deck.deck_id, None)


def _zip(members: dict[str, bytes]) -> bytes:
    """genanki stores the package uncompressed and with the current time; this is compressed and fixed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def write_package(path: Path, notes: Iterable[PackageNote], root_deck: str,
                  media: Mapping[str, Path] | None = None) -> bool:
    return write_atomically(path, build_package_bytes(notes, root_deck, media))
