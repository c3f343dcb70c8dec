"""One run's hold on a collection file: opened only when nobody else has it, backed up once before
the first change, closed at the end."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from anki.collection import Collection
from anki.dbproxy import DBProxy
from anki.errors import BackendIOError, DBError

from generator.errors import UsageProblem
from generator.sync.problems import CollectionProblem

BACKUP_FOLDER = "backups"
"""Beside the collection, as in an Anki profile: Anki's own "Open Backup…" lists them."""


class CollectionSession:
    """`with CollectionSession(path) as session:` … `session.before_change()` before each write."""

    def __init__(self, path: Path, create: bool = False) -> None:
        self.path = path
        self.create = create
        self.backup_folder = path.parent / BACKUP_FOLDER
        self.backup: Path | None = None
        self._backed_up = False
        self.col: Collection | None = None

    def __enter__(self) -> CollectionSession:
        self.col = open_collection(self.path, self.create)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def collection(self) -> Collection:
        if self.col is None:
            raise RuntimeError("the collection is not open")
        return self.col

    def before_change(self) -> None:
        """A backup of the collection as it was, made once per run (Anki's own .colpkg backup)."""
        if self._backed_up:
            return
        try:
            self.backup_folder.mkdir(parents=True, exist_ok=True)
            # made in a folder of its own, then given a name no other backup has: two runs within
            # one second never overwrite each other's backup, and only this run's is reported
            with tempfile.TemporaryDirectory(prefix=".deckgraph-backup-", dir=self.backup_folder) as folder:
                self.collection.create_backup(backup_folder=folder, force=True, wait_for_completion=True)
                made = sorted(Path(folder).glob("*.colpkg"))
                if made:
                    self.backup = made[-1].rename(_unused_name(self.backup_folder))
        except (OSError, BackendIOError) as error:
            raise CollectionProblem(
                f"cannot make a backup in {self.backup_folder} ({_reason(error)}): check that this folder "
                "(beside the collection) can be written, then run deckgraph sync again. Nothing was changed."
            ) from None
        self._backed_up = True

    def close(self) -> None:
        if self.col is not None:
            self.col.close()
            self.col = None


def open_collection(path: Path, create: bool = False) -> Collection:
    """The collection at `path`, refusing with a message that says what to do when it cannot be used."""
    if not create and not path.is_file():
        raise UsageProblem(
            f"no Anki collection at {path}: give the collection.anki2 of your Anki profile "
            "(Anki: Tools → Preferences shows the profile folder)"
        )
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise CollectionProblem(_explain(path, ""))
    try:
        return Collection(str(path))
    except (DBError, BackendIOError) as error:
        raise CollectionProblem(_explain(path, str(error))) from None


@contextmanager
def collection_errors(path: Path) -> Iterator[None]:
    """Anki's database and file errors while the collection is used, as a CollectionProblem that
    says what to do (never a traceback or the backend's raw text)."""
    try:
        yield
    except (DBError, BackendIOError) as error:
        raise CollectionProblem(_explain(path, str(error))) from None


def _explain(path: Path, message: str) -> str:
    if path.is_dir():
        return f"{path} is a folder: give the collection.anki2 file inside your Anki profile folder"
    if "already open" in message:
        return (
            f"{path} is open in Anki (or another program): close Anki (or switch to another profile), "
            "then run deckgraph sync again"
        )
    if "FileTooNew" in message:
        return (
            f"{path} was saved by a newer Anki than the one deckgraph uses: upgrade it "
            "(pip install -U anki) and run deckgraph sync again"
        )
    if "NotADatabase" in message or "not a database" in message:
        return f"{path} is not an Anki collection: give the collection.anki2 of your Anki profile"
    if "DatabaseCorrupt" in message or "malformed" in message:
        return (
            f"{path} is damaged: open it in Anki and run Tools → Check Database, or restore it from a "
            f"backup in {path.parent / BACKUP_FOLDER} (Anki: File → Switch Profile → Open Backup…)"
        )
    if any(sign in message for sign in ("ReadOnly", "readonly", "CannotOpen", "ermission", "SystemIoFailure")):
        return (
            f"cannot write {path} ({_short(message)}): check the permissions of the file and of its folder "
            f"({path.parent}), and that the disk is neither full nor read-only, then run deckgraph sync again"
        )
    return (
        f"cannot use {path} ({_short(message)}): close Anki, open the collection in Anki and run Tools → "
        f"Check Database, or restore it from a backup in {path.parent / BACKUP_FOLDER}"
    )


def database(col: Collection) -> DBProxy:
    """The open collection's database (reads, and the few writes Anki has no call for)."""
    if col.db is None:
        raise RuntimeError("the collection is closed")
    return col.db


def _unused_name(folder: Path) -> Path:
    """backup-YYYY-MM-DD-HH.MM.SS.colpkg as Anki names them, with -2, -3 … when that name is taken."""
    stem = time.strftime("backup-%Y-%m-%d-%H.%M.%S")
    path, number = folder / f"{stem}.colpkg", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}.colpkg"
    return path


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return _short(str(error))


def _short(message: str) -> str:
    """The backend's own words from a message such as `DbError { info: "…", kind: Other }`."""
    inner = message.split('Some(\\"', 1)[-1] if 'Some(\\"' in message else message
    return inner.split('\\")', 1)[0][:200]
