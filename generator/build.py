"""The whole build as one readable function: gather everything first, then write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from generator.config import BuildConfig
from generator.errors import DeckgraphError
from generator.export.apkg import PackageNote, write_package
from generator.export.graph_json import write_graph_json
from generator.export.html import write_concept_map
from generator.identity import assign_guids
from generator.link import annotate_cards, build_graph
from generator.markdown import markdown
from generator.model import Diagnostic, Flashcard, Skipped
from generator.parse import ParsedFile, parse_source
from generator.registry import load_registry
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
    graph = build_graph(cards, load_registry(config.notes_dir), _note_texts(config, parsed))
    cards = annotate_cards(cards, graph)
    report.cards = cards

    if config.strict and report.diagnostics:
        raise DeckgraphError(f"--strict: {len(report.diagnostics)} problem(s) in the notes; nothing written")
    notes = [PackageNote(card, mod=FIXED_MOD) for card in cards]
    _output(report, config.package_path, lambda path: write_package(path, notes, config.deck_name))
    _output(report, config.output_dir / "graph.json", lambda path: write_graph_json(path, graph))
    _output(report, config.output_dir / "concept-map.html",
            lambda path: write_concept_map(path, graph, cards, f"{config.deck_name} — concept map"))
    return report


def _output(report: BuildReport, path: Path, write: Callable[[Path], bool]) -> None:
    report.outputs.append(path)
    if write(path):
        report.written.append(path)


def _note_texts(config: BuildConfig, parsed: list[ParsedFile]) -> dict[str, str]:
    """The notes' text by path, so relation evidence can name the exact line of its sentence."""
    return {result.path: read_source(config.notes_dir / result.path, config.notes_dir).text for result in parsed}
