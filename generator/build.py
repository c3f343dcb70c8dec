"""The whole build as one readable function: the stages in order, everything gathered before anything
is written (mkdocs' build()). The incremental layer around the stages decides what is taken from the
last build; the stages themselves never see a cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.config import BuildConfig
from generator.errors import DeckgraphError
from generator.export.apkg import PackageNote, write_package
from generator.export.graph_json import write_graph_json
from generator.export.html import write_concept_map
from generator.export.stamps import current_time, removed_notes, stamp, stamp_generated
from generator.graph.enrich import Enriched, enrich
from generator.graph.link import annotate_cards, build_graph
from generator.graph.registry import load_registry
from generator.heap import collector_paused
from generator.identity.lockfile import Lockfile
from generator.identity.matching import IdentityResult, assign_identities
from generator.incremental.parsing import NotesRead, Progress, no_progress, parse_notes, scan_notes
from generator.incremental.session import IncrementalBuild, KeptBuild
from generator.incremental.uptodate import LastBuild
from generator.model import Diagnostic, Flashcard, Skipped
from generator.parse import ParsedFile
from generator.sources.texts import NoteTexts
from generator.workers import default_jobs

__all__ = ["BuildReport", "KeptBuild", "build", "parse_notes", "scan_notes"]


@dataclass(slots=True)
class BuildReport:
    files: int = 0
    cards: list[Flashcard] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    """Outputs whose bytes changed."""
    changes: IdentityResult | None = None
    """What changed since the last build: added, changed, moved, removed, unchanged GUIDs."""
    prints: list = field(default_factory=list)
    """Identity fingerprints of the cards, in order."""
    lock_entries: dict = field(default_factory=dict)
    """The lockfile's entries after the build, by GUID (to name removed cards)."""
    counts: dict[str, int] = field(default_factory=dict)
    """cards, generated (acronym cards), merged (groups) and merged questions."""
    up_to_date: bool = False
    """Nothing had changed since the last build, so no stage ran: `cards` is empty, `counts` holds the
    last build's figures, and no output was written."""
    generated: list[Flashcard] = field(default_factory=list)
    """Acronym cards, made from the concept graph."""
    merged: list = field(default_factory=list)
    """Groups of near-duplicate cards merged into their first (with --merge-duplicates)."""
    study_order: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def build(config: BuildConfig, progress: Progress = no_progress, kept: KeptBuild | None = None) -> BuildReport:
    """`kept`: the state a long-running process keeps between builds (see `KeptBuild`)."""
    with collector_paused():
        return _build(config, progress, kept)


def _build(config: BuildConfig, progress: Progress, kept: KeptBuild | None) -> BuildReport:
    session = IncrementalBuild(config, kept)
    scan = scan_notes(config)
    last = session.unchanged_since_last(scan)
    if last is not None:
        return _up_to_date(config, last)
    parsed, read = parse_notes(config, progress, session.cache, scan)
    now = config.now or current_time()
    lock = session.lockfile()
    changes = assign_identities([card for result in parsed for card in result.cards], lock, now, read.prints)
    memory = session.card_memory()
    registry, texts = load_registry(config.notes_dir, config.vocabulary, memory), NoteTexts(config.notes_dir)
    files = {result.path: result.digest for result in parsed}
    graph = build_graph(changes.cards, registry, texts, memory, files, config.jobs or default_jobs())
    paths = [result.path for result in parsed]
    extra = enrich(config, graph, annotate_cards(changes.cards, graph, memory), texts, paths, memory, files)
    del texts  # every note's text, read for evidence lines: not needed by the outputs (100 MB at 100,000 cards)
    report = _report(read, changes, lock, extra)
    if config.strict and report.diagnostics:
        raise DeckgraphError(f"--strict: {len(report.diagnostics)} problem(s) in the notes; nothing written")
    notes = stamp(extra.cards, lock, now, extra.dues, memory) + stamp_generated(extra.generated, lock, now, extra.dues)
    notes += removed_notes(lock)
    media, images = _media(parsed)
    title = f"{config.deck_name} — concept map"
    try:
        session.save_lockfile(lock)  # first: the identities and stamps the outputs are made with are never lost
        _write_package(session, config, notes, media)
        del notes  # the package's notes and their rendered fields: the other outputs do without them
        shown = session.graph_inputs(registry, extra.cards, images, extra.order, extra.dues)
        session.write(config.output_dir / "graph.json", shown, lambda path: write_graph_json(path, graph, extra.order))
        session.write(
            config.output_dir / "concept-map.html",
            shown,
            lambda path: write_concept_map(path, graph, extra.cards, title, extra.order, extra.dues),
        )
        session.finish(
            scan, images, report.counts, [card.guid for card in extra.cards], report.diagnostics, report.skipped
        )
    except OSError as err:
        raise DeckgraphError(
            f"cannot write {err.filename or config.package_path}: {err.strerror or err}; it is unchanged "
            "(each output is replaced whole or not at all)"
        ) from err
    report.outputs, report.written = session.outputs.paths, session.outputs.written
    return report


def _write_package(
    session: IncrementalBuild, config: BuildConfig, notes: list[PackageNote], media: dict[str, Path]
) -> None:
    """The package, from a function of its own: a lambda in `_build` would keep `notes` alive after it."""
    session.write(
        config.package_path,
        session.package_inputs(notes, media),
        lambda path: write_package(path, notes, config.deck_name, media),
    )


def _report(read: NotesRead, changes: IdentityResult, lock: Lockfile, extra: Enriched) -> BuildReport:
    return BuildReport(
        files=read.files,
        cards=extra.cards,
        skipped=read.skipped,
        diagnostics=read.diagnostics + changes.diagnostics,
        changes=changes,
        prints=read.prints,
        lock_entries=lock.entries,
        generated=extra.generated,
        merged=extra.merged,
        study_order=extra.order,
        counts={
            "cards": len(extra.cards),
            "generated": len(extra.generated),
            "merged": len(extra.merged),
            "merged questions": sum(len(group) for group in extra.merged),
        },
    )


def _media(parsed: list[ParsedFile]) -> tuple[dict[str, Path], list[str]]:
    """The images to pack (name in the package → file) and their paths, as the notes name them."""
    media = {name: path for result in parsed for name, path in result.media.items()}
    return media, sorted({str(path) for result in parsed for path in result.images})


def _up_to_date(config: BuildConfig, last: LastBuild) -> BuildReport:
    """The report of a build with nothing to do: the last build's, with nothing written."""
    if config.strict and last.diagnostics:
        raise DeckgraphError(f"--strict: {len(last.diagnostics)} problem(s) in the notes; nothing written")
    return BuildReport(
        files=last.files,
        skipped=list(last.skipped),
        diagnostics=list(last.diagnostics),
        outputs=[Path(path) for path in last.outputs],
        counts=dict(last.counts),
        changes=IdentityResult(cards=[], unchanged=list(last.guids)),
        up_to_date=True,
    )
