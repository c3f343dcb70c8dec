"""deckgraph sync --collection where a careless sync would lose reviews or report what did not
happen: another notes folder (or one with no cards) under the same deck, a note type the user
changed in Anki, adopting notes with several cards, collections that cannot be used, backups."""

from __future__ import annotations

import shutil
import subprocess
import time
from contextlib import contextmanager

import pytest
from anki.collection import Collection
from click.testing import CliRunner
from sample_notes import edit_notes, write_first_notes
from syncing import FOREIGN, card_state, desktop_profile, questions
from test_sync_collection import run, study

from generator.build import build
from generator.commands import cli
from generator.commands.cli import main
from generator.config import BuildConfig
from generator.export.apkg import MODEL_ID
from generator.export.stamps import REMOVED_TAG
from generator.identity.lockfile import load_lockfile
from generator.sync import SyncRequest
from generator.sync.apply import import_package
from generator.sync.session import CollectionSession


@pytest.fixture
def notes(tmp_path):
    return write_first_notes(tmp_path / "notes")


@pytest.fixture
def profile(tmp_path):
    return desktop_profile(tmp_path)


GREEK = ["What is alpha?", "What is beta?", "What is delta?", "What is epsilon?", "What is gamma?"]


def test_a_second_notes_folder_leaves_the_first_folders_notes_alone(tmp_path, notes, profile):
    assert run(notes, profile).exit_code == 0
    reviewed, states = study(profile, 3)
    other = tmp_path / "other" / "notes"
    other.mkdir(parents=True)
    (other / "cooking.md").write_text("# Cooking\n\n## What is a roux?\n\nFlour cooked in fat.\n", encoding="utf-8")

    dry = run(other, profile, "--dry-run", "--delete-removed")
    assert dry.exit_code == 0, dry.output
    assert "1 added, 0 updated, 0 moved, 0 removed, 0 deleted" in dry.output
    result = run(other, profile, "--delete-removed")
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 0 moved, 0 removed, 0 deleted" in result.output
    assert "5 of deckgraph's notes under this deck are not from these notes" in result.output
    assert "--deck" in result.output

    col = Collection(str(profile))
    try:
        assert questions(col) == sorted([FOREIGN, "What is a roux?", *GREEK])
        assert not col.find_notes(f"tag:{REMOVED_TAG}")
        assert card_state(col, reviewed) == states
    finally:
        col.close()


def test_a_folder_without_cards_is_refused_when_the_deck_holds_deckgraphs_notes(tmp_path, notes, profile):
    assert run(notes, profile).exit_code == 0
    readme = tmp_path / "readme"
    readme.mkdir()
    (readme / "README.md").write_text("# My notes\n\nSee the other folder.\n", encoding="utf-8")
    before = profile.read_bytes()
    for extra in (["--delete-removed", "--dry-run"], ["--delete-removed"]):
        result = run(readme, profile, *extra)
        assert result.exit_code == 2, result.output
        assert "gives no cards" in result.output and "holds 5 of deckgraph's notes" in result.output
    assert profile.read_bytes() == before


def test_a_note_type_changed_in_anki_is_refused_not_silently_skipped(notes, profile):
    assert run(notes, profile).exit_code == 0
    col = Collection(str(profile))
    model = col.models.get(MODEL_ID)
    col.models.add_field(model, col.models.new_field("My notes"))
    col.models.update_dict(model)
    col.close()
    edit_notes(notes)
    before = profile.read_bytes()
    for extra in ([], ["--dry-run"]):
        result = run(notes, profile, "--delete-removed", *extra)
        assert result.exit_code == 3, result.output
        assert "'deckgraph Q&A' was changed in Anki" in result.output and "My notes" in result.output
        assert "Tools → Manage Note Types" in result.output and "Nothing was changed" in result.output
    assert profile.read_bytes() == before
    col = Collection(str(profile))
    try:
        assert [entry.name for entry in col.models.all_names_and_ids()].count("deckgraph Q&A+") == 0
    finally:
        col.close()


def test_the_importers_log_gives_the_counts(notes, tmp_path):
    config = BuildConfig(notes_dir=notes, output_dir=tmp_path / "output")
    build(config)
    col = Collection(str(tmp_path / "fresh.anki2"))
    try:
        log = import_package(col, config.package_path)
        assert len(log.new) == 5 and not log.updated
        again = import_package(col, config.package_path)
        assert not again.new and not again.updated
    finally:
        col.close()


