"""Anki tags for a card: its source file and section, hierarchical with '::'."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from generator.config import slugify
from generator.model import Flashcard


def source_tag(card: Flashcard) -> str:
    path = PurePosixPath(card.location.path)
    parts = [slugify(part) for part in path.with_suffix("").parts]
    parts += [slugify(heading) for heading in card.heading_path]
    return "::".join(["file"] + [part for part in parts if part])


def with_source_tags(cards: list[Flashcard]) -> list[Flashcard]:
    return [replace(card, tags=tuple(sorted(set(card.tags) | {source_tag(card)}))) for card in cards]
