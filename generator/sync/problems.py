"""The ways a sync fails, each with the exit code `deckgraph sync` documents and a message that says
what to do. They derive from generator.errors, so the CLI prints them without a traceback."""

from __future__ import annotations

from generator.errors import DeckgraphError

EXIT_NOTE_ERRORS = 1
"""A note file has an error: nothing is synced (a file that cannot be read would look removed)."""
EXIT_USAGE = 2
"""Bad invocation: no notes, no collection at the path, no password."""
EXIT_COLLECTION = 3
"""The collection is open in Anki, was made by a newer Anki, or is not a collection."""
EXIT_SERVER = 4
"""The server cannot be reached, refused the login, or answered with an error."""
EXIT_CONFLICT = 5
"""Only a full upload would send the changes, and it would replace the server's collection."""


class CollectionProblem(DeckgraphError):
    """The collection file cannot be used now."""

    exit_code = EXIT_COLLECTION


class ServerProblem(DeckgraphError):
    """The sync server cannot be reached, refused the login, or failed."""

    exit_code = EXIT_SERVER


class SyncConflict(DeckgraphError):
    """The server's collection and deckgraph's changes cannot be merged by a normal sync."""

    exit_code = EXIT_CONFLICT
