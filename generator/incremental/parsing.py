"""The parse stage, wrapped: each note file is parsed once per content (a file whose bytes are unchanged
comes from the cache), on all cores; identity fingerprints, which depend on the file alone, are made
and cached with its parse."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator.config import BuildConfig
from generator.digests import file_digest
from generator.identity.lockfile import LockEntry
from generator.identity.matching import fingerprint
from generator.incremental.cache import BuildCache, ParsedEntry, media_stamps
from generator.model import Diagnostic, Skipped
from generator.parse import ParsedFile
from generator.parse.file import parse_file, skipped_warnings
from generator.parse.markdown import markdown
from generator.sources.files import MAX_FILE_BYTES, find_note_files, note_digest
from generator.sources.vault import settings_digest
from generator.workers import context, default_jobs, parallel_imap

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def no_progress(items: Iterable[T], length: int, label: str) -> Iterable[T]:
    return items


@dataclass(frozen=True, slots=True)
class NoteScan:
    """The note files, found and hashed once per build."""

    paths: list[Path]
    relatives: list[str]
    digests: list[str]


@dataclass(slots=True)
class NotesRead:
    """What reading the notes found besides the cards."""

    files: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    prints: list[LockEntry] = field(default_factory=list)
    """Identity fingerprints of the cards, in order."""


def scan_notes(config: BuildConfig) -> NoteScan:
    paths = find_note_files(config.notes_dir)
    relatives = [path.relative_to(config.notes_dir).as_posix() for path in paths]
    settings: dict[Path, str] = {}  # by folder: finding a note's vault costs more than hashing the note
    for path in paths:
        if path.parent not in settings:
            settings[path.parent] = settings_digest(path, config.notes_dir)
    return NoteScan(paths, relatives, [_digest(path, settings[path.parent]) for path in paths])


def parse_notes(
    config: BuildConfig,
    progress: Progress = no_progress,
    cache: BuildCache | None = None,
    scan: NoteScan | None = None,
) -> tuple[list[ParsedFile], NotesRead]:
    """Read and parse every note file (or take it from the cache when its bytes are unchanged)."""
    scan = scan or scan_notes(config)
    entries: list[ParsedEntry | None] = [
        cache.lookup(relative, digest) if cache is not None and digest else None
        for relative, digest in zip(scan.relatives, scan.digests)
    ]
    fresh = [index for index, entry in enumerate(entries) if entry is None]
    parsing = parallel_imap(_parse_fresh, [scan.paths[i] for i in fresh], config.jobs or default_jobs(), config)
    for index, entry in zip(fresh, progress(parsing, len(fresh), "Parsing notes")):
        # The bytes parsed, which a save during the build may have made differ from the scan's.
        entry.digest = entry.result.digest if entry.result is not None else scan.digests[index]
        entries[index] = entry
        if cache is not None and entry.digest:
            cache.remember(scan.relatives[index], entry)
    if cache is not None:
        cache.forget_except(set(scan.relatives))

    parsed: list[ParsedFile] = []
    read = NotesRead(files=len(scan.paths))
    for entry in entries:
        assert entry is not None  # every index was either cached or parsed just now
        read.diagnostics.extend(entry.diagnostics)
        if entry.result is not None:
            parsed.append(entry.result)
            read.prints.extend(entry.prints)
            read.skipped.extend(entry.result.skipped)
            read.diagnostics.extend(entry.result.diagnostics)
            read.diagnostics.extend(skipped_warnings(entry.result.skipped))
    return parsed, read


def _digest(path: Path, settings: str) -> str:
    """SHA-256 of a note's bytes, with its vault's plugin settings ('' when it cannot be read or is
    too big to parse anyway)."""
    try:
        return note_digest(file_digest(path), settings) if path.stat().st_size <= MAX_FILE_BYTES else ""
    except OSError:
        return ""


def _parse_fresh(path: Path) -> ParsedEntry:
    """One file through the per-file stages (in a worker process when there are many)."""
    config = context()
    assert isinstance(config, BuildConfig)
    result, diagnostics = parse_file(path, config.notes_dir, markdown(config.allow_html))
    prints = [fingerprint(card) for card in result.cards] if result is not None else []
    return ParsedEntry("", media_stamps(result.images) if result else {}, result, diagnostics, prints)
