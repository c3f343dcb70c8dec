"""`deckgraph check` holds the concept registry against the notes."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import write_notes

from generator.build import build
from generator.check import check
from generator.commands.cli import main
from generator.config import BuildConfig

NOTE = """## What's the difference between LoRA and QLoRA?

**LoRA**, short for *Low-Rank Adaptation*, trains small adapters.

**QLoRA**, or *Quantized LoRA*, takes this a step further with 4-bit weights.
"""
REGISTRY = """[concepts.LoRA]
aliases = ["Low-Rank Adaptation"]
topic = "fine-tuning"

[concepts.Mamba]
topic = "architecture"
variant_of = ["LoRA"]
"""


def findings(notes, out, rule):
    return [str(f) for f in check(BuildConfig(notes_dir=notes, output_dir=out), [rule])]


def test_registry_concepts_no_note_mentions_are_reported_at_their_line(tmp_path):
    notes = write_notes(tmp_path / "notes", {"a.md": NOTE, "concepts.toml": REGISTRY})
    assert findings(notes, tmp_path / "out", "unused-concept") == [
        "concepts.toml:5: warning: 'Mamba' is in the registry, but no note mentions it (or any of its aliases) "
        "[unused-concept]"
    ]


def test_declared_relations_without_support_are_reported(tmp_path):
    notes = write_notes(tmp_path / "notes", {"a.md": NOTE, "concepts.toml": REGISTRY})
    assert findings(notes, tmp_path / "out", "stale-relation") == [
        "concepts.toml:5: warning: 'Mamba variant_of LoRA' is declared, but no note mentions Mamba any more "
        "[stale-relation]"
    ]


def test_graph_json_evidence_gone_from_the_notes_is_reported_until_the_next_build(tmp_path):
    notes = write_notes(tmp_path / "notes", {"a.md": NOTE})
    out = tmp_path / "out"
    build(BuildConfig(notes_dir=notes, output_dir=out))
    assert findings(notes, out, "stale-relation") == []

    (notes / "a.md").write_text(NOTE.replace("takes this a step further", "goes one step beyond"), encoding="utf-8")
    stale = findings(notes, out, "stale-relation")
    assert len(stale) == 1 and stale[0].startswith("a.md:5: warning: graph.json says 'LoRA extends QLoRA'")

    build(BuildConfig(notes_dir=notes, output_dir=out))
    assert findings(notes, out, "stale-relation") == []


def test_the_shipped_registry_is_clean_on_the_seed_notes(seed_copy, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(seed_copy),
            "-o",
            str(tmp_path),
            "--rule",
            "unused-concept",
            "--rule",
            "stale-relation",
            "--strict",
        ],
    )
    assert result.exit_code == 0, result.output
