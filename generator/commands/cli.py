"""Command line: options and output only; the work happens in build.py and friends."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

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
from generator.settings import load_sync_settings
from generator.sync import DEVICE_COLLECTION, Interrupted, SyncReport, SyncRequest
from generator.sync import sync as run_sync

T = TypeVar("T")
PASSWORD_VARIABLE = "DECKGRAPH_SYNC_PASSWORD"
SYNC_EXIT_CODES = """\b
Exit status:
  0  synced (or, with --dry-run, shown)
  1  a note file has an error: fix it first (nothing is synced)
  2  bad invocation: no notes, no cards for a deck holding deckgraph's notes, no collection
     at the path, no password, a server address without http(s)://
  3  the collection is open in Anki, made by a newer Anki, damaged, not writable or not a
     collection, or one of deckgraph's note types was changed in Anki
  4  the server cannot be reached, refused the login, or failed
  5  only a full upload would send the changes: rerun with --force-upload
  130  interrupted (Ctrl-C, or no answer at a prompt): Anki is asked to stop; what was
     done before stays (after the backup)
"""

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
VOCABULARY = click.option(
    "--vocabulary/--no-vocabulary",
    default=None,
    help="Find the field's concepts with the built-in vocabulary, under notes/concepts.toml "
    "(default: on, or as notes/deckgraph.toml says).",
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
      then import output/*.apkg into Anki (desktop, AnkiDroid or AnkiMobile),
      or let deckgraph sync do it: deckgraph sync notes/ --collection PATH
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
@VOCABULARY
def build(
    notes_dir: Path,
    output_dir: Path,
    deck_name: str,
    allow_html: bool,
    strict: bool,
    verbose: bool,
    acronym_cards: bool | None,
    merge_duplicates: bool | None,
    vocabulary: bool | None,
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
        vocabulary=vocabulary,
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
@VOCABULARY
def watch(
    notes_dir: Path,
    output_dir: Path,
    deck_name: str,
    allow_html: bool,
    verbose: bool,
    acronym_cards: bool | None,
    merge_duplicates: bool | None,
    vocabulary: bool | None,
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
        vocabulary=vocabulary,
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
    acronyms = sum(1 for stamp in lock.generated.values() if stamp.get("removed_at"))
    forgotten = lock.forget_removed()  # removed cards and retired acronym cards
    if not forgotten:
        click.echo("No removed cards to forget.")
        return
    lock.save()
    for entry in forgotten:
        click.echo(f"  forgot {entry.file}:{entry.line}: {entry.text}")
    if acronyms:
        click.echo(f"Forgot {acronyms} acronym card(s) whose acronym left the notes.")
    if len(forgotten) > acronyms:
        click.echo(
            f"Forgot {len(forgotten) - acronyms} removed card(s); the next build leaves them out of the package."
        )


@main.command(epilog=SYNC_EXIT_CODES)
@NOTES_DIR
@OUTPUT_DIR
@click.option(
    "--collection",
    "collection",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Apply the build to this Anki collection file (a desktop profile's collection.anki2; close Anki first).",
)
@click.option("--server", help="Sync through this Anki sync server (e.g. http://127.0.0.1:8080/).")
@click.option("--user", help=f"User name on the server; the password comes from ${PASSWORD_VARIABLE} or a prompt.")
@click.option("--deck", "deck_name", default=DEFAULT_DECK_NAME, show_default=True, help="Name of the root deck.")
@click.option(
    "--delete-removed/--keep-removed",
    default=None,
    help="Delete the notes removed from your notes (default: ask, listing them; without a terminal, keep "
    "them tagged deckgraph::removed).",
)
@click.option("--adopt", is_flag=True, help="Take over matching notes another tool or an older import made.")
@click.option(
    "--adopt-extra-cards",
    is_flag=True,
    help="With --adopt: adopt notes that have several cards too (such as Basic (and reversed card)), keeping "
    "the first card and DELETING the others with their reviews (without it they are left alone and listed).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what the sync would do, with counts; change no collection (with --server, only "
    "deckgraph's own copy is brought up to date, and nothing is sent).",
)
@click.option(
    "--force-upload",
    is_flag=True,
    help="Allow replacing the server's collection with deckgraph's (reviews not yet synced from other devices are lost).",
)
@click.option("--allow-html", is_flag=True, help="Pass raw HTML in notes through to cards.")
@click.option("-v", "--verbose", is_flag=True, help="Name every removed and adopted note.")
@ACRONYM_CARDS
@MERGE_DUPLICATES
def sync(
    notes_dir: Path,
    output_dir: Path,
    collection: Path | None,
    server: str | None,
    user: str | None,
    deck_name: str,
    delete_removed: bool | None,
    adopt: bool,
    adopt_extra_cards: bool,
    dry_run: bool,
    force_upload: bool,
    allow_html: bool,
    verbose: bool,
    acronym_cards: bool | None,
    merge_duplicates: bool | None,
) -> None:
    """Build NOTES_DIR and apply it to Anki: a collection file (--collection), or every device
    that syncs with an Anki sync server (--server, --user).

    Adds new notes, updates changed ones, moves cards between subdecks, gives new cards their
    study-order positions and keeps every review. Notes removed from your notes are deleted only
    with --delete-removed (or when you say yes at the prompt); otherwise they stay tagged
    deckgraph::removed. Only notes of deckgraph's own note types are ever changed. A backup of the
    collection (Anki's .colpkg, in backups/ beside it) is made before the first change.

    With --server, deckgraph keeps its own device collection (OUT_DIR/anki-device/, or
    [sync] collection in deckgraph.toml), fetches the server's first, applies the build, then
    syncs, media included. It never replaces the server's collection (a full upload) unless
    the server holds no cards or you pass --force-upload.
    """
    if not notes_dir.is_dir():
        raise UsageProblem(f"notes folder not found: {notes_dir}")
    settings = load_sync_settings(notes_dir)
    server = server or (settings.server if collection is None else "")
    user = user or settings.user
    if collection is not None and server:
        raise UsageProblem("give either --collection or --server, not both")
    if collection is None and not server:
        raise UsageProblem("say where to sync: --collection PATH (Anki desktop, closed) or --server URL --user NAME")
    if server and not user:
        raise UsageProblem("--server needs --user NAME (the password comes from $DECKGRAPH_SYNC_PASSWORD or a prompt)")
    if force_upload and not server:
        raise UsageProblem("--force-upload is for --server")
    if adopt_extra_cards and not adopt:
        raise UsageProblem("--adopt-extra-cards is for --adopt")
    if server:
        _check_server_url(server)
    password = _interruptible(lambda: _password(user)) if server else ""
    config = BuildConfig(
        notes_dir=notes_dir,
        output_dir=output_dir,
        deck_name=deck_name,
        allow_html=allow_html,
        verbose=verbose,
        acronym_cards=acronym_cards,
        merge_duplicates=merge_duplicates,
    )
    interactive = _interactive()
    request = SyncRequest(
        config=config,
        collection=collection or settings.collection or output_dir / DEVICE_COLLECTION,
        server=server,
        user=user or "",
        password=password,
        delete_removed=delete_removed if delete_removed is not None or interactive else False,
        adopt=adopt,
        adopt_extra_cards=adopt_extra_cards,
        dry_run=dry_run,
        force_upload=force_upload,
        confirm_delete=_confirm_delete,
        progress=_sync_progress(),
        build_progress=progress_bar,
    )
    print_sync_report(_interruptible(lambda: run_sync(request)), verbose)


def _interruptible(call: Callable[[], T]) -> T:
    """Ctrl-C (or the end of input at a prompt) ends the run with the documented exit code."""
    try:
        return call()
    except (KeyboardInterrupt, click.Abort):
        raise Interrupted(
            "interrupted: what was done before stays (a backup was made before the first change); "
            "run deckgraph sync again to finish"
        ) from None


def _check_server_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise UsageProblem(
            f"--server {url!r} is not a server address: give it with http:// or https://, "
            "such as http://192.168.1.10:8080/"
        )


def _interactive() -> bool:
    """Someone at a terminal to answer a prompt."""
    return sys.stdin.isatty()


def _password(user: str) -> str:
    password = os.environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    if not _interactive():
        raise UsageProblem(f"no password for {user!r}: set ${PASSWORD_VARIABLE}, or run in a terminal to be asked")
    return click.prompt(f"Password for {user}", hide_input=True, err=True)


def _confirm_delete(labels: list[str]) -> bool:
    click.echo(f"{len(labels)} notes were removed from your notes:", err=True)
    for label in labels:
        click.echo(f"  {label}", err=True)
    return click.confirm("Delete them from the collection (their review history goes too)?", default=False, err=True)


def _sync_progress() -> Callable[[str], None]:
    """Prints Anki's progress during long syncs, at most twice a second, on a terminal only."""
    last = [0.0]

    def show(text: str) -> None:
        now = time.monotonic()
        if sys.stderr.isatty() and now - last[0] > 0.5:
            last[0] = now
            click.echo(f"  {text}", err=True)

    return show


def print_sync_report(report: SyncReport, verbose: bool) -> None:
    built = report.build
    for diagnostic in built.diagnostics:
        click.echo(str(diagnostic), err=True)
    generated = built.counts.get("generated", 0)
    click.echo(
        f"Built {built.counts.get('cards', len(built.cards))} cards"
        + (f" and {generated} acronym cards" if generated else "")
        + f" from {built.files} files; {len(built.warnings)} warnings"
    )
    for line in report.server:
        click.echo(f"Server: {line}")
    if report.backup is not None:
        click.echo(f"Backup: {report.backup}")
    kept = "would stay" if report.dry_run else "stay"
    deleted = report.deleted
    counts = [
        ("added", report.added),
        ("updated", report.updated),
        ("moved", report.moved),
        ("removed", len(report.removed)),
        ("deleted", deleted),
    ]
    click.echo(
        (f"Dry run, nothing changed. {report.collection} would get: " if report.dry_run else f"{report.collection}: ")
        + ", ".join(f"{count} {name}" for name, count in counts)
        + f"; {report.repositioned} new cards repositioned, {report.unchanged} unchanged"
        + (f"; {len(report.adoptions)} adopted" if report.adoptions else "")
    )
    if report.edited_in_anki:
        click.echo(f"{report.edited_in_anki} notes edited in Anki since your notes changed: Anki's version kept")
    if report.conflicting:
        click.echo(
            f"{report.conflicting} cards match notes of another note type by GUID: left alone (--adopt takes them over)"
        )
    if report.removed and not deleted:
        click.echo(
            f"{len(report.removed)} notes removed from your notes {kept} tagged deckgraph::removed "
            "(--delete-removed deletes them)"
        )
    if report.unknown:
        click.echo(
            f"{len(report.unknown)} of deckgraph's notes under this deck are not from these notes (made from "
            "another notes folder, or forgotten by deckgraph prune): left alone. Give each notes folder its "
            "own deck (--deck); delete them in Anki if you no longer want them."
        )
        for label in report.unknown if verbose or report.dry_run else report.unknown[:5]:
            click.echo(f"  other folder  {label}")
        if len(report.unknown) > 5 and not (verbose or report.dry_run):
            click.echo(f"  … and {len(report.unknown) - 5} more (-v lists them)")
    if report.not_adopted:
        click.echo(
            f"{len(report.not_adopted)} matching notes have several cards: not adopted (deckgraph's note type "
            "has one card, so the others would be deleted with their reviews; --adopt-extra-cards does that). "
            "deckgraph adds its own card beside each (or, where they share its GUID, leaves it out)."
        )
        for adoption in report.not_adopted:
            click.echo(f"  not adopted  {adoption.front} ({adoption.cards} cards, in {adoption.deck})")
    extra = sum(adoption.cards - 1 for adoption in report.adoptions)
    if extra:
        done = "would be deleted" if report.dry_run else "were deleted"
        click.echo(f"{extra} extra cards of adopted notes {done} with their reviews (--adopt-extra-cards)")
    if verbose or report.dry_run:
        for label in report.removed:
            click.echo(f"  removed  {label}")
        for adoption in report.adoptions:
            click.echo(
                f"  adopted  {adoption.front} (note {adoption.note_id} in {adoption.deck}, "
                f"{adoption.cards} card{'s' if adoption.cards != 1 else ''}, by {adoption.by})"
            )
    if report.forgotten:
        click.echo(f"The lockfile forgot {report.forgotten} deleted cards (deckgraph prune has nothing left to do).")
    for line in report.advice:
        click.echo(f"Note: {line}")


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
