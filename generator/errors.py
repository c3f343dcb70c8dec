"""Errors the CLI turns into a clean message and an exit code, never a traceback."""

from __future__ import annotations

import click


class DeckgraphError(click.ClickException):
    """A failure the user can act on; `exit_code` follows the CLI's conventions."""

    exit_code = 1


class UsageProblem(DeckgraphError):
    """Bad invocation: a notes folder that does not exist or holds no notes."""

    exit_code = 2


class NoteError(DeckgraphError):
    """A problem in one note file, reported as `file:line: message`."""

    def __init__(self, location: object, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
