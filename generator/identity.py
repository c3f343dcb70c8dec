"""Stable note GUIDs: from the card's words, never from its position, number or file order."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import genanki

from generator.model import Flashcard


def normalize_question(text: str) -> str:
    """Case, spacing, punctuation and dash style do not change what is asked."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2010-\u2015\-]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def content_guid(card: Flashcard, salt: str = "") -> str:
    return genanki.guid_for("deckgraph", normalize_question(card.question), salt)


def assign_guids(cards: list[Flashcard]) -> list[Flashcard]:
    """GUIDs from the question; a question asked twice is told apart by its file, then its section."""
    taken: set[str] = set()
    result = []
    for card in cards:
        candidates = [card.pinned_id] if card.pinned_id else []
        candidates += [content_guid(card), content_guid(card, card.location.path),
                       content_guid(card, card.location.path + "|" + card.context)]
        guid = next((c for c in candidates if c not in taken), None)
        counter = 2
        while guid is None:
            guid = content_guid(card, f"{card.location.path}|{card.context}|{counter}")
            guid = None if guid in taken else guid
            counter += 1
        taken.add(guid)
        result.append(replace(card, guid=guid))
    return result
