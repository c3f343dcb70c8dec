"""A session with an Anki sync server (Anki's own `python -m anki.syncserver`, or any server Anki
desktop, AnkiDroid and AnkiMobile sync with): log in, fetch what the server holds, send what the
build changed, media included.

Reviews made on a phone are never lost: deckgraph's own copy may be replaced by the server's (it is
rebuilt from the notes), but the server's collection is replaced (a full upload) only when it holds
no cards, or when the user asked with --force-upload."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from anki.collection import Collection
from anki.errors import BackendError, NetworkError, SyncError, SyncErrorKind
from anki.sync import SyncAuth, SyncOutput

from generator.sync.problems import ServerProblem, SyncConflict
from generator.sync.progress import with_progress
from generator.sync.session import database

T = TypeVar("T")
POLL_SECONDS = 0.2

NO_CHANGES, NORMAL_SYNC = SyncOutput.NO_CHANGES, SyncOutput.NORMAL_SYNC
FULL_SYNC, FULL_DOWNLOAD, FULL_UPLOAD = SyncOutput.FULL_SYNC, SyncOutput.FULL_DOWNLOAD, SyncOutput.FULL_UPLOAD


class ServerSession:
    def __init__(
        self, col: Collection, url: str, user: str, password: str, progress: Callable[[str], None] = lambda _: None
    ) -> None:
        self.col = col
        self.url = url if url.endswith("/") else url + "/"
        self.user = user
        self.password = password
        self.progress = progress
        self.auth: SyncAuth | None = None

    def login(self) -> None:
        with self._talking():
            self.auth = self._run(lambda: self.col.sync_login(self.user, self.password, self.url))

    def pull(self, before_change: Callable[[], None]) -> str:
        """Bring deckgraph's copy up to date with the server, before the build is applied."""
        out = self._sync(media=False)
        if out.required in (NO_CHANGES, NORMAL_SYNC):
            return "fetched the server's changes"
        if out.required == FULL_UPLOAD:
            return "the server's collection holds no cards yet"
        before_change()
        self._full(upload=False, out=out)
        return "downloaded the server's collection (deckgraph's own copy; it is rebuilt from your notes)"

    def pending_changes(self) -> int:
        """Notes, cards and deletions not yet sent."""
        db = database(self.col)
        return sum(db.scalar(f"SELECT count() FROM {table} WHERE usn = -1") for table in ("notes", "cards", "graves"))

    def push(self, force_upload: bool) -> str:
        """Send what the build changed (and media). A full upload only when the server has no cards,
        or with --force-upload."""
        pending = self.pending_changes()
        out = self._sync(media=True)
        if out.required in (NO_CHANGES, NORMAL_SYNC):
            self._wait_for_media()
            sent = f"sent {pending} changed notes, cards and deletions" if pending else "nothing to send"
            return _with_message(f"normal sync: {sent}", out)
        if out.required == FULL_UPLOAD or (out.required == FULL_SYNC and force_upload):
            self._full(upload=True, out=out)
            why = "the server held no cards" if out.required == FULL_UPLOAD else "--force-upload"
            return _with_message(f"full upload ({why}): the server now holds deckgraph's collection", out)
        if out.required == FULL_SYNC:
            raise SyncConflict(
                "these changes can only reach the server by replacing its collection (a full upload), "
                "because a note type changed (adopting notes does that): reviews made on other devices "
                "since their last sync would be lost. Sync every phone and computer first, then run "
                "deckgraph sync again with --force-upload (those devices then download once). Nothing "
                "was sent; the server is unchanged."
            )
        raise SyncConflict(
            "deckgraph's copy holds no cards but the server's does: nothing was sent. Check that the "
            "notes folder is the right one."
        )

    def _sync(self, media: bool) -> SyncOutput:
        with self._talking():
            out = self._run(lambda: self.col.sync_collection(self._auth, media))
        if out.new_endpoint:
            self._auth.endpoint = out.new_endpoint
        return out

    @property
    def _auth(self) -> SyncAuth:
        if self.auth is None:
            raise RuntimeError("log in first")
        return self.auth

    def _full(self, upload: bool, out: SyncOutput) -> None:
        self.col.close_for_full_sync()
        try:
            with self._talking():
                self._run(
                    lambda: self.col.full_upload_or_download(
                        auth=self._auth, server_usn=out.server_media_usn, upload=upload
                    )
                )
        finally:
            self.col.reopen(after_full_sync=True)
        with self._talking():
            self._run(lambda: self.col.sync_media(self._auth))
        self._wait_for_media()

    def _wait_for_media(self) -> None:
        with self._talking():
            while True:
                status = self.col.media_sync_status()
                if not status.active:
                    return
                counts = status.progress
                self.progress(f"media: {counts.checked} {counts.added} {counts.removed}".strip())
                time.sleep(POLL_SECONDS)

    def _run(self, call: Callable[[], T]) -> T:
        return with_progress(self.col, call, self.progress)

    @contextmanager
    def _talking(self) -> Iterator[None]:
        try:
            yield
        except SyncError as error:
            if error.kind == SyncErrorKind.AUTH:
                raise ServerProblem(
                    f"the server at {self.url} refused the login for {self.user!r}: check the user name and "
                    "the password (DECKGRAPH_SYNC_PASSWORD, or the prompt)"
                ) from None
            raise ServerProblem(
                f"the server at {self.url} answered: {error}. If it says a version is too old or too new, "
                "upgrade the older side (pip install -U anki, for deckgraph and for the server)"
            ) from None
        except NetworkError:
            raise ServerProblem(
                f"cannot reach the sync server at {self.url}: check the address and that the server is running "
                "(start one with: SYNC_USER1=user:password python -m anki.syncserver)"
            ) from None
        except BackendError as error:
            raise ServerProblem(f"the sync with {self.url} failed: {error}; nothing more was sent") from None


def _with_message(text: str, out: SyncOutput) -> str:
    return f"{text}; the server says: {out.server_message}" if out.server_message else text
