"""Comparison tables become cards whose answers are the table's own cells."""

from __future__ import annotations

from generator.build import build
from generator.config import BuildConfig
from tests.conftest import cards_of, import_into_anki, write_notes

ROWS = {  # items in rows: one card per row
    "Supervised Fine-Tuning (SFT) — Strength, Weakness?": [
        "Task-specific accuracy; ease of tuning",
        "Needs labeled data; can overfit easily",
    ],
    "Multi-task Training — Strength, Weakness?": [
        "Improved generalization; versatile usage",
        "Increased training complexity; task interference",
    ],
}
CELLS = {  # items in columns: one card per cell
    "vLLM — Primary Focus?": "Fast inference for LLMs",
    "TensorRT — Ease of use?": "Moderate (setup needed)",
    "sglang — Strengths?": "Simplicity, rapid iteration",
}


def test_seed_tables_become_cards_in_anki(seed_copy, tmp_path):
    config = BuildConfig(seed_copy, tmp_path / "out", now=1_800_000_000)
    report = build(config)
    kinds = [card.kind for card in report.cards]
    assert kinds.count("table-row") == 8 and kinds.count("table-cell") == 18
    collection = import_into_anki(config.package_path, tmp_path / "c.anki2")
    for question, cells in {**ROWS, **{q: [a] for q, a in CELLS.items()}}.items():
        found = collection.find_notes(f'"Question:{question}"')
        assert len(found) == 1, question
        note = collection.get_note(found[0])
        answer = note["Answer"].split('<div class="table-context">')[0]
        for cell in cells:
            assert cell in answer
        assert '<div class="table-context">' in note["Answer"] and "<table>" in note["Answer"]
        assert note["Source"].startswith("training-techniques.md:")
    rows = collection.find_notes('"Question:Supervised Fine-Tuning (SFT) — Strength, Weakness?"')
    assert collection.get_note(rows[0])["Source"] == "training-techniques.md:172"
    collection.close()


def test_only_comparison_tables_and_no_empty_cells(tmp_path):
    notes = write_notes(
        tmp_path / "notes",
        {
            "t.md": """# T

## Tiny

| A | B |
| - | - |
| x | y |

## Aspects

| Aspect | Adam | SGD |
| ------ | ---- | --- |
| Memory | 2 moments | none |
| Speed  |           | fast |
"""
        },
    )
    cards = [c for c in cards_of(notes) if c.kind.startswith("table")]
    assert sorted((c.question, c.answer_md) for c in cards) == [
        ("Adam — Memory?", "2 moments"),
        ("SGD — Memory?", "none"),
        ("SGD — Speed?", "fast"),
    ]
