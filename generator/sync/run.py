"""One `deckgraph sync`: build, open the collection (fetching the server's first, in server mode),
compare, then apply: import, adopt, fix decks and positions, delete what the user chose to delete,
and send it all to the server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from anki.collection import Collection

from generator.build import BuildReport, Progress, build
from generator.config import BuildConfig
from generator.errors import DeckgraphError, UsageProblem
from generator.identity.lockfile import load_lockfile
from generator.sync.adopt import Adoption, card_guid, claim_guids, find_adoptions, migrate, record_in_lockfile
from generator.sync.apply import check_note_types, fix_cards, import_package, note_types_current
from generator.sync.package import PackagedNote, note_label, read_package
from generator.sync.plan import HeldNote, Plan, deck_names, held_notes, make_plan, under_root
from generator.sync.problems import SyncConflict
from generator.sync.removals import delete_removed, forget_in_lockfile, removed_and_gone, settle_orphans
from generator.sync.server import ServerSession
from generator.sync.session import CollectionSession, collection_errors

DEVICE_COLLECTION = Path("anki-device") / "collection.anki2"
"""deckgraph's own device collection in server mode, under the output folder."""


def _never(labels: list[str]) -> bool:
    return False


def _quiet(text: str) -> None:
    return None


def _no_progress(items, length, label):
    return items


@dataclass(frozen=True, slots=True)
class SyncRequest:
    config: BuildConfig
    collection: Path
    """The collection file: a desktop profile's, or deckgraph's own device copy in server mode."""
    server: str = ""
    """Sync server address; empty to apply the build to `collection` only."""
    user: str = ""
    password: str = field(default="", repr=False)
    delete_removed: bool | None = False
    """Delete notes removed from the notes; None: ask `confirm_delete` with their labels."""
    adopt: bool = False
    adopt_extra_cards: bool = False
    """With `adopt`: adopt notes with several cards too, deleting every card but the first (with its
    reviews); without it such notes are left alone and listed."""
    dry_run: bool = False
    force_upload: bool = False
    confirm_delete: Callable[[list[str]], bool] = _never
    progress: Callable[[str], None] = _quiet
    build_progress: Progress = _no_progress


@dataclass(slots=True)
class SyncReport:
    build: BuildReport
    collection: Path
    dry_run: bool = False
    backup: Path | None = None
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    edited_in_anki: int = 0
    moved: int = 0
    """Existing cards moved to another subdeck."""
    repositioned: int = 0
    """New cards given their study-order position."""
    removed: list[str] = field(default_factory=list)
    """Labels of notes removed from the notes that the collection still holds."""
    deleted: int = 0
    forgotten: int = 0
    """Removed cards the lockfile forgot (deckgraph prune's work, done)."""
    adoptions: list[Adoption] = field(default_factory=list)
    not_adopted: list[Adoption] = field(default_factory=list)
    """Matches with several cards, left alone (adopting would delete all but the first)."""
    unknown: list[str] = field(default_factory=list)
    """Labels of deckgraph's notes under the root deck that neither the build nor the lockfile
    knows (another notes folder's, or forgotten by deckgraph prune): left alone."""
    conflicting: int = 0
    server: list[str] = field(default_factory=list)
    """What the server session did, step by step."""
    advice: list[str] = field(default_factory=list)


def sync(request: SyncRequest) -> SyncReport:
    report = SyncReport(_build(request.config, request.build_progress), request.collection, request.dry_run)
    # the notes this folder's lockfile knows: of those the package lacks (acronym cards whose acronym
    # left the notes, questions merged into another card), deckgraph may tag or delete; no others
    lock = load_lockfile(request.config.notes_dir)
    known = set(lock.entries) | set(lock.generated)
    with (
        collection_errors(request.collection),
        CollectionSession(request.collection, create=bool(request.server)) as session,
    ):
        return _sync(request, session, known, report)


def _sync(request: SyncRequest, session: CollectionSession, known: set[str], report: SyncReport) -> SyncReport:
    remote = _fetch(request, session, report) if request.server else None
    check_note_types(session.collection)
    package, held, adoptions = _adoptions(request, session.collection, remote, report)
    decks, root = deck_names(session.collection), request.config.deck_name
    _refuse_an_empty_build(request, package, held, decks)
    plan = make_plan(package, held, decks, root, _adopted_guids(adoptions), known)
    report.added, report.updated, report.unchanged = len(plan.add), len(plan.update), plan.unchanged
    report.edited_in_anki, report.conflicting = len(plan.edited_in_anki), len(plan.conflicting)
    report.removed = plan.removed_labels
    report.unknown = [note_label(note.notetype, note.fields) for note in plan.unknown]
    delete = request.delete_removed
    if request.dry_run:
        report.moved, report.repositioned = len(plan.moves), len(plan.positions)
        report.deleted = len(report.removed) if delete else 0
        return report
    if delete is None:
        delete = bool(report.removed) and request.confirm_delete(report.removed)
    gone = _apply(request, session, package, held, plan, adoptions, delete, report)
    if remote is not None:
        report.server.append(remote.push(request.force_upload))
    report.forgotten = forget_in_lockfile(request.config.notes_dir, gone)
    return report


