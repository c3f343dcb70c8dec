"""One note file through the per-file stages: read, check its markup, parse it into cards, tag them.
Whatever goes wrong is a diagnostic naming the file: one broken file never stops the others."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from generator.model import Diagnostic, Skipped, SourceLocation
from generator.parse import ParsedFile, parse_source
from generator.parse.balance import unclosed_markup
from generator.parse.tagging import with_source_tags
from generator.sources.files import read_source

SKIP_WARNINGS = {"question without an answer": "unanswered", "heading without a body": "empty-section"}
"""Skipped blocks that are almost surely unfinished notes, not deliberate prose: reported as warnings."""


def parse_file(path: Path, notes_dir: Path, md: MarkdownIt) -> tuple[ParsedFile | None, list[Diagnostic]]:
    """One file's cards (None for a file with no text, or one that cannot be read) and its diagnostics."""
    relative = path.relative_to(notes_dir).as_posix()
    diagnostics: list[Diagnostic] = []
    try:
        source = read_source(path, notes_dir)
        diagnostics.extend(source.diagnostics)
        if not source.text:
            return None, diagnostics
        diagnostics.extend(unclosed_markup(source.text, source.path))
        parsed = parse_source(source, md, notes_dir)
        parsed.cards = with_source_tags(parsed.cards)
        return parsed, diagnostics
    except OSError as err:
        message = f"cannot read the file ({err.strerror or err}); skipped"
        code = "unreadable"
    except RecursionError:
        message = "nested too deeply to parse; skipped"
        code = "parse-error"
    except Exception as err:
        message = f"could not be parsed ({type(err).__name__}: {err}); skipped"
        code = "parse-error"
    diagnostics.append(Diagnostic(SourceLocation(relative, 1), message, "error", code))
    return None, diagnostics


def skipped_warnings(skipped: list[Skipped]) -> list[Diagnostic]:
    """Warnings for the skipped blocks that look unfinished (see SKIP_WARNINGS)."""
    return [
        Diagnostic(item.location, f"{item.reason}: {item.text[:60]!r}", "warning", SKIP_WARNINGS[item.reason])
        for item in skipped
        if item.reason in SKIP_WARNINGS
    ]
