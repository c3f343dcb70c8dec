"""Real Anki parts for the sync tests: Anki's own sync server (`python -m anki.syncserver`) on
127.0.0.1 with a free port and a temporary SYNC_BASE, and devices (Anki collections) that sync with
it and review cards the way a phone does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from anki.cards import Card
from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer
from anki.sync import SyncOutput

USER, PASSWORD = "student", "correct horse"
ROOT_DECK = "Interview Notes"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SyncServer:
    """Anki's sync server in a child process; `stop()` ends it (and only it)."""

    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(
            os.environ,
            SYNC_USER1=f"{USER}:{PASSWORD}",
            SYNC_BASE=str(base),
            SYNC_HOST="127.0.0.1",
            SYNC_PORT=str(self.port),
            RUST_LOG="error",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "anki.syncserver"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 20
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the sync server exited: {self.process.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the sync server did not start within 20 s") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


class Device:
    """A second Anki collection standing in for a phone (AnkiDroid and AnkiMobile sync the same way)."""

    def __init__(self, path: Path, url: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.col = Collection(str(path))
        self.media_folder = Path(self.col.media.dir())
        self.auth = self.col.sync_login(USER, PASSWORD, url)
        self.syncs: list[int] = []
        """What each sync needed (SyncOutput.ChangesRequired), in order."""

    def sync(self) -> int:
        out = self.col.sync_collection(self.auth, True)
        self.syncs.append(out.required)
        if out.required in (SyncOutput.FULL_DOWNLOAD, SyncOutput.FULL_SYNC):
            self.col.close_for_full_sync()
            self.col.full_upload_or_download(auth=self.auth, server_usn=out.server_media_usn, upload=False)
            self.col.reopen(after_full_sync=True)
            self.col.sync_media(self.auth)
        while self.col.media_sync_status().active:
            time.sleep(0.05)
        return out.required

    def review(self, count: int, deck: str = ROOT_DECK) -> list[int]:
        """Study `count` cards (answer Good), as on the phone; returns their card IDs."""
        self.col.decks.select(self.col.decks.id_for_name(deck))
        reviewed = []
        for _ in range(count):
            queued = self.col.sched.get_queued_cards(fetch_limit=1).cards[0]
            card = Card(self.col, backend_card=queued.card)
            card.start_timer()
            self.col.sched.answer_card(
                self.col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD)
            )
            reviewed.append(card.id)
        return reviewed

    def close(self) -> None:
        self.col.close()


def questions(col: Collection) -> list[str]:
    """The first field of every note, sorted (a duplicate shows twice)."""
    return sorted(col.db.list("SELECT sfld FROM notes"))


def card_state(col: Collection, card_ids: list[int]) -> dict[int, tuple]:
    """What a review leaves on a card: type, queue, interval, reps, and its review log."""
    return {
        cid: (
            tuple(col.db.first("SELECT type, queue, ivl, reps FROM cards WHERE id = ?", cid) or ()),
            col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", cid),
        )
        for cid in card_ids
    }


def deck_of(col: Collection, question: str) -> str:
    did = col.db.scalar("SELECT c.did FROM cards c JOIN notes n ON n.id = c.nid WHERE n.sfld = ?", question)
    return col.decks.name(did)
