"""deckgraph sync --collection on real Anki collection files: applying a build, reviews kept, the
refusal while Anki has the file open, the backup, removals, dry runs, and adopting a deck that
another note type made, with its review history."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from anki._backend import RustBackend
from anki.collection import Collection, ImportAnkiPackageRequest
from click.testing import CliRunner
from sample_notes import edit_notes, write_first_notes
from syncing import Device, card_state, deck_of, questions

from generator.build import build
from generator.commands import cli
from generator.commands.cli import main
from generator.config import BuildConfig
from generator.export.apkg import MODEL_ID
from generator.export.stamps import REMOVED_TAG
from generator.identity.lockfile import load_lockfile
from generator.sync import SyncRequest, sync

FOREIGN = "What is the capital of France?"


@pytest.fixture
def notes(tmp_path):
    return write_first_notes(tmp_path / "notes")


@pytest.fixture
def profile(tmp_path):
    """A desktop profile's collection with one note deckgraph did not make."""
    path = tmp_path / "profile" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = FOREIGN, "Paris"
    col.add_note(note, col.decks.id("Geography"))
    col.close()
    return path


def run(notes, collection, *extra):
    args = ["sync", str(notes), "-o", str(notes.parent / "output"), "--collection", str(collection), *extra]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def study(path, count, deck="Interview Notes"):
    """Review in the collection as Anki desktop would (a Device that never syncs)."""
    col = Collection(str(path))
    try:
        col.decks.select(col.decks.id_for_name(deck))
        device = Device.__new__(Device)
        device.col = col
        reviewed = device.review(count, deck)
        return reviewed, card_state(col, reviewed)
    finally:
        col.close()


def foreign_state(col):
    return col.db.first(
        "SELECT n.mod, n.flds, n.tags, c.did, c.mod FROM notes n JOIN cards c ON c.nid = n.id WHERE sfld = ?", FOREIGN
    )


def test_applies_the_build_and_every_later_edit_keeping_reviews(notes, profile):
    col = Collection(str(profile))
    foreign_before = foreign_state(col)
    col.close()
    first = run(notes, profile)
    assert first.exit_code == 0, first.output
    assert "5 added, 0 updated, 0 moved, 0 removed, 0 deleted" in first.output
    reviewed, states = study(profile, 2)

    edit_notes(notes)
    second = run(notes, profile, "--delete-removed")
    assert second.exit_code == 0, second.output
    assert "2 added, 3 updated, 1 moved, 1 removed, 1 deleted" in second.output

    col = Collection(str(profile))
    try:
        assert questions(col) == sorted(
            [
                FOREIGN,
                "What exactly is alpha?",
                "What is beta?",
                "What is delta?",
                "What is eta?",
                "What is gamma?",
                "What is zeta?",
            ]
        )
        assert card_state(col, reviewed) == states
        assert deck_of(col, "What is gamma?") == "Interview Notes::Bravo"
        assert foreign_state(col) == foreign_before  # nothing deckgraph did not make is touched
        assert not col.find_notes(f"tag:{REMOVED_TAG}")
        media = sorted(p.name for p in (profile.parent / "collection.media").iterdir())
        assert any(name.endswith("chart.png") for name in media)
    finally:
        col.close()


def test_refuses_while_anki_has_the_collection_open(notes, profile):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from anki.collection import Collection; c = Collection(sys.argv[1]); print('open', flush=True); sys.stdin.read()",
            str(profile),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"open"
        result = run(notes, profile)
        assert result.exit_code == 3
        assert "is open in Anki" in result.output and "close Anki" in result.output
        assert not (profile.parent / "backups").exists()
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert run(notes, profile).exit_code == 0  # once Anki is closed


def test_backs_up_before_the_first_change(notes, profile):
    result = run(notes, profile)
    assert result.exit_code == 0, result.output
    backups = list((profile.parent / "backups").glob("*.colpkg"))
    assert len(backups) == 1 and f"Backup: {backups[0]}" in result.output
    # restored the way Anki's "Open Backup…" does
    RustBackend().import_collection_package(
        col_path=str(profile.parent / "restored.anki2"),
        backup_path=str(backups[0]),
        media_folder=str(profile.parent / "restored.media"),
        media_db=str(profile.parent / "restored.mdb"),
    )
    restored = Collection(str(profile.parent / "restored.anki2"))
    assert questions(restored) == [FOREIGN]  # the collection as it was before the sync
    restored.close()


def test_the_apkg_route_and_sync_never_duplicate_each_other(notes, profile, tmp_path):
    config = BuildConfig(notes_dir=notes, output_dir=tmp_path / "output")
    build(config)
    col = Collection(str(profile))
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(config.package_path)))
    col.close()
    result = run(notes, profile)
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 0 moved" in result.output
    col = Collection(str(profile))
    again = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(config.package_path)))
    assert not again.log.new and len(questions(col)) == 6
    col.close()


