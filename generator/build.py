"""The whole build as one readable function: gather everything first, then write."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator.config import BuildConfig
from generator.digests import digest, file_digest
from generator.errors import DeckgraphError
from generator.export.apkg import package_digest, write_package
from generator.export.graph_json import write_graph_json
from generator.export.html import write_concept_map
from generator.export.stamps import current_time, removed_notes, stamp, stamp_generated
from generator.graph.enrich import enrich
from generator.graph.link import annotate_cards, build_graph
from generator.graph.registry import load_registry
from generator.identity.lockfile import load_lockfile
from generator.identity.matching import IdentityResult, assign_identities, fingerprint
from generator.incremental.cache import BuildCache, ParsedEntry, code_version, media_stamps
from generator.incremental.memo import Memo
from generator.incremental.uptodate import LastBuild, build_inputs, load_last_build, save_last_build
from generator.model import Diagnostic, Flashcard, Skipped, SourceLocation
from generator.parse import ParsedFile, parse_source
from generator.parse.balance import unclosed_markup
from generator.parse.markdown import markdown
from generator.parse.tagging import with_source_tags
from generator.sources.files import MAX_FILE_BYTES, find_note_files, read_source
from generator.sources.texts import NoteTexts
from generator.workers import context, default_jobs, parallel_imap

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


@dataclass(frozen=True, slots=True)
class NoteScan:
    """The note files, found and hashed once per build."""

    paths: list[Path]
    relatives: list[str]
    digests: list[str]


def scan_notes(config: BuildConfig) -> NoteScan:
    paths = find_note_files(config.notes_dir)
    return NoteScan(
        paths, [path.relative_to(config.notes_dir).as_posix() for path in paths], [_digest(path) for path in paths]
    )


def parse_notes(
    config: BuildConfig,
    progress: Progress = _no_progress,
    cache: BuildCache | None = None,
    scan: NoteScan | None = None,
) -> tuple[list[ParsedFile], BuildReport]:
    """Read and parse every note file (or take it from the cache when its bytes are unchanged),
    on all cores; problems in one file never stop the others."""
    report = BuildReport()
    scan = scan or scan_notes(config)
    paths, relatives, digests = scan.paths, scan.relatives, scan.digests
    report.files = len(paths)
    entries = [
        cache.lookup(relative, digest) if cache is not None and digest else None
        for relative, digest in zip(relatives, digests)
    ]
    fresh = [index for index, entry in enumerate(entries) if entry is None]
    parsing = parallel_imap(_parse_fresh, [paths[index] for index in fresh], config.jobs or default_jobs(), config)
    for index, entry in zip(fresh, progress(parsing, len(fresh), "Parsing notes")):
        # The bytes parsed, which a save during the build may have made differ from the scan's.
        entry.digest = entry.result.digest if entry.result is not None else digests[index]
        entries[index] = entry
        if cache is not None and entry.digest:
            cache.remember(relatives[index], entry)
    if cache is not None:
        cache.forget_except(set(relatives))

    parsed: list[ParsedFile] = []
    for entry in entries:
        report.diagnostics.extend(entry.diagnostics)
        if entry.result is not None:
            parsed.append(entry.result)
            report.prints.extend(entry.prints)
            report.skipped.extend(entry.result.skipped)
            report.diagnostics.extend(entry.result.diagnostics)
            report.diagnostics.extend(_warnings_for_skipped(entry.result.skipped))
    return parsed, report


def _digest(path: Path) -> str:
    """SHA-256 of a note's bytes ('' when it cannot be read or is too big to parse anyway)."""
    try:
        return file_digest(path) if path.stat().st_size <= MAX_FILE_BYTES else ""
    except OSError:
        return ""


def _parse_fresh(path: Path) -> ParsedEntry:
    """One file through the per-file stages (in a worker process when there are many)."""
    config: BuildConfig = context()
    result, diagnostics = _parse_one(path, config, markdown(config.allow_html))
    # Identity fingerprints depend on the file alone: made here, they are cached with its parse.
    prints = [fingerprint(card) for card in result.cards] if result is not None else []
    return ParsedEntry("", media_stamps(result.images) if result else {}, result, diagnostics, prints)


SKIP_WARNINGS = {"question without an answer": "unanswered", "heading without a body": "empty-section"}
"""Skipped blocks that are almost surely unfinished notes, not deliberate prose: reported as warnings."""


def _warnings_for_skipped(skipped: list[Skipped]) -> list[Diagnostic]:
    return [
        Diagnostic(item.location, f"{item.reason}: {item.text[:60]!r}", "warning", SKIP_WARNINGS[item.reason])
        for item in skipped
        if item.reason in SKIP_WARNINGS
    ]


