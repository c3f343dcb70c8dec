"""deckgraph sync --server against Anki's real sync server, with a second device standing in for a
phone: reviews made on the phone survive every edit, and the phone never needs a full sync."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from anki._backend import RustBackend
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.sync import SyncOutput
from click.testing import CliRunner
from sample_notes import edit_notes, write_first_notes
from syncing import PASSWORD, USER, Account, Device, SyncServer, card_state, deck_of, free_port, questions

from generator.commands.cli import main
from generator.export.apkg import MODEL_ID
from generator.export.stamps import REMOVED_TAG
from generator.identity.lockfile import load_lockfile

NORMAL = (SyncOutput.NO_CHANGES, SyncOutput.NORMAL_SYNC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sync_server(tmp_path_factory):
    """One sync server for the module, with a user for each test that syncs."""
    running = SyncServer(tmp_path_factory.mktemp("server"), users=40)
    yield running
    running.stop()


@pytest.fixture
def server(sync_server):
    return sync_server.account()


@pytest.fixture
def notes(tmp_path):
    return write_first_notes(tmp_path / "notes")


def deckgraph_sync(notes, output, server, *extra, password=PASSWORD):
    """`deckgraph sync --server` as the test's own user (`server`: an Account, or a URL for USER)."""
    account = server if isinstance(server, Account) else Account(server, USER)
    env = {"DECKGRAPH_SYNC_PASSWORD": password} if password else {"DECKGRAPH_SYNC_PASSWORD": ""}
    args = ["sync", str(notes), "-o", str(output), "--server", account.url, "--user", account.user, *extra]
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def test_phone_keeps_reviews_and_gets_every_edit_without_a_full_sync(server, notes, tmp_path):
    output = tmp_path / "output"
    first = deckgraph_sync(notes, output, server)
    assert first.exit_code == 0, first.output
    assert "5 added" in first.output and "full upload (the server held no cards)" in first.output

    phone = Device(tmp_path / "phone" / "collection.anki2", server)
    phone.sync()  # a new phone downloads once
    assert len(questions(phone.col)) == 5
    assert (phone.media_folder / _media_name(phone.col, "pic.png")).read_bytes()
    reviewed = phone.review(2)
    assert phone.sync() in NORMAL
    before = card_state(phone.col, reviewed)
    assert all(revlog == 1 for _state, revlog in before.values())

    edit_notes(notes)
    second = deckgraph_sync(notes, output, server, "--delete-removed")
    assert second.exit_code == 0, second.output
    assert "Server: fetched the server's changes" in second.output
    assert "Server: normal sync: sent" in second.output
    assert "2 added, 3 updated, 1 moved, 1 removed, 1 deleted" in second.output, second.output
    assert "new cards repositioned" in second.output and " 0 new cards repositioned" not in second.output

    assert phone.sync() in NORMAL
    assert phone.syncs[1:] == [s for s in phone.syncs[1:] if s in NORMAL], "the phone needed a full sync"
    col = phone.col
    assert questions(col) == [
        "What exactly is alpha?",
        "What is beta?",
        "What is delta?",
        "What is eta?",
        "What is gamma?",
        "What is zeta?",
    ]  # reworded, added, deleted: no duplicate
    assert card_state(col, reviewed) == before  # reviews kept, on the same cards
    assert deck_of(col, "What is gamma?") == "Interview Notes::Bravo"
    assert not col.find_notes(f"tag:{REMOVED_TAG}")
    assert (phone.media_folder / _media_name(col, "chart.png")).exists()
    # every new card sits at the position the package gives it
    package = Collection(str(tmp_path / "imported.anki2"))
    package.import_anki_package(ImportAnkiPackageRequest(package_path=str(output / "interview-notes.apkg")))
    expected = dict(package.db.all("SELECT n.guid, c.due FROM cards c JOIN notes n ON n.id = c.nid"))
    package.close()
    for guid, kind, due in col.db.all("SELECT n.guid, c.type, c.due FROM cards c JOIN notes n ON n.id = c.nid"):
        if kind == 0:
            assert due == expected[guid]
    # the lockfile forgot the deleted card: prune has nothing left to do
    assert not any(entry.removed for entry in load_lockfile(notes).entries.values())
    assert "No removed cards to forget" in CliRunner().invoke(main, ["prune", str(notes)]).output

    # a phone review after that, then a sync with nothing changed: still only normal syncs
    phone.review(1)
    assert phone.sync() in NORMAL
    third = deckgraph_sync(notes, output, server)
    assert third.exit_code == 0, third.output
    assert "0 added, 0 updated, 0 moved, 0 removed, 0 deleted" in third.output
    assert phone.sync() in NORMAL
    assert col.db.scalar("SELECT count() FROM revlog") == 3
    phone.close()


