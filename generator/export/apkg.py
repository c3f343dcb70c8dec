"""Flashcards → one deterministic, compressed Anki package (.apkg)."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from generator.atomic import write_through_atomically
from generator.model import ACRONYM_KIND, CLOZE_KIND, Flashcard

# Anki matches note types and decks by ID: these never change. Changing the note type's fields
# later would make Anki keep old notes unchanged, so the fields are designed once, with room for
# what the concept graph and regeneration add.
MODEL_ID = 1_731_950_421
MODEL_NAME = "deckgraph Q&A"
ROOT_DECK_ID = 1_731_950_422
FIELDS = ("Question", "Answer", "Context", "Source", "Concepts", "Related", "Notice")
ACRONYM_MODEL_ID = 1_731_950_431
ACRONYM_MODEL_NAME = "deckgraph Acronym (cloze)"
ACRONYM_FIELDS = ("Text", "Source", "Extra")
CLOZE_MODEL_ID = 1_731_950_441
CLOZE_MODEL_NAME = "deckgraph Cloze"
CLOZE_FIELDS = ("Text", "Extra", "Context", "Source", "Concepts", "Related", "Notice")
"""The cloze note type, designed like the Q&A one: the same fields in the same places (Text for
Question, Extra for Answer), so one rendering serves both and nothing needs adding later."""
CLOZE_KINDS = (CLOZE_KIND, ACRONYM_KIND)
_TABLES = "\n".join(line for line in APKG_SCHEMA.splitlines() if not line.startswith("CREATE INDEX"))
_INDEXES = "\n".join(line for line in APKG_SCHEMA.splitlines() if line.startswith("CREATE INDEX"))
"""genanki's schema of Anki's collection, its indexes apart: they are made once the rows are in."""
TEMPLATES_CHANGED_AT = 1_795_400_000
"""Bump when the templates or CSS change: Anki takes a note type's new look only if it is newer."""
_BLOCK = 1 << 20


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
    fields_hash: str = ""
    """Digest of what the note shows, when already computed (see stamping)."""
    fields: tuple[str, ...] = ()
    """The note's fields, when already rendered (stamping renders them to hash them)."""


def _template(name: str) -> str:
    return resources.files("generator.export.templates").joinpath(name).read_text(encoding="utf-8")


def note_model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card", "qfmt": _template("front.html"), "afmt": _template("back.html")}],
        css=_template("card.css"),
        sort_field_index=0,
    )


def acronym_model() -> genanki.Model:
    """A cloze note type of its own (Anki makes one card per cloze number: {{c1::…}}, {{c2::…}})."""
    back = (
        '{{cloze:Text}}\n{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}\n<div class="source">{{Source}}</div>'
    )
    return genanki.Model(
        ACRONYM_MODEL_ID,
        ACRONYM_MODEL_NAME,
        fields=[{"name": name} for name in ACRONYM_FIELDS],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": back}],
        css=_template("card.css"),
        model_type=genanki.Model.CLOZE,
        sort_field_index=0,
    )


def cloze_model() -> genanki.Model:
    """Cloze notes from the notes ({{c1::…}}, ==highlights== …): one card per cloze number, rendered
    through Anki's own {{cloze:}} filter, mobile-first and with night mode like the Q&A type."""
    return genanki.Model(
        CLOZE_MODEL_ID,
        CLOZE_MODEL_NAME,
        fields=[{"name": name} for name in CLOZE_FIELDS],
        templates=[{"name": "Cloze", "qfmt": _template("cloze-front.html"), "afmt": _template("cloze-back.html")}],
        css=_template("card.css"),
        model_type=genanki.Model.CLOZE,
        sort_field_index=0,
    )


def model_id(kind: str) -> int:
    """The note type of a card of this kind."""
    return {ACRONYM_KIND: ACRONYM_MODEL_ID, CLOZE_KIND: CLOZE_MODEL_ID}.get(kind, MODEL_ID)


def cloze_numbers(text: str) -> list[int]:
    """The cloze numbers used in a cloze text, ascending: one card each."""
    return sorted({int(n) for n in re.findall(r"\{\{c(\d+)::", text)}) or [1]


