"""From a sentence of a card back to its line in the note file, for `file:line` evidence."""

from __future__ import annotations

import re
from collections.abc import Mapping

from generator.model import Flashcard, SourceLocation

_MARKUP = re.compile(r"\*\*|__|[*_](?:(?<!\w[*_])(?=\S)|(?<=\S[*_])(?!\w))|`")
"""A lone mark after its character: each alternative starts with a mark, so the regex skips text fast."""


SPACES = re.compile(r"\s+")
"""A run of whitespace: the readers make it one space."""
_LINE_SPACES = re.compile(r"[^\S\n]+")


def strip_markup(text: str) -> str:
    """Emphasis and code marks off, so patterns see words: '**QLoRA**, or *Quantized LoRA*' → 'QLoRA, or Quantized LoRA'."""
    if "*" in text or "_" in text or "`" in text:
        text = _MARKUP.sub("", text)
    return text.replace("\u2019", "'")


_NOT_PROSE = re.compile(
    r"(?m:^[ \t]*(?:`{3,}|~{3,})[^\n]*)"  # a code fence's own line: "```python" names no concept
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # a link's target: "[back to top](#data-science-faq)"
    r"|<[^<>\n]{1,300}>"  # HTML tags and their attributes
    r"|https?://\S+"
    r"|\$\$.*?\$\$|(?<![\\$])\$[^$\n]+\$|\\\\?\(.*?\\\\?\)",  # LaTeX
    re.S,
)

_PROSE_MARKS = ("```", "~~~", "](", "<", "://", "$", "\\")
"""What each alternative of _NOT_PROSE starts with or holds."""


def prose(text: str) -> str:
    """The words a reader reads: link targets, HTML tags, URLs, formulas and the lines that open or
    close a code fence blanked (same length, so offsets still point into `text`)."""
    if not any(mark in text for mark in _PROSE_MARKS):  # most lines: nothing to blank, no regex run
        return text
    return _NOT_PROSE.sub(
        lambda m: "]" + " " * (len(m.group()) - 1) if m.group().startswith("]") else " " * len(m.group()), text
    )


class Locator:
    """Finds the line a snippet of a card came from; falls back to the card's own line."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._texts = texts if texts is not None else {}
        self._lines: dict[str, list[str]] = {}

    def _prepared(self, path: str) -> list[str] | None:
        """The file's lines with markup off and whitespace single (once, on first use), so each
        lookup is a plain substring test."""
        if path not in self._lines:
            text = self._texts.get(path)
            # All lines at once: a newline is a line's start and end to the markup pattern.
            self._lines[path] = _LINE_SPACES.sub(" ", strip_markup(text)).split("\n") if text else []
        return self._lines[path]

    def find(self, card: Flashcard, snippet: str) -> SourceLocation:
        lines = self._prepared(card.location.path)
        probe = SPACES.sub(" ", snippet).strip()[:40].strip()
        if lines and probe:
            start = max(card.location.line - 1, 0)
            for index in range(start, min(len(lines), start + 400)):
                if probe in lines[index]:
                    return SourceLocation(card.location.path, index + 1)
        return card.location