def _two_card_note(profile):
    col = Collection(str(profile))
    try:
        note = col.new_note(col.models.by_name("Basic (and reversed card)"))
        note["Front"], note["Back"] = "What is delta?", "the fourth letter"
        col.add_note(note, col.decks.id("Old Greek"))
        return note.id
    finally:
        col.close()


def test_adopting_never_deletes_the_extra_cards_of_a_note_unless_asked(notes, profile, tmp_path):
    note_id = _two_card_note(profile)
    reviewed, states = study(profile, 2, deck="Old Greek")
    copy = tmp_path / "copy" / "collection.anki2"
    copy.parent.mkdir()
    shutil.copy(profile, copy)

    dry = run(notes, profile, "--adopt", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "1 matching notes have several cards: not adopted" in dry.output
    assert "not adopted  What is delta? (2 cards, in Old Greek)" in dry.output
    result = run(notes, profile, "--adopt")
    assert result.exit_code == 0, result.output
    assert "not adopted  What is delta? (2 cards, in Old Greek)" in result.output
    col = Collection(str(profile))
    try:
        assert card_state(col, reviewed) == states  # both cards, both reviews
        assert col.get_note(note_id).mid != MODEL_ID
    finally:
        col.close()

    asked_dry = run(notes, copy, "--adopt", "--adopt-extra-cards", "--dry-run")
    assert asked_dry.exit_code == 0, asked_dry.output
    assert "1 extra cards of adopted notes would be deleted" in asked_dry.output
    assert (
        "adopted  What is delta? (note" in asked_dry.output and "in Old Greek, 2 cards, by front)" in asked_dry.output
    )
    asked = run(notes, copy, "--adopt", "--adopt-extra-cards")
    assert asked.exit_code == 0, asked.output
    assert "1 adopted" in asked.output and "1 extra cards of adopted notes were deleted" in asked.output
    col = Collection(str(copy))
    try:
        assert col.get_note(note_id).mid == MODEL_ID
        assert questions(col).count("What is delta?") == 1
    finally:
        col.close()


def test_adopt_extra_cards_needs_adopt(notes, profile):
    result = run(notes, profile, "--adopt-extra-cards")
    assert result.exit_code == 2 and "--adopt-extra-cards is for --adopt" in result.output


def test_a_damaged_collection_says_what_to_do(notes, profile, tmp_path):
    assert run(notes, profile).exit_code == 0
    data = profile.read_bytes()
    damaged = tmp_path / "damaged" / "collection.anki2"
    damaged.parent.mkdir()
    for broken in (data[:8192] + b"\xff" * 8192 + data[16384:], data[: len(data) // 2]):
        damaged.write_bytes(broken)
        result = run(notes, damaged)  # catch_exceptions=False: a traceback fails the test
        assert result.exit_code == 3, result.output
        assert "is damaged" in result.output and "Check Database" in result.output, result.output
        assert "DbError" not in result.output


def test_a_folder_given_as_the_collection_says_so(notes, tmp_path):
    (notes / "deckgraph.toml").write_text('[sync]\ncollection = "../somedir"\n', encoding="utf-8")
    (tmp_path / "somedir").mkdir()
    result = CliRunner().invoke(
        main,
        ["sync", str(notes), "-o", str(tmp_path / "output"), "--server", "http://127.0.0.1:1/", "--user", "x"],
        env={"DECKGRAPH_SYNC_PASSWORD": "p"},
        catch_exceptions=False,
    )
    assert result.exit_code == 3, result.output
    assert "is a folder" in result.output and "DbError" not in result.output


def test_a_backup_that_cannot_be_made_changes_nothing_and_says_what_to_do(notes, profile):
    (profile.parent / "backups").write_text("not a folder")
    result = run(notes, profile)
    assert result.exit_code == 3, result.output
    assert "cannot make a backup in" in result.output and "can be written" in result.output
    assert "Nothing was changed" in result.output
    col = Collection(str(profile))
    try:
        assert questions(col) == [FOREIGN]
    finally:
        col.close()


def test_backups_within_one_second_never_overwrite_each_other(profile):
    while time.time() % 1 > 0.3:  # both backups in the same second
        time.sleep(0.02)
    made = []
    for front in ("one", "two"):
        with CollectionSession(profile) as session:
            session.before_change()
            col = session.collection
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"] = front
            col.add_note(note, col.decks.id("Default"))
            made.append(session.backup)
    backups = sorted((profile.parent / "backups").glob("*.colpkg"))
    assert len(backups) == 2 and sorted(made) == backups


def test_the_password_is_not_in_the_requests_repr(notes, tmp_path):
    request = SyncRequest(
        BuildConfig(notes_dir=notes, output_dir=tmp_path), tmp_path / "c.anki2", password="s3cret horse"
    )
    assert "s3cret horse" not in repr(request)


def test_no_answer_at_the_password_prompt_exits_with_the_documented_code(notes, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = CliRunner().invoke(
        main,
        ["sync", str(notes), "-o", str(tmp_path / "output"), "--server", "http://127.0.0.1:1/", "--user", "x"],
        env={"DECKGRAPH_SYNC_PASSWORD": ""},
        input="",
    )
    assert result.exit_code == 130 and "interrupted" in result.output
    assert "130  interrupted" in CliRunner().invoke(main, ["sync", "--help"]).output


def test_a_server_address_without_http_is_a_usage_problem(notes, tmp_path):
    for url in ("127.0.0.1:8080", "not a url", "ftp://127.0.0.1/"):
        result = CliRunner().invoke(
            main,
            ["sync", str(notes), "-o", str(tmp_path / "output"), "--server", url, "--user", "x"],
            env={"DECKGRAPH_SYNC_PASSWORD": "p"},
        )
        assert result.exit_code == 2, result.output
        assert "http://" in result.output


@contextmanager
def immutable(path):
    """The file or folder cannot be changed, even by root (chattr +i), while in the block."""
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_collection_that_cannot_be_written_says_check_the_permissions(notes, profile):
    assert run(notes, profile).exit_code == 0
    edit_notes(notes)
    for locked in (profile, profile.parent):
        with immutable(locked):
            result = run(notes, profile)  # catch_exceptions=False: a traceback fails the test
        assert result.exit_code == 3, result.output
        assert "cannot write" in result.output and "check the permissions" in result.output
        assert "DbError" not in result.output
    with immutable(profile.parent / "backups"):
        result = run(notes, profile)
    assert result.exit_code == 3, result.output
    assert "cannot make a backup in" in result.output and "Nothing was changed" in result.output


def test_questions_merged_into_another_card_are_the_lockfiles_and_removable(tmp_path, profile):
    """--merge-duplicates hides a question behind the card it merged into: the lockfile still knows
    it, so it is tagged (and deleted when asked), not reported as another folder's."""
    notes = tmp_path / "merging"
    notes.mkdir()
    (notes / "one.md").write_text("# One\n\n## What is DPO?\n\nDPO tunes a model on preference pairs.\n")
    (notes / "two.md").write_text("# Two\n\n## What is Direct Preference Optimization (DPO)?\n\nA preference loss.\n")
    assert run(notes, profile, "--no-acronym-cards").exit_code == 0
    merged = run(notes, profile, "--no-acronym-cards", "--merge-duplicates")
    assert merged.exit_code == 0, merged.output
    assert "1 removed" in merged.output and "not from these notes" not in merged.output
    deleted = run(notes, profile, "--no-acronym-cards", "--merge-duplicates", "--delete-removed")
    assert deleted.exit_code == 0 and "1 deleted" in deleted.output, deleted.output
    col = Collection(str(profile))
    try:
        assert len(questions(col)) == 2  # FOREIGN and the merged card
    finally:
        col.close()


def test_prune_forgets_acronym_cards_whose_acronym_left(tmp_path):
    notes = tmp_path / "acronyms"
    notes.mkdir()
    page = notes / "tuning.md"
    page.write_text("# Tuning\n\n## What is LoRA?\n\nLow-Rank Adaptation (LoRA) trains small matrices.\n")
    build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "output"))
    page.write_text("# Tuning\n\n## What is LoRA?\n\nIt trains small low-rank matrices.\n")
    build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "output"))
    (stamp,) = load_lockfile(notes).generated.values()
    assert stamp["removed_at"]  # kept, so that a sync knows the note as this folder's
    result = CliRunner().invoke(main, ["prune", str(notes)])
    assert result.exit_code == 0 and "Forgot 1 acronym card(s)" in result.output, result.output
    assert not load_lockfile(notes).generated
