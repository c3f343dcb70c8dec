"""What the build itself reports: encodings, binary/empty/huge files, unclosed fences and math, repairs."""

from __future__ import annotations

from generator.check.rules import CheckContext, Finding, rule
from generator.model import SourceLocation

CLAIMED_ELSEWHERE = {"unanswered", "empty-section", "missing-image", "unsafe-image"}
"""Diagnostic codes that a dedicated rule reports (with more detail)."""


@rule("input", "files the build cannot read as notes, or reads with a caveat")
def build_diagnostics(context: CheckContext):
    for diagnostic in context.report.diagnostics:
        if diagnostic.code in CLAIMED_ELSEWHERE:
            continue
        location = diagnostic.location or SourceLocation(str(context.config.notes_dir), 1)
        yield Finding(location, diagnostic.code or "input", diagnostic.message, diagnostic.severity)


@rule("repaired-text", "mojibake the build repaired: fix it in the file")
def repaired_text(context: CheckContext):
    for path, source in sorted(context.sources.items()):
        lines = source.text.split("\n")
        for number in source.repaired_lines:
            shown = lines[number - 1].strip()[:60] if number <= len(lines) else ""
            yield Finding(
                SourceLocation(path, number),
                "repaired-text",
                f"garbled characters (mojibake) were repaired on this line; save the fix: {shown!r}",
            )