def test_removed_notes_stay_tagged_without_delete_removed(server, notes, tmp_path):
    output = tmp_path / "output"
    assert deckgraph_sync(notes, output, server).exit_code == 0
    edit_notes(notes)
    result = deckgraph_sync(notes, output, server)
    assert result.exit_code == 0, result.output
    assert "1 notes removed from your notes stay tagged deckgraph::removed" in result.output
    phone = Device(tmp_path / "phone.anki2", server)
    phone.sync()
    assert len(phone.col.find_notes(f"tag:{REMOVED_TAG}")) == 1
    assert any(entry.removed for entry in load_lockfile(notes).entries.values())
    phone.close()


def test_dry_run_shows_counts_and_sends_nothing(server, notes, tmp_path):
    output = tmp_path / "output"
    assert deckgraph_sync(notes, output, server).exit_code == 0
    phone = Device(tmp_path / "phone.anki2", server)
    phone.sync()
    edit_notes(notes)
    result = deckgraph_sync(notes, output, server, "--dry-run", "--delete-removed")
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing changed." in result.output
    assert "2 added, 3 updated, 1 moved, 1 removed, 1 deleted" in result.output
    assert phone.sync() in NORMAL
    assert len(questions(phone.col)) == 5 and "What is epsilon?" in questions(phone.col)
    phone.close()


def test_wrong_password_says_what_to_do(server, notes, tmp_path):
    result = deckgraph_sync(notes, tmp_path / "output", server, password="wrong")
    assert result.exit_code == 4
    assert "refused the login" in result.output and "DECKGRAPH_SYNC_PASSWORD" in result.output
    assert "Traceback" not in result.output


def test_server_down_says_what_to_do(notes, tmp_path):
    result = deckgraph_sync(notes, tmp_path / "output", f"http://127.0.0.1:{free_port()}/")
    assert result.exit_code == 4
    assert "cannot reach the sync server" in result.output and "python -m anki.syncserver" in result.output


def test_password_never_on_the_command_line(notes, tmp_path):
    result = deckgraph_sync(notes, tmp_path / "output", "http://127.0.0.1:1/", password="")
    assert result.exit_code == 2 and "DECKGRAPH_SYNC_PASSWORD" in result.output
    assert "--password" not in CliRunner().invoke(main, ["sync", "--help"]).output


def test_password_is_never_written_to_disk(server, notes, tmp_path):
    assert deckgraph_sync(notes, tmp_path / "output", server).exit_code == 0
    for path in list(tmp_path.rglob("*")):
        if path.is_file() and "server" not in path.parts:
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_adopting_through_a_server_needs_force_upload(server, notes, tmp_path):
    """Adoption changes note types, which only a full upload carries: refused, then done when asked."""
    phone = Device(tmp_path / "phone.anki2", server)
    basic = phone.col.models.by_name("Basic")
    note = phone.col.new_note(basic)
    note["Front"], note["Back"] = "What is delta?", "the fourth letter"
    phone.col.add_note(note, phone.col.decks.id("Greek"))
    phone.sync()  # uploads the phone's collection: the server now holds a foreign note
    phone.col.close_for_full_sync()
    phone.col.full_upload_or_download(auth=phone.auth, server_usn=0, upload=True)
    phone.col.reopen(after_full_sync=True)
    reviewed = phone.review(1, deck="Greek")
    assert phone.sync() in NORMAL

    output = tmp_path / "output"
    refused = deckgraph_sync(notes, output, server, "--adopt")
    assert refused.exit_code == 5 and "--force-upload" in refused.output and "Nothing was changed" in refused.output
    done = deckgraph_sync(notes, output, server, "--adopt", "--force-upload")
    assert done.exit_code == 0, done.output
    assert "1 adopted" in done.output and "full upload (--force-upload)" in done.output
    assert phone.sync() == SyncOutput.FULL_SYNC  # told in advance: the phone downloads once
    col = phone.col
    assert questions(col).count("What is delta?") == 1
    adopted = col.get_note(note.id)
    assert adopted.mid == MODEL_ID and col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", reviewed[0]) == 1
    phone.close()


def _media_name(col, name: str) -> str:
    """The name the build gave an image (it is made unique by its bytes)."""
    found = [entry for entry in col.db.list("SELECT flds FROM notes") if name in entry]
    assert found, name
    text = found[0]
    start = text.index('src="') + 5
    return text[start : text.index('"', start)]


