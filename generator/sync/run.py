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
from generator.errors import DeckgraphError
from generator.sync.adopt import Adoption, card_guid, claim_guids, find_adoptions, migrate, record_in_lockfile
from generator.sync.apply import fix_cards, import_package, note_types_current
from generator.sync.package import PackagedNote, read_package
from generator.sync.plan import HeldNote, Plan, deck_names, held_notes, make_plan
from generator.sync.problems import SyncConflict
from generator.sync.removals import delete_removed, forget_in_lockfile, removed_and_gone, settle_orphans
from generator.sync.server import ServerSession
from generator.sync.session import CollectionSession

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
    password: str = ""
    delete_removed: bool | None = False
    """Delete notes removed from the notes; None: ask `confirm_delete` with their labels."""
    adopt: bool = False
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
    conflicting: int = 0
    server: list[str] = field(default_factory=list)
    """What the server session did, step by step."""
    advice: list[str] = field(default_factory=list)


def sync(request: SyncRequest) -> SyncReport:
    report = SyncReport(_build(request.config, request.build_progress), request.collection, request.dry_run)
    with CollectionSession(request.collection, create=bool(request.server)) as session:
        remote = _fetch(request, session, report) if request.server else None
        package, held, adoptions = _adoptions(request, session.collection, remote, report)
        plan = make_plan(
            package, held, deck_names(session.collection), request.config.deck_name, _adopted_guids(adoptions)
        )
        report.added, report.updated, report.unchanged = len(plan.add), len(plan.update), plan.unchanged
        report.edited_in_anki, report.conflicting = len(plan.edited_in_anki), len(plan.conflicting)
        report.removed = plan.removed_labels
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


def _fetch(request: SyncRequest, session: CollectionSession, report: SyncReport) -> ServerSession:
    """Log in and bring deckgraph's copy up to date with the server."""
    remote = ServerSession(session.collection, request.server, request.user, request.password, request.progress)
    remote.login()
    if request.dry_run and remote.pending_changes():
        report.server.append("not fetched: deckgraph's copy holds changes not yet sent (a dry run sends nothing)")
    else:
        report.server.append(remote.pull(session.before_change))
    return remote


def _adoptions(
    request: SyncRequest, col: Collection, remote: ServerSession | None, report: SyncReport
) -> tuple[list[PackagedNote], dict[str, HeldNote], list[Adoption]]:
    """The package, the collection's notes, and (with --adopt) the notes to adopt; once the
    lockfile holds the adopted GUIDs, the package is built again with them."""
    config = request.config
    package = read_package(config.package_path)
    held = held_notes(col)
    adoptions = find_adoptions(col, package, held) if request.adopt else []
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
    claim_guids(col, adoptions)
    import_package(col, request.config.package_path, request.progress)
    migrate(col, adoptions, {note.guid: note for note in package}, request.config.deck_name)
    fixes = fix_cards(col, package, request.config.deck_name)
    report.moved, report.repositioned = len(fixes.moves), len(fixes.positions)
    settle_orphans(col, plan.orphans, delete)
    return delete_removed(col, package) if delete else []


def _build(config: BuildConfig, progress: Progress) -> BuildReport:
    built = build(replace(config, skip_unchanged=True), progress)
    if built.errors:
        raise DeckgraphError(
            f"{len(built.errors)} error(s) in the notes: fix them first (nothing was synced, because the "
            "cards of a file that cannot be read would look removed)"
        )
    return built
