"""The concept registry the user edits: notes/concepts.toml (format documented at its top)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import NoteError
from generator.graph.memory import CardMemory
from generator.graph.vocabulary import RELATION_TYPES, Declared, Vocabulary, remembered_vocabulary
from generator.model import SourceLocation
from generator.settings import load_settings

REGISTRY_NAME = "concepts.toml"
__all__ = ["REGISTRY_NAME", "RELATION_TYPES", "Declared", "Entry", "Registry", "load_registry"]
_FIELDS = {"aliases", "topic", "definition", *RELATION_TYPES}
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    aliases: tuple[str, ...] = ()
    topic: str = ""
    definition: str = ""
    line: int = 0


@dataclass(slots=True)
class Registry:
    entries: dict[str, Entry] = field(default_factory=dict)
    relations: list[Declared] = field(default_factory=list)
    digest: str = ""
    """SHA-256 of the file (and of the built-in vocabulary when it is on), to tell when outputs
    made from them are out of date."""
    vocabulary: Vocabulary | None = None
    """The built-in vocabulary beneath the registry, or None when the settings turn it off."""


def load_registry(notes_dir: Path, vocabulary: bool | None = None, memo: CardMemory | None = None) -> Registry:
    """Read notes/concepts.toml; a missing file is an empty registry, a broken one a clean error.
    The built-in vocabulary comes with it unless `vocabulary` is False (None: as notes/deckgraph.toml
    says, default on); `memo` may hold it from the last build."""
    registry = _load_file(notes_dir)
    if load_settings(notes_dir, vocabulary=vocabulary).vocabulary:
        registry.vocabulary = remembered_vocabulary(memo)
        registry.digest = hashlib.sha256(f"{registry.digest}\0{registry.vocabulary.digest}".encode()).hexdigest()
    return registry


def _load_file(notes_dir: Path) -> Registry:
    path = notes_dir / REGISTRY_NAME
    if not path.is_file():
        return Registry()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise NoteError(SourceLocation(str(path), 1), "not UTF-8 text: save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        line = int(match.group(1)) if match else max(len(text.splitlines()), 1)  # "at end of document"
        raise NoteError(SourceLocation(str(path), line), f"not valid TOML: {error}") from None
    registry = _registry(data, text, path)
    registry.digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return registry


def _registry(data: dict, text: str, path: Path) -> Registry:
    unknown = sorted(set(data) - {"concepts"})
    if unknown:
        raise NoteError(
            SourceLocation(str(path), 1), f"unknown top-level key {unknown[0]!r} (expected [concepts.NAME] tables)"
        )
    registry = Registry()
    for name, body in (data.get("concepts") or {}).items():
        where = SourceLocation(str(path), _header_line(text, name))
        if not isinstance(body, dict):
            raise NoteError(where, f"concept {name!r} must be a table: [concepts.{name}]")
        bad = sorted(set(body) - _FIELDS)
        if bad:
            raise NoteError(
                where, f"concept {name!r}: unknown key {bad[0]!r} (expected one of {', '.join(sorted(_FIELDS))})"
            )
        aliases = _strings(body.get("aliases", []), where, name, "aliases")
        for key in ("topic", "definition"):
            if not isinstance(body.get(key, ""), str):
                raise NoteError(where, f"concept {name!r}: {key} must be a string")
        registry.entries[name] = Entry(
            name, tuple(aliases), body.get("topic", ""), body.get("definition", "").strip(), where.line
        )
        for kind in RELATION_TYPES:
            for target in _strings(body.get(kind, []), where, name, kind):
                registry.relations.append(Declared(name, kind, target))
    _check_targets(registry, text, path)
    return registry


def _strings(value: object, where: SourceLocation, name: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise NoteError(where, f"concept {name!r}: {key} must be a list of names")
    return [item.strip() for item in value]


def _check_targets(registry: Registry, text: str, path: Path) -> None:
    """A relation to a name the registry does not know is almost always a typo: say so."""
    known = {name for name in registry.entries} | {a for e in registry.entries.values() for a in e.aliases}
    for declared in registry.relations:
        if declared.target not in known:
            where = SourceLocation(str(path), _header_line(text, declared.subject))
            raise NoteError(
                where,
                f"concept {declared.subject!r}: {declared.type} names {declared.target!r}, "
                f"which is not a concept here (add [concepts.{declared.target!r}] or fix the name)",
            )


def _header_line(text: str, name: str) -> int:
    quoted = re.escape(name)
    pattern = re.compile(rf"^[ \t]*\[\s*concepts\s*\.\s*(?:\"{quoted}\"|'{quoted}'|{quoted})\s*\]", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1