def test_server_user_and_device_collection_can_live_in_deckgraph_toml(server, notes, tmp_path):
    (notes / "deckgraph.toml").write_text(
        f'[sync]\nserver = "{server.url}"\nuser = "{server.user}"\ncollection = "../devices/deckgraph.anki2"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["sync", str(notes), "-o", str(tmp_path / "output")], env={"DECKGRAPH_SYNC_PASSWORD": PASSWORD}
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "devices" / "deckgraph.anki2").is_file()
    assert not (tmp_path / "output" / "anki-device").exists()


def test_reviews_the_phone_has_not_synced_yet_survive_a_deckgraph_sync(server, notes, tmp_path):
    output = tmp_path / "output"
    assert deckgraph_sync(notes, output, server).exit_code == 0
    phone = Device(tmp_path / "phone.anki2", server)
    phone.sync()
    time.sleep(2)  # a review comes seconds after the last sync, as on a real phone (card times are whole seconds)
    reviewed = phone.review(2)  # offline: not synced yet
    before = card_state(phone.col, reviewed)
    edit_notes(notes)
    assert deckgraph_sync(notes, output, server, "--delete-removed").exit_code == 0
    assert phone.sync() in NORMAL  # the phone's reviews and deckgraph's edits merge
    assert card_state(phone.col, reviewed) == before
    assert "What exactly is alpha?" in questions(phone.col) and "What is epsilon?" not in questions(phone.col)
    other = Device(tmp_path / "tablet.anki2", server)
    other.sync()
    assert card_state(other.col, reviewed) == before  # and reached the server
    other.close()
    phone.close()


def test_a_server_that_already_holds_a_phones_collection_gets_the_cards_by_a_normal_sync(server, notes, tmp_path):
    phone = Device(tmp_path / "phone.anki2", server)
    note = phone.col.new_note(phone.col.models.by_name("Basic"))
    note["Front"], note["Back"] = "Capital of France?", "Paris"
    phone.col.add_note(note, phone.col.decks.id("Geography"))
    phone.col.close_for_full_sync()
    phone.col.full_upload_or_download(auth=phone.auth, server_usn=0, upload=True)
    phone.col.reopen(after_full_sync=True)
    result = deckgraph_sync(notes, tmp_path / "output", server)
    assert result.exit_code == 0, result.output
    assert "Server: downloaded the server's collection" in result.output
    assert "Server: normal sync" in result.output
    assert phone.sync() in NORMAL
    assert len(questions(phone.col)) == 6 and "Capital of France?" in questions(phone.col)
    phone.close()
    # the backup is of the collection the build was applied to: the server's, after the download
    backups = list((tmp_path / "output" / "anki-device" / "backups").glob("*.colpkg"))
    assert len(backups) == 1 and f"Backup: {backups[0]}" in result.output
    RustBackend().import_collection_package(
        col_path=str(tmp_path / "restored.anki2"),
        backup_path=str(backups[0]),
        media_folder=str(tmp_path / "restored.media"),
        media_db=str(tmp_path / "restored.mdb"),
    )
    restored = Collection(str(tmp_path / "restored.anki2"))
    assert questions(restored) == ["Capital of France?"]
    restored.close()


def test_an_address_that_is_not_an_anki_sync_server_says_so(notes, tmp_path):
    web = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(free_port()), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        port = int(web.stdout.readline().decode().split("port ")[1].split()[0])
        result = deckgraph_sync(notes, tmp_path / "output", f"http://127.0.0.1:{port}/")
    finally:
        web.terminate()
        web.wait(10)
        web.stdout.close()
    assert result.exit_code == 4, result.output
    assert "not an Anki sync server" in result.output


def test_ctrl_c_asks_anki_to_stop_and_exits_130(notes, tmp_path):
    """A server that accepts the connection and never answers: Ctrl-C ends the run at once."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    env = dict(os.environ, DECKGRAPH_SYNC_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    command = [sys.executable, "-c", "from generator.commands.cli import main; main()"]
    args = ["sync", str(notes), "-o", str(tmp_path / "output"), "--server", url, "--user", USER]
    # The child starts with Ctrl-C at its default, as from a terminal: a disposition the test process
    # inherited or was given by a library (ignored) would carry over, and Python then never raises it.
    child = subprocess.Popen(
        command + args,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    inherited = signal.getsignal(signal.SIGINT)
    try:
        deadline = time.monotonic() + 60
        while not accepted and time.monotonic() < deadline:
            time.sleep(0.05)
        assert accepted, "deckgraph never connected"
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        output = child.communicate(timeout=15)[0].decode()
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
        for connection, _address in accepted:
            connection.close()
        listener.close()
    assert child.returncode == 130, (output, inherited)
    assert "interrupted" in output and "Traceback" not in output
