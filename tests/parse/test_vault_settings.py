"""A vault's flashcard-plugin settings shape its notes' cards, and a change to them is seen by the
next build although the notes' bytes did not change (they are part of each note's cache key)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import build
from generator.config import BuildConfig

SETTINGS = Path(".obsidian/plugins/obsidian-spaced-repetition/data.json")


def _settings(vault: Path, separator: str) -> None:
    path = vault / SETTINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"settings": {"flashcardTags": ["#deck"], "singleLineCardSeparator": separator}}))


def test_changed_plugin_settings_re_read_the_notes(tmp_path: Path):
    notes = tmp_path / "notes"
    vault = notes / "vault"
    vault.mkdir(parents=True)
    (vault / "words.md").write_text("#deck\n\nHund ;; dog\nKatze ;; cat\n", encoding="utf-8")
    (notes / "other.md").write_text("# Other\n\n## Topic\n\nText under a topic;; not a card.\n", encoding="utf-8")
    _settings(vault, "::")
    config = BuildConfig(notes_dir=notes, output_dir=tmp_path / "out")
    assert [card.question for card in build(config).cards if card.location.path.startswith("vault/")] == []
    _settings(vault, ";;")
    report = build(config)
    assert [card.question for card in report.cards if card.location.path.startswith("vault/")] == ["Hund", "Katze"]
    assert [card.question for card in report.cards if card.location.path == "other.md"] == ["Topic"]


def test_a_vault_end_marker_lets_a_multi_line_back_hold_blank_lines(tmp_path: Path):
    notes = tmp_path / "notes"
    (notes / SETTINGS).parent.mkdir(parents=True)
    (notes / SETTINGS).write_text(json.dumps({"settings": {"multilineCardEndMarker": "+++"}}))
    text = "#flashcards\n\nName two noble gases\n?\nHelium\n\nNeon\n+++\n\nAfter the card.\n"
    (notes / "gases.md").write_text(text, encoding="utf-8")
    cards = build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out")).cards
    backs = {card.location.path: card.answer_md for card in cards if card.question == "Name two noble gases"}
    assert "Helium" in backs["gases.md"] and "Neon" in backs["gases.md"] and "After" not in backs["gases.md"]
