"""Per-note modification times, and the notes of removed cards.

Anki updates an existing note only when the incoming one is newer, so each note carries the time
its content last changed (kept in the lockfile): changed notes update, unchanged ones stay
byte-identical from build to build.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from functools import partial

from generator.export.apkg import PackageNote, card_fields, note_hash
from generator.graph.memory import CardMemory, NoMemory
from generator.identity.lockfile import LockEntry, Lockfile
from generator.model import ACRONYM_KIND, CLOZE_KIND, Flashcard, SourceLocation

REMOVED_TAG = "deckgraph::removed"


def current_time() -> int:
    return int(time.time())


def stamp(
    cards: list[Flashcard],
    lock: Lockfile,
    now: int,
    dues: dict[str, int] | None = None,
    memo: CardMemory | None = None,
) -> list[PackageNote]:
    """PackageNotes for the live cards; a card whose shown content changed gets `mod = now`. `memo`
    may keep each card's fields and their digest for the next build of a long-running process."""
    notes = []
    for card in cards:
        entry = lock.entries[card.guid]
        note = _stamped(card, entry.fields_hash, entry.mod, now, (dues or {}).get(card.guid, 0), memo)
        entry.fields_hash, entry.mod = note.fields_hash, note.mod
        notes.append(note)
    return notes


def _stamped(
    card: Flashcard, old_hash: str, old_mod: int, now: int, due: int, memo: CardMemory | None = None
) -> PackageNote:
    """The one rule: a note's `mod` moves on (to now, and past its old one) only when what it shows changed."""
    # Keyed by everything `card_fields` and `note_hash` read of the card.
    place = (card.location.path, card.location.line)
    shown = (card.kind, card.question_html, card.answer_html, card.heading_path, place, card.concepts)
    fields, digest = (memo or NoMemory()).keep(
        ("fields", *shown, card.related, card.tags, card.deck), partial(_shown, card)
    )
    mod = old_mod if digest == old_hash else max(now, old_mod + 1)
    return PackageNote(card, mod=mod, due=due, fields_hash=digest, fields=fields)


def _shown(card: Flashcard) -> tuple[tuple[str, ...], str]:
    """A live card's fields in the package, and their digest."""
    draft = PackageNote(card, mod=0)
    fields = tuple(card_fields(draft))
    return fields, note_hash(draft, fields)


def removed_notes(lock: Lockfile) -> list[PackageNote]:
    """Cards gone from the notes stay in the package, tagged, so the user finds them in one search
    (an Anki import never deletes)."""
    notes = []
    for guid, entry in sorted(lock.entries.items()):
        if entry.removed:
            notes.append(
                PackageNote(
                    _removed_card(guid, entry),
                    mod=entry.removed_at,
                    notice=removal_notice(entry),
                    extra_tags=(REMOVED_TAG,),
                )
            )
    return notes


def removal_notice(entry: LockEntry) -> str:
    day = datetime.fromtimestamp(entry.removed_at, tz=UTC).strftime("%Y-%m-%d")
    return (
        f"Removed from the notes on {day} (it was in {entry.file}:{entry.line}). "
        f"Search tag:{REMOVED_TAG} in Anki to find and delete such cards, then run `deckgraph prune`."
    )


_CLOZE = re.compile(r"\{\{c\d+::")


def _removed_card(guid: str, entry: LockEntry) -> Flashcard:
    # A removed cloze note keeps its note type (Anki would not change it) and stays a valid cloze.
    cloze = bool(_CLOZE.search(entry.text))
    return Flashcard(
        question=entry.text,
        question_html=html.escape(entry.text),
        answer_md="",
        answer_html=f"<p>{html.escape(entry.answer_excerpt)}…</p>",
        location=SourceLocation(entry.file, entry.line),
        heading_path=tuple(entry.heading_path),
        deck=entry.deck or "Removed",
        kind=CLOZE_KIND if cloze else "removed",
        guid=guid,
    )


def stamp_generated(
    cards: list[Flashcard], lock: Lockfile, now: int, dues: dict[str, int] | None = None
) -> list[PackageNote]:
    """PackageNotes for notes made from the concept graph (acronym cards): the same rule as `stamp`
    (a note's `mod` is when what it shows last changed), kept in the lockfile's "generated" section.
    A generated note the notes no longer give is retired like any card: it stays in the package,
    tagged deckgraph::removed, with a notice (an Anki import never deletes), and in the lockfile marked
    `removed_at` (so `deckgraph sync` knows it as deckgraph's to remove, and `deckgraph prune` forgets
    it); if it comes back, it is live again."""
    notes, kept = [], {}
    for card in cards:
        old = lock.generated.get(card.guid)
        if old is None or old.get("removed_at"):
            old = {"fields_hash": "", "mod": 0}
        note = _stamped(card, old["fields_hash"], old["mod"], now, (dues or {}).get(card.guid, 0))
        kept[card.guid] = {
            "fields_hash": note.fields_hash,
            "mod": note.mod,
            "key": card.question,
            "text": card.question_html,
            "source": str(card.location),
            "deck": card.deck,
        }
        notes.append(note)
    for guid, old in sorted(lock.generated.items()):
        if guid in kept:
            continue
        gone = dict(old, removed_at=old.get("removed_at") or now)
        kept[guid] = gone
        if "text" in old:  # stamps written before retirement was kept cannot be shown again
            notes.append(_removed_generated(guid, gone))
    lock.generated = kept
    return notes


def _removed_generated(guid: str, stamp_: dict) -> PackageNote:
    day = datetime.fromtimestamp(stamp_["removed_at"], tz=UTC).strftime("%Y-%m-%d")
    notice = (
        f"Its source left the notes on {day} (it was made from {stamp_.get('source', '?')}). "
        f"Search tag:{REMOVED_TAG} in Anki to find and delete such cards, then run `deckgraph prune`."
    )
    path, _, line = stamp_.get("source", "").rpartition(":")
    card = Flashcard(
        question=stamp_.get("key", ""),
        question_html=stamp_["text"],
        answer_md="",
        answer_html="",
        location=SourceLocation(path or "?", int(line) if line.isdigit() else 0),
        heading_path=(),
        deck=stamp_.get("deck") or "Removed",
        kind=ACRONYM_KIND,
        guid=guid,
    )
    mod = max(stamp_["removed_at"], int(stamp_.get("mod", 0)) + 1)
    return PackageNote(card, mod=mod, notice=notice, extra_tags=(REMOVED_TAG,))
