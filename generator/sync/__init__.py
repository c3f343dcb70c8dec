"""The sync stage: the build applied straight to an Anki collection, and carried to every device
through an Anki sync server.

It owns the collection session (refused while Anki has the collection open, backed up before the
first change: session), reading back the built package (package), comparing it with the collection
(plan), applying it with Anki's own importer plus what an import cannot do (apply), deleting
removed notes and forgetting them in the lockfile (removals), taking over notes other tools made
(adopt), the sync server session (server), Anki's progress during long calls (progress), the
failures and their exit codes (problems), and one run of `deckgraph sync` end to end (run).
It only ever changes notes of deckgraph's own note types (and, with --adopt, the notes it adopts).
"""

from generator.sync.problems import (
    EXIT_COLLECTION,
    EXIT_CONFLICT,
    EXIT_NOTE_ERRORS,
    EXIT_SERVER,
    EXIT_USAGE,
    CollectionProblem,
    ServerProblem,
    SyncConflict,
)
from generator.sync.run import DEVICE_COLLECTION, SyncReport, SyncRequest, sync

__all__ = [
    "DEVICE_COLLECTION",
    "EXIT_COLLECTION",
    "EXIT_CONFLICT",
    "EXIT_NOTE_ERRORS",
    "EXIT_SERVER",
    "EXIT_USAGE",
    "CollectionProblem",
    "ServerProblem",
    "SyncConflict",
    "SyncReport",
    "SyncRequest",
    "sync",
]