def test_removed_notes_stay_tagged_or_are_deleted_after_the_prompt(notes, profile, monkeypatch):
    assert run(notes, profile).exit_code == 0
    edit_notes(notes)
    kept = run(notes, profile)  # no terminal: no prompt, they stay tagged
    assert kept.exit_code == 0 and "1 notes removed from your notes stay tagged deckgraph::removed" in kept.output
    col = Collection(str(profile))
    assert len(col.find_notes(f"tag:{REMOVED_TAG}")) == 1
    col.close()

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    declined = CliRunner().invoke(
        main, ["sync", str(notes), "-o", str(notes.parent / "output"), "--collection", str(profile)], input="n\n"
    )
    assert declined.exit_code == 0
    assert "1 notes were removed from your notes:" in declined.output
    assert "bravo.md:7: What is epsilon?" in declined.output
    assert "0 deleted" in declined.output
    accepted = CliRunner().invoke(
        main, ["sync", str(notes), "-o", str(notes.parent / "output"), "--collection", str(profile)], input="y\n"
    )
    assert accepted.exit_code == 0 and "1 deleted" in accepted.output, accepted.output
    col = Collection(str(profile))
    assert not col.find_notes(f"tag:{REMOVED_TAG}") and "What is epsilon?" not in questions(col)
    col.close()
    assert "No removed cards to forget" in CliRunner().invoke(main, ["prune", str(notes)]).output


def test_dry_run_shows_counts_and_changes_nothing(notes, profile):
    assert run(notes, profile).exit_code == 0
    edit_notes(notes)
    before = profile.read_bytes()
    result = run(notes, profile, "--dry-run", "--delete-removed")
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing changed." in result.output
    assert "2 added, 3 updated, 1 moved, 1 removed, 1 deleted" in result.output
    assert "removed  bravo.md:7: What is epsilon?" in result.output
    assert profile.read_bytes() == before
    assert len(list((profile.parent / "backups").glob("*.colpkg"))) == 1  # the first run's only


