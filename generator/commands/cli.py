"""Command line: options and output only; the work happens in build.py and friends."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from generator import __version__
from generator.build import BuildReport
from generator.build import build as run_build
from generator.check import RULES, to_json, to_text
from generator.check import check as run_check
from generator.commands import stats as note_stats
from generator.commands.watch import LiveBuild, watch_and_build
from generator.config import DEFAULT_DECK_NAME, BuildConfig
from generator.errors import UsageProblem
from generator.identity.lockfile import load_lockfile

NOTES_DIR = click.argument(
    "notes_dir", default="notes", required=False, type=click.Path(path_type=Path, file_okay=False)
)
ACRONYM_CARDS = click.option(
    "--acronym-cards/--no-acronym-cards",
    default=None,
    help="A cloze card per acronym the notes define, in an Acronyms subdeck (default: on, "
    "or as notes/deckgraph.toml says).",
)
MERGE_DUPLICATES = click.option(
    "--merge-duplicates/--no-merge-duplicates",
    default=None,
    help="One card for a question asked in several places, every source's answer on its back "
    "(default: off, or as notes/deckgraph.toml says).",
)
OUTPUT_DIR = click.option(
    "-o",
    "--output",
    "output_dir",
    default="output",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the generated files.",
)


def progress_bar(items, length, label):
    """A progress bar on a terminal, for long work; silent in pipes and CI logs."""
    if not sys.stderr.isatty() or length < 50:
        yield from items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield from bar


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckgraph")
def main() -> None:
    """deckgraph: turn a folder of Markdown study notes into Anki decks and a concept map.

    \b
    Quick start:
      deckgraph build notes/ -o output/
      then import output/*.apkg into Anki (desktop, AnkiDroid or AnkiMobile).
    """


@main.command()
@NOTES_DIR
@OUTPUT_DIR
@click.option(
    "--deck",
    "deck_name",
    default=DEFAULT_DECK_NAME,
    show_default=True,
    help="Name of the root deck; each note file becomes a subdeck under it.",
)
@click.option(
    "--allow-html",
    is_flag=True,
    help="Pass raw HTML in notes through to cards (escaped by default: Anki runs card HTML).",
)
@click.option("--strict", is_flag=True, help="Fail, writing nothing, if any note has a problem.")
@click.option("-v", "--verbose", is_flag=True, help="List every block that did not become a card, and why.")
@ACRONYM_CARDS
@MERGE_DUPLICATES
def build(
    notes_dir: Path,
    output_dir: Path,
    deck_name: str,
    allow_html: bool,
    strict: bool,
    verbose: bool,
    acronym_cards: bool | None,
    merge_duplicates: bool | None,
) -> None:
    """Build the Anki package from NOTES_DIR (default: notes/).

    Writes OUT_DIR/<deck-name>.apkg (one subdeck per note file), OUT_DIR/graph.json and
    OUT_DIR/concept-map.html, and keeps card IDs in NOTES_DIR/deckgraph.lock.json so review history
    survives edits. Problems are reported as file:line; a broken file is skipped and the rest still
    built (unless --strict). Prints what changed since the last build.
    """
    config = BuildConfig(
        notes_dir=notes_dir,
        output_dir=output_dir,
        deck_name=deck_name,
        allow_html=allow_html,
        strict=strict,
        verbose=verbose,
        skip_unchanged=True,
        acronym_cards=acronym_cards,
        merge_duplicates=merge_duplicates,
    )
    report = run_build(config, progress=progress_bar)
    print_report(report, verbose)
    if report.errors:
        sys.exit(1)


@main.command()
@NOTES_DIR
@OUTPUT_DIR
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (for editors and scripts).")
@click.option("--strict", is_flag=True, help="Exit with status 1 if there is any finding (for CI).")
@click.option(
    "--rule", "rules", multiple=True, type=click.Choice(sorted(RULES)), help="Run only this rule (repeatable)."
)
def check(notes_dir: Path, output_dir: Path, as_json: bool, strict: bool, rules: tuple[str, ...]) -> None:
    """Lint NOTES_DIR (default: notes/): stray remarks, unanswered questions, empty sections,
    near-duplicate questions, repaired text, unclosed fences and math, broken links and images,
    registry concepts no note mentions, and relations (declared, or in OUT_DIR/graph.json) whose
    evidence is gone.

    Every finding is reported as file:line. Exit status 0 unless --strict and something was found.
    """
    config = BuildConfig(notes_dir=notes_dir, output_dir=output_dir)
    findings = run_check(config, rules)
    click.echo(to_json(findings) if as_json else to_text(findings))
    if strict and findings:
        sys.exit(1)


@main.command()
@NOTES_DIR
@OUTPUT_DIR
@click.option("--deck", "deck_name", default=DEFAULT_DECK_NAME, show_default=True, help="Name of the root deck.")
@click.option("--allow-html", is_flag=True, help="Pass raw HTML in notes through to cards.")
@click.option("-v", "--verbose", is_flag=True, help="Name every added, changed, moved and removed card.")
@ACRONYM_CARDS
@MERGE_DUPLICATES
def watch(
    notes_dir: Path,
    output_dir: Path,
    deck_name: str,
    allow_html: bool,
    verbose: bool,
    acronym_cards: bool | None,
    merge_duplicates: bool | None,
) -> None:
    """Rebuild whenever a note in NOTES_DIR is saved (Ctrl-C to stop).

    A broken note is reported and the watcher keeps going; each output is replaced in one step,
    so Anki or a browser never reads a half-written file.
    """
    config = BuildConfig(
        notes_dir=notes_dir,
        output_dir=output_dir,
        deck_name=deck_name,
        allow_html=allow_html,
        verbose=verbose,
        skip_unchanged=True,
        acronym_cards=acronym_cards,
        merge_duplicates=merge_duplicates,
    )
    if not notes_dir.is_dir():
        raise UsageProblem(f"notes folder not found: {notes_dir}")
    live = LiveBuild(config)

    def rebuild() -> None:
        click.echo(f"[{time.strftime('%H:%M:%S')}] building {notes_dir}")
        print_report(live(), verbose)
        click.echo(f"watching {notes_dir} for changes (Ctrl-C to stop)")
        sys.stdout.flush()

    def report_error(message: str) -> None:
        click.echo(f"error: {message}", err=True)
        click.echo(f"watching {notes_dir} for changes (Ctrl-C to stop)")
        sys.stdout.flush()

    watch_and_build(notes_dir, rebuild, report_error)


@main.command()
@NOTES_DIR
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
def stats(notes_dir: Path, as_json: bool) -> None:
    """Numbers about NOTES_DIR (default: notes/): cards per file and topic, concepts, edges by
    type, the most connected and the orphan concepts, cards without a concept. Writes nothing."""
    config = BuildConfig(notes_dir=notes_dir, output_dir=Path("output"))
    numbers = note_stats.collect(config)
    click.echo(note_stats.to_json(numbers) if as_json else note_stats.to_text(numbers))


@main.command()
@NOTES_DIR
def prune(notes_dir: Path) -> None:
    """Forget removed cards once you have dealt with them in Anki.

    A card removed from the notes stays in the package, tagged deckgraph::removed, because an
    Anki import never deletes. Search `tag:deckgraph::removed` in Anki, delete those notes, then
    run this: the next build leaves them out.
    """
    lock = load_lockfile(notes_dir)
    forgotten = lock.forget_removed()
    if not forgotten:
        click.echo("No removed cards to forget.")
        return
    lock.save()
    for entry in forgotten:
        click.echo(f"  forgot {entry.file}:{entry.line}: {entry.text}")
    click.echo(f"Forgot {len(forgotten)} removed card(s); the next build leaves them out of the package.")


def print_report(report: BuildReport, verbose: bool) -> None:
    for diagnostic in report.diagnostics:
        click.echo(str(diagnostic), err=True)
    if verbose:
        for item in report.skipped:
            click.echo(f"{item.location}: not a card ({item.reason}): {item.text[:70]!r}", err=True)
    if report.changes is not None:
        print_changes(report, verbose)
    for path in report.outputs:
        state = "written" if path in report.written else "unchanged"
        click.echo(f"{path} ({state})")
    counts = report.counts
    if counts.get("generated"):
        click.echo(f"{counts['generated']} acronym cards (--no-acronym-cards leaves them out)")
    if counts.get("merged"):
        click.echo(
            f"{counts['merged']} groups of near-duplicate questions merged into "
            f"{counts['merged']} cards ({counts['merged questions']} questions)"
        )
    skipped = f", {len(report.skipped)} blocks not on a card" + ("" if verbose else " (-v lists them)")
    click.echo(
        f"{counts.get('cards', len(report.cards))} cards from {report.files} files; "
        f"{len(report.warnings)} warnings, {len(report.errors)} errors{skipped if report.skipped else ''}"
    )


def print_changes(report: BuildReport, verbose: bool) -> None:
    """What changed since the last build, from the ID lockfile's point of view."""
    changes = report.changes
    if changes is None:
        return
    groups = [
        ("added", changes.added),
        ("changed", changes.changed),
        ("moved", changes.moved),
        ("removed", changes.removed),
        ("unchanged", changes.unchanged),
    ]
    click.echo("Since the last build: " + ", ".join(f"{len(guids)} {name}" for name, guids in groups))
    if not verbose:
        return
    questions = {card.guid: f"{card.location}: {card.question}" for card in report.cards}
    questions.update(
        {
            guid: f"{entry.file}:{entry.line}: {entry.text}"
            for guid, entry in report.lock_entries.items()
            if guid not in questions
        }
    )
    for name, guids in groups[:4]:
        for guid in guids:
            click.echo(f"  {name:8} {questions.get(guid, guid)}")
