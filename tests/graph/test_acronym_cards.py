"""Acronym cloze cards: one note per acronym the notes expand, rendered as clozes by Anki itself."""

from __future__ import annotations

import re

from generator.build import build
from generator.config import BuildConfig
from generator.export.apkg import ACRONYM_MODEL_NAME
from generator.graph.acronyms import ACRONYM_TAG
from generator.identity.lockfile import load_lockfile
from tests.conftest import import_into_anki

EXPECTED = {
    "LoRA": "Low-Rank Adaptation",
    "QLoRA": "Quantized LoRA",
    "DoRA": "Weight-Decomposed LoRA",
    "PEFT": "Parameter-Efficient Fine-Tuning",
    "RLHF": "Reinforcement Learning from Human Feedback",
    "RLAIF": "Reinforcement Learning from AI Feedback",
    "DPO": "Direct Preference Optimization",
    "IPO": "Implicit Preference Optimization",
    "PPO": "Proximal Policy Optimization",
    "GQA": "Grouped-Query Attention",
    "MQA": "Multi-Query Attention",
    "RoPE": "Rotary Position Embeddings",
    "SFT": "Supervised Fine-Tuning",
    "CoT": "Chain-of-Thought",
}


def shown(side: str) -> str:
    """What the reviewer sees: no style, no tags (Anki keeps the hidden answer in an attribute)."""
    return re.sub(r"<style>.*?</style>|<[^>]+>", "", side, flags=re.S)


def test_acronym_cards_render_as_clozes_in_anki(seed_copy, tmp_path):
    config = BuildConfig(seed_copy, tmp_path / "out", now=1_800_000_000)
    report = build(config)
    collection = import_into_anki(config.package_path, tmp_path / "c.anki2")
    notes = {}
    for note_id in collection.find_notes(f'note:"{ACRONYM_MODEL_NAME}"'):
        note = collection.get_note(note_id)
        notes[note["Text"].split("::")[1].split("}}")[0]] = note
    assert len(notes) == len(report.generated) >= len(EXPECTED)
    for short, long in EXPECTED.items():
        note = notes[short]
        assert note["Text"] == f"{{{{c1::{short}}}}} stands for {{{{c2::{long}}}}}"
        assert ":" in note["Source"] and note["Source"].split(":")[0].endswith(".md")
        assert ACRONYM_TAG in note.tags
        cards = sorted(note.cards(), key=lambda card: card.ord)
        assert [card.ord for card in cards] == [0, 1]
        first, second = cards
        assert "[...]" in shown(first.question()) and long in shown(first.question())
        assert short not in shown(first.question()).replace(long, "")
        assert short in shown(first.answer())
        assert "[...]" in shown(second.question()) and short in shown(second.question())
        assert long not in shown(second.question())
        assert long in shown(second.answer())
        assert collection.decks.name(first.did) == "Interview Notes::Acronyms"
    assert notes["LoRA"]["Source"] == "training-finetuning-qa.md:262"
    collection.close()


def test_acronym_cards_are_stable_and_follow_their_expansion(seed_copy, tmp_path):
    out = tmp_path / "out"
    first = build(BuildConfig(seed_copy, out, now=1_800_000_000))
    package = (out / "interview-notes.apkg").read_bytes()
    again = build(BuildConfig(seed_copy, out, now=1_900_000_000))
    assert [c.guid for c in again.generated] == [c.guid for c in first.generated]
    assert (out / "interview-notes.apkg").read_bytes() == package
    # Change one expansion: only that note is stamped anew, so Anki updates it.
    path = seed_copy / "training-finetuning-qa.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Grouped-Query Attention (GQA)", "Grouped Query Attention (GQA)"), encoding="utf-8")
    build(BuildConfig(seed_copy, out, now=1_950_000_000))
    from generator.identity.lockfile import load_lockfile

    generated = load_lockfile(seed_copy).generated
    changed = {entry["key"] for entry in generated.values() if entry["mod"] == 1_950_000_000}
    assert changed == {"GQA stands for Grouped Query Attention"}


def test_acronym_cards_can_be_turned_off(seed_copy, tmp_path):
    assert build(BuildConfig(seed_copy, tmp_path / "a", acronym_cards=False)).generated == []
    (seed_copy / "deckgraph.toml").write_text("[build]\nacronym_cards = false\n", encoding="utf-8")
    assert build(BuildConfig(seed_copy, tmp_path / "b")).generated == []
    assert build(BuildConfig(seed_copy, tmp_path / "c", acronym_cards=True)).generated


def test_an_acronym_whose_source_left_the_notes_is_retired(seed_copy, tmp_path):
    out = tmp_path / "out"
    build(BuildConfig(seed_copy, out, now=1_800_000_000))
    path = seed_copy / "optimization-alignment-qa.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- **IPO (Implicit Preference Optimization)**", "- **A newer method**"), "utf-8")
    report = build(BuildConfig(seed_copy, out, now=1_900_000_000))
    assert "IPO" not in {card.question.split()[0] for card in report.generated}
    collection = import_into_anki(out / "interview-notes.apkg", tmp_path / "c.anki2")
    try:
        removed = collection.find_notes(f'note:"{ACRONYM_MODEL_NAME}" tag:deckgraph::removed')
        assert len(removed) == 1
        note = collection.get_note(removed[0])
        assert "{{c1::IPO}}" in note["Text"] and "left the notes" in note["Extra"]
        live = collection.find_notes(f'note:"{ACRONYM_MODEL_NAME}" -tag:deckgraph::removed')
        assert len(live) == len(report.generated)
        assert all(ACRONYM_TAG in collection.get_note(n).tags for n in live)
    finally:
        collection.close()
    # The next build keeps it retired, byte for byte; `prune` forgets it.
    package = (out / "interview-notes.apkg").read_bytes()
    build(BuildConfig(seed_copy, out, now=2_000_000_000))
    assert (out / "interview-notes.apkg").read_bytes() == package
    lock = load_lockfile(seed_copy)
    assert [entry.text for entry in lock.forget_removed()] == ["IPO stands for Implicit Preference Optimization"]
    lock.save()
    assert all("removed_at" not in stamp for stamp in load_lockfile(seed_copy).generated.values())


def test_table_cards_are_tagged(seed_build):
    report, _ = seed_build
    tables = [card for card in report.cards if card.kind.startswith("table-")]
    assert tables and all("deckgraph::table" in card.tags for card in tables)
