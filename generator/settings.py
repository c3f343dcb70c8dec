"""Per-notes-folder build settings: notes/deckgraph.toml (optional).

    [build]
    acronym_cards = true       # a cloze card per acronym the notes define (Acronyms subdeck)
    merge_duplicates = false   # one card for a question asked in several files
    vocabulary = true          # the built-in vocabulary of the field under notes/concepts.toml

    [sync]
    collection = "anki/collection.anki2"   # deckgraph's own device copy for `deckgraph sync --server`
    server = "https://anki.example.org/"   # default --server
    user = "me"                            # default --user (the password is never stored)

Command-line options (--no-acronym-cards, --merge-duplicates, --no-vocabulary, --server …) win over the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator.errors import NoteError
from generator.model import SourceLocation

SETTINGS_NAME = "deckgraph.toml"
_KEYS = {"acronym_cards": True, "merge_duplicates": False, "vocabulary": True}
_SYNC_KEYS = ("collection", "server", "user")


@dataclass(frozen=True, slots=True)
class Settings:
    acronym_cards: bool = True
    merge_duplicates: bool = False
    vocabulary: bool = True


@dataclass(frozen=True, slots=True)
class SyncSettings:
    collection: Path | None = None
    """Resolved against the notes folder."""
    server: str = ""
    user: str = ""


def _read(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise NoteError(SourceLocation(str(path), 1), f"not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise NoteError(SourceLocation(str(path), 1), "not UTF-8 text: save it as UTF-8") from None
    if set(data) - {"build", "sync"} or not all(isinstance(value, dict) for value in data.values()):
        raise NoteError(SourceLocation(str(path), 1), "expected only a [build] and a [sync] table")
    return data


def load_sync_settings(notes_dir: Path) -> SyncSettings:
    """The file's [sync] table (empty values when it is missing)."""
    path = notes_dir / SETTINGS_NAME
    section = _read(path).get("sync", {})
    for name, value in section.items():
        if name not in _SYNC_KEYS:
            raise NoteError(
                SourceLocation(str(path), 1),
                f"unknown sync setting {name!r} (expected one of {', '.join(_SYNC_KEYS)})",
            )
        if not isinstance(value, str) or not value:
            raise NoteError(
                SourceLocation(str(path), 1),
                f"sync setting {name} must be a non-empty string",
            )
    collection = section.get("collection")
    return SyncSettings(
        notes_dir / Path(collection).expanduser() if collection else None,
        section.get("server", ""),
        section.get("user", ""),
    )


def load_settings(
    notes_dir: Path,
    acronym_cards: bool | None = None,
    merge_duplicates: bool | None = None,
    vocabulary: bool | None = None,
) -> Settings:
    """The file's settings (defaults when it is missing), overridden by options that are not None."""
    values = dict(_KEYS)
    path = notes_dir / SETTINGS_NAME
    if path.is_file():
        section = _read(path).get("build", {})
        for name, value in section.items():
            if name not in _KEYS:
                raise NoteError(
                    SourceLocation(str(path), 1),
                    f"unknown setting {name!r} (expected one of {', '.join(sorted(_KEYS))})",
                )
            if not isinstance(value, bool):
                raise NoteError(SourceLocation(str(path), 1), f"{name} must be true or false")
            values[name] = value
    if acronym_cards is not None:
        values["acronym_cards"] = acronym_cards
    if merge_duplicates is not None:
        values["merge_duplicates"] = merge_duplicates
    if vocabulary is not None:
        values["vocabulary"] = vocabulary
    return Settings(**values)