def test_adopts_a_deck_made_by_another_note_type_keeping_its_history(notes, profile, tmp_path):
    """Notes an older tool made with Anki's Basic type: one found by its `<!--ID: …-->` comment
    (Obsidian_to_Anki, inka2), one by GUID (an earlier import), one by the same front."""
    config = BuildConfig(notes_dir=tmp_path / "probe-notes", output_dir=tmp_path / "probe")
    write_first_notes(config.notes_dir)
    gamma_guid = next(card.guid for card in build(config).cards if card.question == "What is gamma?")

    col = Collection(str(profile))
    basic = col.models.by_name("Basic")
    made = {}
    for front, back in [
        ("What is alpha?", "the first letter"),
        ("Beta (old wording)", "the second letter"),
        ("Gamma, as the old import had it", "the third letter"),
    ]:
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, back
        col.add_note(note, col.decks.id("Old Greek"))
        made[front] = note
    gamma = made["Gamma, as the old import had it"]
    gamma.guid = gamma_guid
    col.update_note(gamma)
    alpha_guid = made["What is alpha?"].guid
    col.close()
    reviewed, states = study(profile, 3, deck="Old Greek")

    beta_id = made["Beta (old wording)"].id
    text = (notes / "alpha.md").read_text(encoding="utf-8")
    text = text.replace("![diagram](pic.png)\n", f"![diagram](pic.png)\n<!--ID: {beta_id}-->\n")
    (notes / "alpha.md").write_text(text, encoding="utf-8")

    dry = run(notes, profile, "--adopt", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2 added" in dry.output and "3 adopted" in dry.output
    result = run(notes, profile, "--adopt")
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output and "3 adopted" in result.output
    assert "one-way sync" in result.output

    col = Collection(str(profile))
    try:
        assert questions(col) == sorted(
            [FOREIGN, "What is alpha?", "What is beta?", "What is gamma?", "What is delta?", "What is epsilon?"]
        )  # no duplicate
        for note in made.values():
            adopted = col.get_note(note.id)
            assert adopted.mid == MODEL_ID
        assert card_state(col, reviewed) == states  # same cards, same history
        assert deck_of(col, "What is alpha?") == "Interview Notes::Alpha"
        assert col.get_note(beta_id).guid == str(beta_id)
    finally:
        col.close()
    lock = load_lockfile(notes)
    assert alpha_guid in lock.entries and gamma_guid in lock.entries and str(beta_id) in lock.entries

    again = run(notes, profile)
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 0 moved, 0 removed, 0 deleted" in again.output


def test_a_collection_from_a_newer_anki_says_what_to_do(notes, profile):
    database = sqlite3.connect(profile)
    database.execute("UPDATE col SET ver = 99")
    database.commit()
    database.close()
    result = run(notes, profile)
    assert result.exit_code == 3 and "newer Anki" in result.output and "pip install -U anki" in result.output


def test_a_missing_or_foreign_file_says_what_to_do(notes, tmp_path):
    missing = run(notes, tmp_path / "nowhere" / "collection.anki2")
    assert missing.exit_code == 2 and "no Anki collection at" in missing.output
    (tmp_path / "notes.txt").write_text("hello")
    foreign = run(notes, tmp_path / "notes.txt")
    assert foreign.exit_code == 3 and "not an Anki collection" in foreign.output


def test_note_errors_stop_the_sync(notes, profile):
    (notes / "bad.md").write_bytes(b"\x00\x01binary\x00")
    result = run(notes, profile)
    assert result.exit_code == 1 and "fix them first" in result.output


def test_help_documents_the_exit_codes():
    text = CliRunner().invoke(main, ["sync", "--help"]).output
    for code in (
        "0  synced",
        "1  a note file",
        "2  bad invocation",
        "3  the collection",
        "4  the server",
        "5  only a full upload",
    ):
        assert code in text


def test_the_api_asks_before_deleting(notes, profile):
    assert run(notes, profile).exit_code == 0
    edit_notes(notes)
    asked = []
    config = BuildConfig(notes_dir=notes, output_dir=notes.parent / "output")
    report = sync(
        SyncRequest(config, profile, delete_removed=None, confirm_delete=lambda labels: asked.append(labels) or True)
    )
    assert asked == [["bravo.md:7: What is epsilon?"]] and report.deleted == 1


def test_adopting_every_card_brings_deckgraphs_note_type_first(tmp_path, profile):
    """When every card is adopted, no import adds deckgraph's note type: it is brought in alone."""
    notes = tmp_path / "only"
    notes.mkdir()
    (notes / "geo.md").write_text(f"# Geography\n\n## {FOREIGN}\n\nParis.\n", encoding="utf-8")
    result = run(notes, profile, "--adopt", "--no-acronym-cards")
    assert result.exit_code == 0, result.output
    assert "0 added" in result.output and "1 adopted" in result.output
    col = Collection(str(profile))
    try:
        assert questions(col) == [FOREIGN]
        assert col.get_note(col.find_notes("")[0]).mid == MODEL_ID
        assert deck_of(col, FOREIGN) == "Interview Notes::Geography"
        assert not col.decks.id_for_name("Interview Notes::deckgraph note types")
    finally:
        col.close()


def test_a_sync_with_nothing_to_do_changes_nothing_and_makes_no_backup(notes, profile):
    assert run(notes, profile).exit_code == 0
    before = profile.read_bytes()
    again = run(notes, profile)
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 0 moved, 0 removed, 0 deleted; 0 new cards repositioned, 5 unchanged" in again.output
    assert "Backup:" not in again.output and profile.read_bytes() == before
    assert len(list((profile.parent / "backups").glob("*.colpkg"))) == 1


def test_acronym_cards_whose_acronym_left_the_notes_are_removed_too(tmp_path, profile):
    """Generated notes have no lockfile entry to be marked removed: deckgraph's notes under the root
    deck that the build no longer has are tagged, or deleted with --delete-removed."""
    notes = tmp_path / "acronyms"
    notes.mkdir()
    page = notes / "tuning.md"
    page.write_text("# Tuning\n\n## What is LoRA?\n\nLow-Rank Adaptation (LoRA) trains small matrices.\n")
    assert run(notes, profile).exit_code == 0
    col = Collection(str(profile))
    assert col.find_notes('"note:deckgraph Acronym (cloze)"')
    col.close()
    page.write_text("# Tuning\n\n## What is LoRA?\n\nIt trains small low-rank matrices.\n")
    kept = run(notes, profile)
    assert kept.exit_code == 0, kept.output
    assert "1 removed" in kept.output
    col = Collection(str(profile))
    assert len(col.find_notes(f'"note:deckgraph Acronym (cloze)" tag:{REMOVED_TAG}')) == 1
    assert len(questions(col)) == 3  # kept, tagged
    col.close()
    deleted = run(notes, profile, "--delete-removed")
    assert deleted.exit_code == 0 and "1 deleted" in deleted.output, deleted.output
    col = Collection(str(profile))
    assert not col.find_notes('"note:deckgraph Acronym (cloze)"')
    assert questions(col) == sorted([FOREIGN, "What is LoRA?"])  # nothing else touched
    col.close()
