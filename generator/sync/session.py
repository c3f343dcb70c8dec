"""One run's hold on a collection file: opened only when nobody else has it, backed up once before
the first change, closed at the end."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from anki.collection import Collection
from anki.dbproxy import DBProxy
from anki.errors import DBError

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
        self.backup_folder.mkdir(parents=True, exist_ok=True)
        before = set(self.backup_folder.iterdir())
        self.collection.create_backup(backup_folder=str(self.backup_folder), force=True, wait_for_completion=True)
        made = sorted(set(self.backup_folder.iterdir()) - before)
        self.backup = made[-1] if made else _newest(self.backup_folder)
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
    try:
        return Collection(str(path))
    except DBError as error:
        raise CollectionProblem(_explain(path, str(error))) from None


def _explain(path: Path, message: str) -> str:
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
    return f"cannot open {path}: {message}"


def database(col: Collection) -> DBProxy:
    """The open collection's database (reads, and the few writes Anki has no call for)."""
    if col.db is None:
        raise RuntimeError("the collection is closed")
    return col.db


def _newest(folder: Path) -> Path | None:
    files = sorted(folder.glob("*.colpkg"), key=lambda path: path.stat().st_mtime)
    return files[-1] if files else None
