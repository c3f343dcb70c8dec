"""Per-notes-folder build settings: notes/deckgraph.toml (optional).

    [build]
    acronym_cards = true       # a cloze card per acronym the notes define (Acronyms subdeck)
    merge_duplicates = false   # one card for a question asked in several files
    vocabulary = true          # the built-in vocabulary of the field under notes/concepts.toml

Command-line options (--no-acronym-cards, --merge-duplicates, --no-vocabulary …) win over the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator.errors import NoteError
from generator.model import SourceLocation

SETTINGS_NAME = "deckgraph.toml"
_KEYS = {"acronym_cards": True, "merge_duplicates": False, "vocabulary": True}


@dataclass(frozen=True, slots=True)
class Settings:
    acronym_cards: bool = True
    merge_duplicates: bool = False
    vocabulary: bool = True


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
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise NoteError(SourceLocation(str(path), 1), f"not valid TOML: {error}") from None
        except UnicodeDecodeError:
            raise NoteError(SourceLocation(str(path), 1), "not UTF-8 text: save it as UTF-8") from None
        section = data.get("build", {})
        if not isinstance(section, dict) or set(data) - {"build"}:
            raise NoteError(SourceLocation(str(path), 1), "expected only a [build] table")
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
