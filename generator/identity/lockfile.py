"""The ID lockfile in the notes folder: each card's GUID, its fingerprint, and when its content changed.

It travels with the notes (so identity survives deleting output/) and is plain, sorted JSON that
diffs well under version control.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.atomic import write_pieces_atomically
from generator.errors import NoteError
from generator.model import SourceLocation, pickled_by_fields

LOCKFILE_NAME = "deckgraph.lock.json"
VERSION = 1


@pickled_by_fields
@dataclass(slots=True)
class LockEntry:
    """What identifies one card across edits, and the stamps Anki's importer needs."""

    file: str
    heading_path: list[str]
    question: str
    """Normalised question text."""
    text: str
    answer_hash: str
    answer_excerpt: str
    """Start of the answer's plain text: enough to recognise a reworded question by its answer."""
    deck: str = ""
    line: int = 0
    fields_hash: str = ""
    """Hash of everything the package shows for the card: a change means a newer `mod`."""
    mod: int = 0
    """When the card's content last changed (seconds since the epoch)."""
    removed_at: int = 0
    """When the card disappeared from the notes; 0 while it is in them."""

    @property
    def removed(self) -> bool:
        return self.removed_at > 0

    def copy(self) -> LockEntry:
        return LockEntry(
            self.file,
            list(self.heading_path),
            self.question,
            self.text,
            self.answer_hash,
            self.answer_excerpt,
            self.deck,
            self.line,
            self.fields_hash,
            self.mod,
            self.removed_at,
        )


@dataclass(slots=True)
class Lockfile:
    path: Path
    entries: dict[str, LockEntry] = field(default_factory=dict)
    loaded: dict[str, tuple] = field(default_factory=dict)
    """The entries' values as read (`_values`), to tell whether anything needs writing: a tuple each,
    not a dictionary (at 100,000 cards the dictionaries held 50 MB)."""
    generated: dict[str, dict] = field(default_factory=dict)
    """Stamps of notes made from the concept graph rather than a question (acronym cards), by GUID:
    {"key", "fields_hash", "mod"}, and "removed_at" once the notes no longer give them. They need no
    matching, only the time their content last changed."""
    loaded_generated: dict[str, dict] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)
    """Each card's line as read from the file (this file's own one-card-a-line layout)."""

    def pieces(self, lines: dict[str, str] | None = None) -> Iterator[bytes]:
        """The file as UTF-8, a card at a time: one card a line, readable, diffs well, and fast to write
        for thousands of cards. Never held whole: at 100,000 cards the file is 50 MB, and its lines,
        text and bytes were all held at once. `lines`: filled with each card's line as written."""
        yield f'{{"version": {VERSION}, "cards": {{\n'.encode()
        separator = ""
        for guid, entry in sorted(self.entries.items()):
            line = self._line(guid, entry)
            if lines is not None:
                lines[guid] = line
            yield (separator + line).encode()
            separator = ",\n"
        yield b"\n}"
        if self.generated:
            yield from self._generated_pieces()
        yield b"}\n"

    def _generated_pieces(self) -> Iterator[bytes]:
        yield b', "generated": {\n'
        separator = ""
        for guid in sorted(self.generated):
            stamp = json.dumps(self.generated[guid], ensure_ascii=False, sort_keys=True)
            yield f"{separator}  {json.dumps(guid)}: {stamp}".encode()
            separator = ",\n"
        yield b"\n}"

    def _line(self, guid: str, entry: LockEntry) -> str:
        if _values(entry) == self.loaded.get(guid) and guid in self.lines:
            return self.lines[guid]  # unchanged: the line as read, without encoding it again
        return f"  {json.dumps(guid)}: " + json.dumps(_plain(entry), ensure_ascii=False)

    def forget_removed(self) -> list[LockEntry]:
        """Drop the cards marked removed, and the retired generated (acronym) notes; returns them."""
        gone = [entry for entry in self.entries.values() if entry.removed]
        self.entries = {guid: entry for guid, entry in self.entries.items() if not entry.removed}
        for guid, stamp in sorted(self.generated.items()):
            if stamp.get("removed_at"):
                where, _, line = str(stamp.get("source", "")).rpartition(":")
                key = str(stamp.get("key", ""))
                gone.append(LockEntry(where, [], key, key, "", "", line=int(line) if line.isdigit() else 0))
                del self.generated[guid]
        return sorted(gone, key=lambda entry: (entry.file, entry.line))

    def forget_removed_generated(self, guids: Iterable[str] | None = None) -> list[str]:
        """Drop generated notes (acronym cards) the notes no longer give (all, or those of `guids`);
        returns their GUIDs."""
        wanted = None if guids is None else set(guids)
        gone = sorted(
            guid
            for guid, stamp in self.generated.items()
            if stamp.get("removed_at") and (wanted is None or guid in wanted)
        )
        for guid in gone:
            del self.generated[guid]
        return gone

    def save(self, as_read: bool = False) -> bool:
        """Write the file if the entries differ from it. `as_read`: then hold what was written as
        `load_lockfile` would read it back (for a process that keeps the lockfile between builds;
        at 100,000 cards the lines alone are 50 MB, so a build of its own lets them go)."""
        loaded = self.loaded
        changed = [guid for guid, entry in self.entries.items() if _values(entry) != loaded.get(guid, _ABSENT)]
        if (
            self.path.exists()
            and not changed
            and self.entries.keys() == loaded.keys()
            and self.generated == self.loaded_generated
        ):
            return False
        lines: dict[str, str] | None = {} if as_read else None
        written = write_pieces_atomically(self.path, self.pieces(lines))
        if lines is None:
            return written
        # The entries that differed are copied; the others' values are those already held.
        fresh = {guid: _copied_values(self.entries[guid]) for guid in changed}
        self.loaded = {guid: fresh[guid] if guid in fresh else loaded[guid] for guid in self.entries}
        self.loaded_generated = {guid: dict(stamp) for guid, stamp in self.generated.items()}
        self.lines = lines
        return written

    def copy(self) -> Lockfile:
        """A copy to change, sharing nothing that changes with this one."""
        return Lockfile(
            self.path,
            {guid: entry.copy() for guid, entry in self.entries.items()},
            dict(self.loaded),
            {guid: dict(stamp) for guid, stamp in self.generated.items()},
            {guid: dict(stamp) for guid, stamp in self.loaded_generated.items()},
            dict(self.lines),
        )


