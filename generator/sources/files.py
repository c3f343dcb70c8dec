"""Find the note files, read them whatever their encoding, and repair their text."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from generator.errors import UsageProblem
from generator.model import Diagnostic, SourceFile, SourceLocation
from generator.sources.repair import repair_text
from generator.sources.vault import card_syntax, settings_digest

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Larger files are reported and skipped: a note file that big is almost surely not a note."""

NOTE_SUFFIXES = (".md", ".markdown")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*(\n|\Z)", re.S)


def find_note_files(notes_dir: Path) -> list[Path]:
    """All Markdown files under `notes_dir`, sorted, skipping hidden folders and symlinks that leave it."""
    if not notes_dir.exists():
        raise UsageProblem(f"notes folder not found: {notes_dir}")
    if not notes_dir.is_dir():
        raise UsageProblem(f"not a folder: {notes_dir}")
    root = notes_dir.resolve()
    found = []
    # os.walk does not follow symlinked folders, so only symlinked files can point outside.
    for folder, subfolders, files in os.walk(notes_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            path = Path(folder, name)
            if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
                continue
            if path.is_symlink() and not (path.resolve().is_relative_to(root) and path.resolve().is_file()):
                continue
            found.append(path)
    if not found:
        raise UsageProblem(f"no Markdown notes (*.md) in {notes_dir}")
    return sorted(found)


def read_source(path: Path, notes_dir: Path, max_bytes: int = MAX_FILE_BYTES) -> SourceFile:
    """Read one note. Problems become diagnostics on the SourceFile; its text is then ''."""
    relative = path.relative_to(notes_dir).as_posix()
    where = SourceLocation(relative, 1)
    size = path.stat().st_size
    if size > max_bytes:  # checked before reading: a huge file costs nothing
        source = SourceFile(path=relative, text="", digest="")
        source.diagnostics.append(
            Diagnostic(
                where,
                f"file is {size / 1048576:.1f} MB, over the {max_bytes // 1048576} MB limit; skipped",
                "error",
                "too-large",
            )
        )
        return source
    raw = path.read_bytes()
    digest = note_digest(hashlib.sha256(raw).hexdigest(), settings_digest(path, notes_dir))
    source = SourceFile(path=relative, text="", digest=digest)
    text, encoding_note = decode(raw)
    if text is None:
        source.diagnostics.append(Diagnostic(where, "binary file, not Markdown text; skipped", "error", "binary"))
        return source
    if encoding_note:
        source.diagnostics.append(Diagnostic(where, encoding_note, "warning", "encoding"))
    if not text.strip():
        source.diagnostics.append(Diagnostic(where, "empty file", "warning", "empty-file"))
        return source

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Invisible control characters: \x1f would split an Anki note's fields, the others show as boxes.
    text = _CONTROL.sub("", text)
    text = _blank_out_toml_front_matter(text)
    text, repaired = repair_text(text)
    source.text = text
    source.repaired_lines = repaired
    source.syntax = card_syntax(path, notes_dir)
    return source


def note_digest(bytes_digest: str, settings: str) -> str:
    """The cache key of a note: its bytes' SHA-256, folded with the digest of its vault's
    flashcard-plugin settings when it has any (they change which cards the same bytes hold)."""
    if not settings or not bytes_digest:
        return bytes_digest
    return hashlib.sha256(f"{bytes_digest} {settings}".encode()).hexdigest()


def decode(raw: bytes) -> tuple[str | None, str]:
    """Text and a note about its encoding ('' for UTF-8); None for binary data."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), ""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "file is UTF-16, read as such; save it as UTF-8"
    if b"\x00" in raw[:8192]:
        return None, ""
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
    try:
        text = raw.decode("cp1252")
        name = "Windows-1252"
    except UnicodeDecodeError:
        text, name = raw.decode("latin-1"), "Latin-1"
    return text, f"not UTF-8 (first bad byte on line {line}); read as {name}: save it as UTF-8"


def _blank_out_toml_front_matter(text: str) -> str:
    """TOML front matter (+++ … +++) is metadata, not content; blank it so line numbers stay right."""
    match = _TOML_FRONT_MATTER.match(text)
    if not match:
        return text
    return "\n" * match.group(0).count("\n") + text[match.end() :]
