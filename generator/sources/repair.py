"""Repair mojibake (UTF-8 read as Windows-1252) with ftfy, plus the lossy cases ftfy leaves alone."""

from __future__ import annotations

import re

import ftfy

# Only encoding repairs: quotes, full-width punctuation (notes in Chinese) and ligatures are the
# author's and stay as they are.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)

# A run of characters that UTF-8 lead/continuation bytes turn into under Windows-1252.
_MOJIBAKE_RUN = re.compile(
    r"[ÂÃâðï][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    r"\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    r"\u20ac\u2122]+"
)
_SUSPECT = re.compile(r"[ÂÃâðï]")


def repair_text(text: str) -> tuple[str, tuple[int, ...]]:
    """Return the repaired text and the 1-based numbers of the lines that changed."""
    if not _SUSPECT.search(text):  # the common case: nothing to do, and fast
        return text, ()
    lines = text.split("\n")
    changed: list[int] = []
    for number, line in enumerate(lines, start=1):
        if not _SUSPECT.search(line):
            continue
        fixed = _repair_lossy_runs(ftfy.fix_text(line, _FTFY))
        if fixed != line:
            lines[number - 1] = fixed
            changed.append(number)
    return "\n".join(lines), tuple(changed)


def _repair_lossy_runs(line: str) -> str:
    """Decode runs ftfy declined because a byte was lost (e.g. an emoji's variation selector)."""

    def decode(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            raw = run.encode("sloppy-windows-1252")
        except UnicodeEncodeError:
            return run
        decoded = raw.decode("utf-8", errors="replace")
        # Accept only when the run really was UTF-8: at most a truncated sequence at its end.
        body = decoded.rstrip("\ufffd")
        if not body or "\ufffd" in body or len(body) >= len(run):
            return run
        return body

    return _MOJIBAKE_RUN.sub(decode, line)