_FIELDS = sorted(LockEntry.__slots__)


def _plain(entry: LockEntry) -> dict:
    return {name: getattr(entry, name) for name in _FIELDS}


def _values(entry: LockEntry) -> tuple:
    return tuple(getattr(entry, name) for name in _FIELDS)


def _copied_values(entry: LockEntry) -> tuple:
    """`_values`, with a list of its own: the entry's may change after the file is written."""
    return tuple(list(value) if isinstance(value, list) else value for value in _values(entry))


_ABSENT = object()


def _read_values(entry: dict) -> tuple:
    """An entry's values as the file holds them; a field it lacks matches nothing, so it is written again."""
    return tuple(entry.get(name, _ABSENT) for name in _FIELDS)


def lockfile_path(notes_dir: Path) -> Path:
    return notes_dir / LOCKFILE_NAME


def load_lockfile(notes_dir: Path) -> Lockfile:
    path = lockfile_path(notes_dir)
    if not path.exists():
        return Lockfile(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        entries = {
            guid: LockEntry(**{**entry, "heading_path": list(entry["heading_path"])})
            for guid, entry in data["cards"].items()
        }
    except json.JSONDecodeError as err:
        raise NoteError(
            SourceLocation(path.name, err.lineno),
            f"the ID lockfile is not valid JSON ({err.msg}); fix it or restore it from version control",
        ) from None
    except UnicodeDecodeError:
        raise NoteError(
            SourceLocation(path.name, 1), "the ID lockfile is not UTF-8 text; restore it from version control"
        ) from None
    except (KeyError, TypeError, AttributeError) as err:
        raise NoteError(SourceLocation(path.name, 1), f"the ID lockfile has an unexpected shape ({err})") from None
    try:
        generated = {guid: dict(stamp) for guid, stamp in (data.get("generated") or {}).items()}
    except (TypeError, ValueError, AttributeError) as err:
        raise NoteError(SourceLocation(path.name, 1), f"the ID lockfile has an unexpected shape ({err})") from None
    loaded = {guid: _read_values(entry) for guid, entry in data["cards"].items()}
    return Lockfile(
        path, entries, loaded, generated, {guid: dict(s) for guid, s in generated.items()}, _card_lines(text)
    )


def _card_lines(text: str) -> dict[str, str]:
    """guid → its line in the "cards" section, as written by `pieces`."""
    lines = {}
    for line in text.split("\n"):
        if line.startswith('"generated"') or line.startswith('}, "generated"') or '"generated": {' in line:
            break
        if line.startswith('  "'):
            lines[line[3 : line.index('"', 3)]] = line.rstrip(",")
    return lines