def deck_id(name: str) -> int:
    """Subdecks are named after note files, so their IDs derive from the name (stable, no clash with root)."""
    return 1_500_000_000 + int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 500_000_000


def deck_path(root: str, title: str) -> str:
    return f"{root}::{title.replace('::', ':')}"


def card_fields(note: PackageNote) -> list[str]:
    card = note.card
    if card.kind == ACRONYM_KIND:
        notice = f'<div class="notice">{html.escape(note.notice)}</div>' if note.notice else ""
        return [card.question_html, html.escape(str(card.location)), card.answer_html + notice]
    return [
        card.question_html,
        card.answer_html,
        html.escape(card.context),
        html.escape(str(card.location)),
        html.escape(", ".join(card.concepts)),
        "<br>".join(html.escape(line) for line in card.related),
        html.escape(note.notice),
    ]


def write_package_into(
    out: BinaryIO, notes: Iterable[PackageNote], root_deck: str, media: Mapping[str, Path] | None = None
) -> None:
    """The .apkg, written into `out` as it is compressed: neither the collection nor the package is
    ever held whole (at 100,000 cards they are 300 and 55 MB)."""
    notes = list(notes)
    names = sorted({root_deck} | {deck_path(root_deck, note.card.deck) for note in notes})
    decks = [genanki.Deck(ROOT_DECK_ID if name == root_deck else deck_id(name), name) for name in names]
    timestamp = max([TEMPLATES_CHANGED_AT] + [note.mod for note in notes])
    with tempfile.TemporaryDirectory(prefix="deckgraph-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        cursor = connection.cursor()
        # A scratch file: no rollback journal on disk and no fsync (the file's bytes are the same). On
        # disk rather than in memory: at 100,000 cards an in-memory database and its copy as bytes
        # would both be held.
        cursor.execute("PRAGMA journal_mode = MEMORY")
        cursor.execute("PRAGMA synchronous = OFF")
        _write_collection(cursor, decks, [note_model(), acronym_model(), cloze_model()], timestamp)
        _write_notes(cursor, notes, {deck.name: deck.deck_id for deck in decks}, root_deck)
        cursor.executescript(_INDEXES)  # once the rows are in: faster than keeping them sorted row by row
        connection.commit()
        connection.close()
        with database.open("rb") as collection:
            _zip(out, {"collection.anki2": collection, **media_members(media or {})})


def _write_notes(cursor, notes: list[PackageNote], deck_ids: dict[str, int], root_deck: str) -> None:
    """Rows of Anki's notes and cards tables, as genanki writes them, in two statements.
    IDs derive from the GUID, so they stay the same from build to build. Each row is made as the
    statement takes it: all held at once, the rows were as big as the database."""
    note_ids, card_ids = _row_ids(notes)
    # In order of their IDs (the tables' keys): each row goes at the end of its table's tree.
    cursor.executemany(
        "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)",
        (_note_row(note_id, notes[index]) for note_id, index in note_ids),
    )
    cursor.executemany(
        "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            _card_row(card_id, note_id, ord_, notes[index], deck_ids[deck_path(root_deck, notes[index].card.deck)])
            for card_id, note_id, index, ord_ in card_ids
        ),
    )


def _row_ids(notes: list[PackageNote]) -> tuple[list[tuple[int, int]], list[tuple[int, int, int, int]]]:
    """(note ID, index of the note) and (card ID, note ID, index of the note, ord), each sorted by ID.
    The IDs are taken in the notes' order, a note's then its cards', for a clash moves the later one on."""
    used: set[int] = set()
    note_ids, card_ids = [], []
    for index, note in enumerate(notes):
        note_id = _stable_id(note.card.guid, used)
        note_ids.append((note_id, index))
        # A cloze note has one card per cloze number (ord = number - 1); a Q&A note, one card.
        cloze = note.card.kind in CLOZE_KINDS
        ords = [number - 1 for number in cloze_numbers(_first_field(note))] if cloze else [0]
        for ord_ in ords:
            card_ids.append((_stable_id(f"{note.card.guid}/{ord_}", used), note_id, index, ord_))
    return sorted(note_ids), sorted(card_ids)


