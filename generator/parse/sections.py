"""What a section's own text is, when it is not a question: a topic to learn, or something else
(a table of contents, pointers to links, a placeholder, an introduction, a table of data, the steps of
a worked example). Each "not a card" answer is the reason `build -v` prints."""

from __future__ import annotations

import re

from generator.parse.blocks import Block, Section
from generator.parse.tables import card_table, is_data_table, table_rows
from generator.parse.text import plain_text, strip_numbering
from generator.parse.words import is_about_the_notes, is_placeholder

_LINK_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*\[[^\]]*\]\([^)]*\)\s*$")
_LINKS_ONLY = re.compile(r"^[\s\-*+>|,;:.·•()\[\]]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<https?://[^>]+>|https?://\S+")


def not_a_topic(blocks: list[Block], has_more: bool) -> str:
    """Why a section's own text is not a card of its own ('' if it is one)."""
    tables = [block for block in blocks if block.type == "table_open"]
    rest = [b for b in blocks if b not in tables]
    if tables and all(card_table(t.tokens) for t in tables) and not teaches(rest):
        return "a table whose rows are cards of their own"
    if tables and all(is_data_table(table_rows(t.tokens)) for t in tables) and not teaches(rest):
        return "a table of data (measurements, counts), not a comparison to learn"
    text = "\n".join(block.source for block in blocks if block.type not in ("hr", "html_block"))
    if _LINK.search(text) and _LINKS_ONLY.match(_LINK.sub("", text)):
        return "only links"
    if is_placeholder(text):
        return "a placeholder (TODO), nothing written yet"
    prose = [b for b in blocks if b.type == "paragraph_open" and not b.source.lstrip().startswith("![")]
    shown = [b for b in blocks if b.type not in ("hr", "html_block") and not b.source.lstrip().startswith("![")]
    if prose and len(prose) <= 2 and len(prose) == len(shown):
        if is_about_the_notes(prose[0].source):
            return "introduction to the notes themselves"
    lists = [block for block in blocks if block.type in ("bullet_list_open", "ordered_list_open")]
    if all(block.type in ("bullet_list_open", "ordered_list_open") for block in blocks):
        lines = [line for block in blocks for line in block.source.split("\n") if line.strip()]
        if lines and all(_LINK_LINE.match(line) for line in lines):
            return "table of contents"
    if has_more and any(_is_toc(block) for block in lists):
        return "introduction to the sections below (with their table of contents)"
    items = [item for block in lists for item in block.children()]
    prose = [b for b in blocks if b.type == "paragraph_open" and not _LINK_LINE.match(b.source)]
    if (
        items
        and all(_LINK.search(item.source) for item in items)
        and len(" ".join(b.source for b in prose).split()) <= 8
    ):
        return "pointers to resources elsewhere"
    if (
        has_more
        and len(blocks) == 1
        and blocks[0].type == "paragraph_open"
        and blocks[0].source.rstrip().endswith((":", "："))
    ):
        return "lead-in to the sections below"
    return ""


_ARTICLE = re.compile(r"^(?:an?|the|le|la|les|l'|el|los|las|der|die|das|ein|eine|un|une|una|o|os)\s+", re.I)


def defines_title(blocks: list[Block], title: str) -> bool:
    """The first paragraph of prose starts with the title's words: the file explains that one thing."""
    words = _title_words(title)
    for block in blocks:
        if block.type != "paragraph_open" or not block.inline:
            continue
        text = plain_text(block.inline)
        if len(re.findall(r"\w+", _LINK.sub("", block.source))) < 8 or text.endswith((":", "：")):
            continue  # a line of links ('Read this in other languages: …'), a lead-in
        lead = _title_words(_ARTICLE.sub("", text))
        return bool(words) and lead[: len(words)] == words and len(lead) > len(words) + 3
    return False


def _title_words(text: str) -> list[str]:
    return re.findall(r"\w+", re.sub(r"[(（][^)）]*[)）]", " ", text).lower())


def teaches(blocks: list[Block]) -> bool:
    """Text of its own beyond lead-ins ('The main kinds:'), labels and pictures."""
    for block in blocks:
        if block.type in ("hr", "html_block", "front_matter"):
            continue
        text = block.source.strip()
        if block.type == "paragraph_open" and text.startswith("!["):
            continue
        if block.type == "paragraph_open" and text.endswith((":", "：")) and not re.search(r"[.!?。！？]\s", text):
            continue  # one sentence leading in to a list
        return True
    return False


STEPS = re.compile(
    r"\b(?:steps?|step-by-step|walk-?through|procedure|schritte?|étapes?|pasos?|etapas?|шаги|bước)\b|步骤|步驟|手順|단계",
    re.IGNORECASE,
)


def numbered_heading(section: Section) -> bool:
    return strip_numbering(section.title_source) != section.title_source


def _is_toc(block: Block) -> bool:
    lines = [line for line in block.source.split("\n") if line.strip()]
    return bool(lines) and all(_LINK_LINE.match(line) for line in lines)
