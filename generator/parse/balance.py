"""Markup left open: a code fence without its closing line, `$` or `$$` math without its pair.

Markdown never fails on these, it silently swallows the rest of the file into the code block or
shows stray dollar signs, so they are reported where they open.
"""

from __future__ import annotations

import re

from generator.model import Diagnostic, SourceLocation

_FENCE = re.compile(r"^(?P<indent>[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_DOLLAR = re.compile(r"(?<!\\)\$\$|(?<![\\$])\$(?!\$)")


def unclosed_markup(text: str, path: str) -> list[Diagnostic]:
    """Diagnostics for unclosed code fences and unbalanced `$`/`$$` math, each at its opening line."""
    found: list[Diagnostic] = []
    lines = text.split("\n")
    fence: tuple[int, str] | None = None
    display_open: int | None = None
    paragraph: list[tuple[int, str]] = []

    def close_paragraph() -> None:
        if not paragraph:
            return
        line = _unpaired_inline_dollar(paragraph)
        if line is not None:
            found.append(
                Diagnostic(
                    SourceLocation(path, line + 1),
                    "unbalanced $ (inline math not closed)",
                    "warning",
                    "unbalanced-math",
                )
            )
        paragraph.clear()

    for number, line in enumerate(lines):
        if "$" not in line and "`" not in line and "~" not in line:  # most lines: only blank ones matter
            if fence is None and not line.strip():
                close_paragraph()
            continue
        match = _FENCE.match(line)
        if fence is not None:
            marker = fence[1]
            if (
                match
                and match.group("fence")[0] == marker[0]
                and len(match.group("fence")) >= len(marker)
                and not match.group("info").strip()
            ):
                fence = None
            continue
        if match and not (match.group("fence")[0] == "`" and "`" in match.group("info")):
            close_paragraph()
            fence = (number, match.group("fence"))
            continue
        if not line.strip():
            close_paragraph()
            continue
        code_free = _CODE_SPAN.sub("", line) if "`" in line else line
        for token in _DOLLAR.findall(code_free):
            if token == "$$":
                display_open = number if display_open is None else None
        if display_open is None or display_open == number:
            paragraph.append((number, code_free.replace("$$", "")))
    close_paragraph()
    if fence is not None:
        found.append(
            Diagnostic(
                SourceLocation(path, fence[0] + 1),
                f"code fence {fence[1]} is never closed: the rest of the file is code",
                "warning",
                "unclosed-fence",
            )
        )
    if display_open is not None:
        found.append(
            Diagnostic(
                SourceLocation(path, display_open + 1),
                "unbalanced $$ (display math not closed)",
                "warning",
                "unbalanced-math",
            )
        )
    return sorted(found, key=lambda d: d.location.line if d.location else 0)


def _unpaired_inline_dollar(paragraph: list[tuple[int, str]]) -> int | None:
    """0-based line of a `$` left without its pair in one paragraph (prices like `$5` do not count)."""
    opened: int | None = None
    for number, line in paragraph:
        for match in re.finditer(r"(?<!\\)\$", line):
            after = line[match.end() : match.end() + 1]
            if opened is None:
                if after.isdigit() or after in ("", " ", "\t"):
                    continue  # "$5", a lone "$ ": not an opening delimiter
                opened = number
            else:
                opened = None
    return opened