def _first_field(note: PackageNote) -> str:
    """The note's first field (every note type's is the card's front)."""
    return note.fields[0] if note.fields else note.card.question_html


def _note_row(note_id: int, note: PackageNote) -> tuple:
    fields = note.fields or card_fields(note)
    tags = " " + " ".join(list(note.card.tags) + list(note.extra_tags)) + " "
    return (
        note_id,
        note.card.guid,
        model_id(note.card.kind),
        note.mod,
        -1,
        tags,
        "\x1f".join(fields),
        fields[0],
        0,
        0,
        "",
    )


def _card_row(card_id: int, note_id: int, ord_: int, note: PackageNote, deck: int) -> tuple:
    return (card_id, note_id, deck, ord_, note.mod, -1, 0, 0, note.due, 0, 0, 0, 0, 0, 0, 0, 0, "")


def _stable_id(key: str, used: set[int]) -> int:
    value = 1_000_000_000_000 + int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) % 10**12
    while value in used:  # a clash is unlikely, but must never break the package
        value += 1
    used.add(value)
    return value


def media_members(media: Mapping[str, Path]) -> dict[str, BinaryIO]:
    """Anki's layout: members "0", "1", … holding the files, and "media", a JSON map of index → name.
    Sorted by name, so the same images always give the same package."""
    index: dict[str, str] = {}
    members: dict[str, BinaryIO] = {}
    for name in sorted(media):
        try:
            data = Path(media[name]).read_bytes()
        except OSError:
            continue  # gone since the notes were read: the card shows its alt text's link
        key = str(len(index))
        index[key] = name
        members[key] = io.BytesIO(data)
    return {"media": io.BytesIO(json.dumps(index, sort_keys=True).encode()), **members}


def _write_collection(cursor, decks: list[genanki.Deck], models: list[genanki.Model], timestamp: int) -> None:
    """The collection's tables and its decks and note types, each written once."""
    cursor.executescript(_TABLES)
    cursor.executescript(APKG_COL)
    deck_table = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
    deck_table.update({str(deck.deck_id): deck.to_json() for deck in decks})
    table = {str(model.model_id): model.to_json(timestamp, ROOT_DECK_ID) for model in models}
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(deck_table), json.dumps(table)))


def _zip(out: BinaryIO, members: Mapping[str, BinaryIO]) -> None:
    """genanki stores the package uncompressed and with the current time; this is compressed and fixed
    (ZipInfo's default time, 1980-01-01). Each member is copied in blocks, which compress to the same
    bytes as the member whole."""
    # Level 1: most of the size saving, a third of the time.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, member in members.items():
            size = member.seek(0, io.SEEK_END)
            member.seek(0)
            with archive.open(name, "w", force_zip64=size * 1.05 > zipfile.ZIP64_LIMIT) as entry:
                shutil.copyfileobj(member, entry, _BLOCK)
            archive.getinfo(name).external_attr = 0o644 << 16  # only in the central directory, written last


def package_digest(notes: Iterable[PackageNote], root_deck: str, *extra: object) -> str:
    """What the package is made of, cheaply: if this is unchanged, so are the package's bytes."""
    digest = hashlib.sha256(f"{root_deck}\x1e{extra!r}".encode())
    for note in notes:
        digest.update(
            f"{note.card.guid}\x1f{note.mod}\x1f{note.due}\x1f{note.fields_hash or note_hash(note)}\x1e".encode()
        )
    return digest.hexdigest()


def note_hash(note: PackageNote, fields: Sequence[str] = ()) -> str:
    """Everything the package shows of one note, except its new-card position: Anki keeps an
    imported card's position on re-import (checked with Anki's importer), so a new study order
    reaches new cards only, and must not stamp every reordered note as changed. (The slot stays
    "0", as when positions were always 0, so existing lockfiles keep their hashes.)"""
    parts = list(fields or card_fields(note)) + sorted(note.card.tags) + list(note.extra_tags) + [note.card.deck, "0"]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def write_package(
    path: Path, notes: Iterable[PackageNote], root_deck: str, media: Mapping[str, Path] | None = None
) -> bool:
    return write_through_atomically(path, lambda out: write_package_into(out, notes, root_deck, media))
