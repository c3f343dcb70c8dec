"""The whole build as one readable function: gather everything first, then write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from generator.config import BuildConfig
from generator.errors import DeckgraphError
from generator.export.apkg import PackageNote, write_package
from generator.identity import assign_guids
from generator.markdown import markdown
from generator.model import Diagnostic, Flashcard, Skipped
from generator.parse import ParsedFile, parse_source
from generator.sources import find_note_files, read_source
from generator.tagging import with_source_tags

FIXED_MOD = 1_763_769_600
"""Modification time stamped on notes (the content-change stamps of the lockfile refine this)."""

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def _no_progress(items: Iterable[T], length: int, label: str) -> Iterable[T]:
    return items


@dataclass(slots=True)
class BuildReport:
    files: int = 0
    cards: list[Flashcard] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    """Outputs whose bytes changed."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def parse_notes(config: BuildConfig, progress: Progress = _no_progress) -> tuple[list[ParsedFile], BuildReport]:
    """Read and parse every note file; problems in one file never stop the others."""
    report = BuildReport()
    paths = find_note_files(config.notes_dir)
    report.files = len(paths)
    md = markdown(config.allow_html)
    parsed: list[ParsedFile] = []
    for path in progress(paths, len(paths), "Reading notes"):
        source = read_source(path, config.notes_dir)
        report.diagnostics.extend(source.diagnostics)
        if source.text:
            result = parse_source(source, md)
            parsed.append(result)
            report.skipped.extend(result.skipped)
    return parsed, report


def build(config: BuildConfig, progress: Progress = _no_progress) -> BuildReport:
    parsed, report = parse_notes(config, progress)
    cards = [card for result in parsed for card in result.cards]
    cards = with_source_tags(assign_guids(cards))
    report.cards = cards

    if config.strict and report.diagnostics:
        raise DeckgraphError(f"--strict: {len(report.diagnostics)} problem(s) in the notes; nothing written")
    notes = [PackageNote(card, mod=FIXED_MOD) for card in cards]
    package = config.package_path
    report.outputs.append(package)
    if write_package(package, notes, config.deck_name):
        report.written.append(package)
    return report