def _refuse_an_empty_build(
    request: SyncRequest, package: list[PackagedNote], held: dict[str, HeldNote], decks: dict[int, str]
) -> None:
    """A build with no cards over a deck that holds deckgraph's notes is a wrong folder, not a wish
    to remove everything."""
    if any(not note.removed for note in package):
        return
    there = under_root(held, decks, request.config.deck_name)
    if there:
        raise UsageProblem(
            f"{request.config.notes_dir} gives no cards, but {request.collection} holds {len(there)} of "
            f"deckgraph's notes under the deck {request.config.deck_name!r}: check the notes folder (and "
            "the working directory), or give this folder its own deck with --deck. Nothing was changed."
        )


def _fetch(request: SyncRequest, session: CollectionSession, report: SyncReport) -> ServerSession:
    """Log in and bring deckgraph's copy up to date with the server."""
    remote = ServerSession(session.collection, request.server, request.user, request.password, request.progress)
    remote.login()
    if request.dry_run and remote.pending_changes():
        report.server.append("not fetched: deckgraph's copy holds changes not yet sent (a dry run sends nothing)")
    else:
        report.server.append(remote.pull())
    return remote


def _adoptions(
    request: SyncRequest, col: Collection, remote: ServerSession | None, report: SyncReport
) -> tuple[list[PackagedNote], dict[str, HeldNote], list[Adoption]]:
    """The package, the collection's notes, and (with --adopt) the notes to adopt; once the
    lockfile holds the adopted GUIDs, the package is built again with them."""
    config = request.config
    package = read_package(config.package_path)
    held = held_notes(col)
    found = find_adoptions(col, package, held) if request.adopt else []
    report.not_adopted = [match for match in found if match.cards > 1 and not request.adopt_extra_cards]
    adoptions = [match for match in found if match not in report.not_adopted]
    report.adoptions = adoptions
    if not adoptions or request.dry_run:
        return package, held, adoptions
    if remote is not None and not request.force_upload:
        raise SyncConflict(
            f"adopting {len(adoptions)} notes changes their note type, which reaches the server only by "
            "replacing its collection (a full upload). Sync every phone and computer first, then run "
            "deckgraph sync --adopt --force-upload (those devices then download once). Nothing was changed."
        )
    adoptions, rekeyed = record_in_lockfile(config.notes_dir, adoptions)
    report.adoptions = adoptions
    if rekeyed:
        report.build = _build(config, request.build_progress)
        package = read_package(config.package_path)
    if adoptions and remote is None:
        report.advice.append(
            "adopting changed note types: the next time Anki syncs this profile it asks for a one-way "
            "sync; sync your other devices first, then choose Upload"
        )
    return package, held, adoptions


def _adopted_guids(adoptions: list[Adoption]) -> set[str]:
    """Both GUIDs of each adopted card: the package's before the lockfile took the note's, and after."""
    return {card_guid(adoption) for adoption in adoptions} | {adoption.package_guid for adoption in adoptions}


def _apply(
    request: SyncRequest,
    session: CollectionSession,
    package: list[PackagedNote],
    held: dict[str, HeldNote],
    plan: Plan,
    adoptions: list[Adoption],
    delete: bool,
    report: SyncReport,
) -> list[str]:
    """Change the collection (after a backup), unless there is nothing to change; returns the
    removed GUIDs the collection no longer holds, once deleting was chosen."""
    col = session.collection
    if delete:
        report.deleted = len(report.removed)
    if not (adoptions or plan.changes_notes_or_cards(delete) or not note_types_current(col, package)):
        return removed_and_gone(package, held) if delete else []  # no backup, no import
    session.before_change()
    report.backup = session.backup
    if report.backup is None:
        report.advice.append("Anki made no backup this time (it skips a collection unchanged since its last backup)")
    claim_guids(col, adoptions)
    log = import_package(col, request.config.package_path, request.progress)
    # what the importer really did (the plan's counts are what it should do)
    tagged = {held[note.guid].id for note in plan.to_tag if note.guid in held}
    report.added = len(log.new)
    report.updated = sum(1 for note in log.updated if note.id.nid not in tagged)
    migrate(col, adoptions, {note.guid: note for note in package}, request.config.deck_name)
    fixes = fix_cards(col, package, request.config.deck_name)
    report.moved, report.repositioned = len(fixes.moves), len(fixes.positions)
    orphans = settle_orphans(col, plan.orphans, delete)
    return delete_removed(col, package) + orphans if delete else []


def _build(config: BuildConfig, progress: Progress) -> BuildReport:
    built = build(replace(config, skip_unchanged=True), progress)
    if built.errors:
        raise DeckgraphError(
            f"{len(built.errors)} error(s) in the notes: fix them first (nothing was synced, because the "
            "cards of a file that cannot be read would look removed)"
        )
    return built
