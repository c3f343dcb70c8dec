"""Cloze notes from the notes: their own note type, one card per cloze number, Anki's own rendering."""

from __future__ import annotations

import re
from pathlib import Path

from generator.build import build
from generator.config import BuildConfig
from generator.export.apkg import CLOZE_FIELDS, CLOZE_MODEL_ID, CLOZE_MODEL_NAME
from tests.conftest import import_into_anki

NOTE = """# Capitals

START
Cloze
Text: {{c1::Lisbon::city}} is the capital of {{c2::Portugal}}.
<!--ID: 1700000000000-->
END

The speed of light is about {{c1::300 000 km/s}}, {{c2::$c$}} in formulas, and {{c3::constant}}.

## Highlights

#flashcards

Water boils at ==100 °C== at sea level.
"""


def shown(side: str) -> str:
    """What the reviewer sees: the side without its style sheet and tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", side, flags=re.S))


def _built(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "capitals.md").write_text(NOTE, encoding="utf-8")
    config = BuildConfig(notes_dir=notes, output_dir=tmp_path / "out")
    report = build(config)
    collection = import_into_anki(config.package_path, tmp_path / "anki.anki2")
    return report, collection


def test_each_cloze_number_is_a_card_rendered_by_anki(tmp_path: Path):
    report, collection = _built(tmp_path)
    try:
        clozes = [card for card in report.cards if card.kind == "cloze"]
        assert len(clozes) == 3
        model = collection.models.get(CLOZE_MODEL_ID)
        assert model["name"] == CLOZE_MODEL_NAME and model["type"] == 1
        assert [field["name"] for field in model["flds"]] == list(CLOZE_FIELDS)
        assert "nightMode" in model["css"] and "{{cloze:Text}}" in model["tmpls"][0]["qfmt"]
        by_text = {}
        for note_id in collection.find_notes(f"mid:{CLOZE_MODEL_ID}"):
            note = collection.get_note(note_id)
            by_text[note["Text"]] = [collection.get_card(card_id) for card_id in note.card_ids()]
        counts = sorted(len(cards) for cards in by_text.values())
        assert counts == [1, 2, 3]
        lisbon = next(cards for text, cards in by_text.items() if "Lisbon" in text)
        first, second = sorted(lisbon, key=lambda card: card.ord)
        assert "[city]" in shown(first.question()) and "Lisbon" not in shown(first.question())
        assert "Portugal" in shown(first.question())
        assert "Lisbon" in shown(first.answer()) and 'class="cloze"' in first.answer()
        assert "Portugal" not in shown(second.question()) and "Lisbon" in shown(second.question())
        light = next(cards for text, cards in by_text.items() if "light" in text)
        assert all("{{" not in shown(card.question()) + shown(card.answer()) for card in light)
        assert "[...]" in shown(light[0].question())
        assert all('class="source"' in card.answer() for cards in by_text.values() for card in cards)
        water = next(text for text in by_text if "Water" in text)
        assert "{{c1::100 °C}}" in water and "==" not in water
    finally:
        collection.close()


def test_tool_comments_never_reach_a_card(tmp_path: Path):
    _report, collection = _built(tmp_path)
    try:
        for card_id in collection.find_cards(""):
            card = collection.get_card(card_id)
            assert "ID:" not in card.question() + card.answer()
            assert "START" not in card.question() + card.answer()
    finally:
        collection.close()


def test_a_removed_cloze_keeps_its_note_type_and_is_tagged(tmp_path: Path):
    report, collection = _built(tmp_path)
    collection.close()
    notes = tmp_path / "notes"
    text = (notes / "capitals.md").read_text(encoding="utf-8")
    (notes / "capitals.md").write_text(text.replace("Water boils at ==100 °C== at sea level.\n", ""), "utf-8")
    config = BuildConfig(notes_dir=notes, output_dir=tmp_path / "out")
    again = build(config)
    assert len([c for c in again.cards if c.kind == "cloze"]) == 2
    kept = {c.guid for c in again.cards}
    assert kept <= {c.guid for c in report.cards}
    collection = import_into_anki(config.package_path, tmp_path / "anki.anki2")
    try:
        removed = collection.find_notes(f"mid:{CLOZE_MODEL_ID} tag:deckgraph::removed")
        assert len(removed) == 1
        note = collection.get_note(removed[0])
        assert "{{c1::100 °C}}" in note["Text"] and "Removed from the notes" in note["Notice"]
        assert len(collection.find_notes(f"mid:{CLOZE_MODEL_ID} -tag:deckgraph::removed")) == 2
    finally:
        collection.close()