def _parse_one(path: Path, config: BuildConfig, md) -> tuple[ParsedFile | None, list[Diagnostic]]:
    """One file's cards, or None, and its diagnostics; whatever goes wrong is a diagnostic naming the file."""
    relative = path.relative_to(config.notes_dir).as_posix()
    diagnostics: list[Diagnostic] = []
    try:
        source = read_source(path, config.notes_dir)
        diagnostics.extend(source.diagnostics)
        if not source.text:
            return None, diagnostics
        diagnostics.extend(unclosed_markup(source.text, source.path))
        parsed = parse_source(source, md, config.notes_dir)
        parsed.cards = with_source_tags(parsed.cards)
        return parsed, diagnostics
    except OSError as err:
        message = f"cannot read the file ({err.strerror or err}); skipped"
        code = "unreadable"
    except RecursionError:
        message = "nested too deeply to parse; skipped"
        code = "parse-error"
    except Exception as err:
        message = f"could not be parsed ({type(err).__name__}: {err}); skipped"
        code = "parse-error"
    diagnostics.append(Diagnostic(SourceLocation(relative, 1), message, "error", code))
    return None, diagnostics


def build(config: BuildConfig, progress: Progress = _no_progress) -> BuildReport:
    scan = scan_notes(config)
    last = load_last_build(config.output_dir)
    if (
        config.skip_unchanged
        and last
        and last.intact()
        and last.inputs == build_inputs(config, scan.relatives, scan.digests, last.media)
    ):
        return _up_to_date(config, last)

    cache = BuildCache.load(config.output_dir, "html" if config.allow_html else "escaped")
    parsed, report = parse_notes(config, progress, cache, scan)
    now = config.now or current_time()
    lock = load_lockfile(config.notes_dir)
    changes = assign_identities([card for result in parsed for card in result.cards], lock, now, report.prints)
    report.changes = changes
    report.lock_entries = lock.entries
    report.diagnostics.extend(changes.diagnostics)
    memo = Memo(cache.graph)
    registry = load_registry(config.notes_dir, config.vocabulary)
    texts = NoteTexts(config.notes_dir)
    graph = build_graph(
        changes.cards,
        registry,
        texts,
        memo,
        {result.path: result.digest for result in parsed},
        config.jobs or default_jobs(),
    )
    cache.keep_graph(memo.current, memo.changed)
    cards = annotate_cards(changes.cards, graph)
    extra = enrich(config, graph, cards, texts, [result.path for result in parsed])
    cards = extra.cards
    report.cards, report.generated, report.merged, report.study_order = (
        cards,
        extra.generated,
        extra.merged,
        extra.order,
    )
    images = sorted({str(path) for result in parsed for path in result.images})
    # Everything graph.json and the map are made of: each card's reading (the memo's keys), the
    # registry, the cards shown (merged or not), their images (in the cards' HTML) and the study order.
    graph_inputs = digest(
        sorted(memo.current),
        registry.digest,
        [(card.guid, card.location) for card in cards],
        sorted(media_stamps(images).items()),
        extra.order,
        sorted(extra.dues.items()),
        config.deck_name,
        code_version(),
    )

    if config.strict and report.diagnostics:
        raise DeckgraphError(f"--strict: {len(report.diagnostics)} problem(s) in the notes; nothing written")
    notes = (
        stamp(cards, lock, now, extra.dues)
        + stamp_generated(extra.generated, lock, now, extra.dues)
        + removed_notes(lock)
    )
    media = {name: path for result in parsed for name, path in result.media.items()}
    package = config.package_path
    try:
        lock.save()  # first: the identities and stamps the outputs are made with are never lost
        inputs = package_digest(notes, config.deck_name, media_stamps(media.values()), code_version())
        _output(report, cache, package, inputs, lambda path: write_package(path, notes, config.deck_name, media))
        _output(
            report,
            cache,
            config.output_dir / "graph.json",
            graph_inputs,
            lambda path: write_graph_json(path, graph, extra.order),
        )
        _output(
            report,
            cache,
            config.output_dir / "concept-map.html",
            graph_inputs,
            lambda path: write_concept_map(
                path, graph, cards, f"{config.deck_name} — concept map", extra.order, extra.dues
            ),
        )
        cache.save()
        report.counts = {
            "cards": len(cards),
            "generated": len(extra.generated),
            "merged": len(extra.merged),
            "merged questions": sum(len(group) for group in extra.merged),
        }
        save_last_build(
            config.output_dir,
            LastBuild(
                build_inputs(config, scan.relatives, scan.digests, images),
                report.counts,
                report.files,
                [card.guid for card in cards],
                report.diagnostics,
                report.skipped,
                {str(path): "" for path in report.outputs},
                images,
            ),
        )
    except OSError as err:
        raise DeckgraphError(
            f"cannot write {err.filename or package}: {err.strerror or err}; it is unchanged "
            "(each output is replaced whole or not at all)"
        ) from err
    return report


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


def _output(report: BuildReport, cache: BuildCache, path: Path, inputs: str, write: Callable[[Path], bool]) -> None:
    """Write one output, unless the cache knows it was made from the same `inputs` and is intact."""
    report.outputs.append(path)
    if cache.output_is_current(path, inputs):
        return
    if write(path):
        report.written.append(path)
    cache.record_output(path, inputs)
