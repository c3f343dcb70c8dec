"""The notes' text that no card holds, in passages the concept stage reads like cards.

ARCHITECTURE
- A note teaches more than its cards: an intro paragraph, a section the parser did not make a card
  of, a whole file in a shape it does not know yet. The concept stage reads those passages too, so
  the map does not depend on the cards found: concepts they name become nodes (their sources are
  the passage's file:line; they link no card), relations they state are edges with file:line.
- A passage is a heading (its `question`) or a paragraph, list or quote between blank lines (its
  `answer_md`, with the headings above as its `heading_path`); fenced code (not a fence of plain
  text), front matter and tables are left out. A passage whose first line some card already holds is skipped (the card reads it).
- Passages are Flashcards of kind PASSAGE_KIND without a GUID; they never leave this stage. The
  file's title is one of kind TITLE_KIND: what it names is what the file is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import cast

from generator.digests import digest
from generator.graph.concepts import card_text_key
from generator.graph.locate import SPACES, strip_markup
from generator.graph.memory import CardMemory, NoMemory
from generator.model import Flashcard, SourceLocation
from generator.parse.words import A_DOT_MARKER, A_MARKER, Q_DOT_MARKER, Q_MARKER
from generator.workers import context

PASSAGE_KIND = "passage"
TITLE_KIND = "title"
"""A file's title (its first `#` heading), read as a passage of its own: it names what the file is about."""
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
PROSE_FENCES = frozenset({"", "text", "txt", "plain", "plaintext", "md", "markdown"})
"""Fenced blocks people write prose in (answers in a ```text block); others hold code."""


def _norm(line: str) -> str:
    """A line as a card holds it: markup, list and quote marks off, and a 'Q.' / 'A:' marker, which
    the parser drops from a card's question and answer ("Q. What is RLHF?" is held as "What is RLHF?")."""
    line = SPACES.sub(" ", strip_markup(line)).strip(" -*+>#|")
    for marker in (Q_MARKER, Q_DOT_MARKER, A_MARKER, A_DOT_MARKER):
        found = marker.match(line)  # anchored: tried at the start only, not at every position
        if found:
            line = line[found.end() :]
    return line.strip()


def passages(
    cards: Iterable[Flashcard],
    texts: Mapping[str, str],
    files: Mapping[str, str],
    memory: CardMemory | None = None,
    jobs: int = 1,
) -> list[Flashcard]:
    """Passages of the note files (`files`: path → digest) that no card of `cards` holds, read over
    `jobs` worker processes. `memory` keeps a file's passages while the file and the text of its
    cards are unchanged, so an unchanged file is not read again."""
    memory = memory or NoMemory()
    by_file: dict[str, list[Flashcard]] = {}
    for card in cards:
        by_file.setdefault(card.location.path, []).append(card)
    paths = sorted(files)
    keys = [
        ("passages", path, files[path], digest(*(card_text_key(card) for card in by_file.get(path, []))))
        for path in paths
    ]
    memory.fill(keys, paths, _passages_in, jobs, (texts, by_file))
    found = []
    for key in keys:
        found += memory.get(key, _unfilled)
    return found


def _passages_in(path: str) -> list[Flashcard]:
    """One file's passages (in a worker process when there are many files)."""
    texts, by_file = cast(tuple[Mapping[str, str], dict[str, list[Flashcard]]], context())
    return _passages_of(path, texts, by_file.get(path, []))


def _unfilled() -> list[Flashcard]:
    raise LookupError("the memory was filled with every file's passages before they are read")


_MARKER = 12
"""Characters a question number or answer marker may take before the words a card holds ("Q1.", "A:", "問3．")."""


def _held(line: str, held: set[str]) -> bool:
    """Whether a card holds the line: as written, or after the number or marker its card's parser
    took off ("### Q1. What is …" is the card "What is …", "**A:** It …" opens its answer "It …")."""
    if line in held:
        return True
    cut = min(_MARKER, len(line) // 2)
    return any(not line[i - 1].isalpha() and line[i:].lstrip() in held for i in range(1, cut + 1))


def _title(path: str, number: int, title: str) -> Flashcard:
    return Flashcard(title, "", "", "", SourceLocation(path, number + 1), (), "", TITLE_KIND)


def _passages_of(path: str, texts: Mapping[str, str], cards: list[Flashcard]) -> list[Flashcard]:
    try:
        text = texts[path]
    except KeyError:
        return []
    held = set()
    for card in cards:
        held.add(_norm(card.question))
        held.update(_norm(line) for line in card.answer_md.split("\n"))
    return _file_passages(path, text, held)


def _file_passages(path: str, text: str, held: set[str]) -> list[Flashcard]:
    lines = text.split("\n")
    headings: list[tuple[int, str]] = []
    found: list[Flashcard] = []
    block: list[str] = []
    start = 0
    fence = ""
    prose_fence = False
    titled = False
    first = 0
    if lines and lines[0].strip() == "---":  # front matter
        first = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)

    def flush() -> None:
        skipped = 0
        while block and not _norm(block[0]):  # a bare "**Answer:**" line: the text after it says whose it is
            block.pop(0)
            skipped += 1
        if block and not _held(_norm(block[0]), held) and not block[0].lstrip().startswith("|"):
            # A paragraph that opens with a question asks it: "Machine learning là gì?" + its answer.
            asked = _norm(re.sub(r"<[^>]*>", " ", block[0]))
            question, answer = (asked, block[1:]) if asked.endswith(("?", "？")) and len(asked) <= 200 else ("", block)
            found.append(
                Flashcard(
                    question=question,
                    question_html="",
                    answer_md="\n".join(answer),
                    answer_html="",
                    location=SourceLocation(path, start + skipped + 1),
                    heading_path=tuple(h for _, h in headings),
                    deck="",
                    kind=PASSAGE_KIND,
                )
            )
        block.clear()

    for number, line in enumerate(lines[first:], start=first):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
                flush()
            elif prose_fence:
                if not block:
                    start = number
                block.append(line)
            continue
        if opening:
            flush()
            fence = opening.group(1)
            prose_fence = line.strip()[len(fence) :].strip().lower() in PROSE_FENCES
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            if level == 1 and not titled:
                titled = True  # the document's title, as the parser treats it: no heading of its text
                title = _norm(heading.group(2))
                if title and not _held(title, held):
                    found.append(_title(path, number, title))
                continue
            headings[:] = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, _norm(heading.group(2)))]
            if not _held(_norm(heading.group(2)), held):
                block[:] = []
                found.append(
                    Flashcard(
                        _norm(heading.group(2)),
                        "",
                        "",
                        "",
                        SourceLocation(path, number + 1),
                        tuple(h for _, h in headings[:-1]),
                        "",
                        PASSAGE_KIND,
                    )
                )
            continue
        if not line.strip():
            flush()
            continue
        if not block:
            start = number
        block.append(line)
    flush()
    return found
