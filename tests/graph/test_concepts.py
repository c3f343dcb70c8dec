"""Concept registry and discovery: small notes in, concepts (names, aliases, locations, cards) out."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import parse_notes
from generator.commands.cli import main
from generator.config import BuildConfig
from generator.errors import DeckgraphError, NoteError
from generator.graph.link import annotate_cards, build_graph
from generator.graph.names import key, plausible_term, spells
from generator.graph.questions import compared_parts, question_subject
from generator.graph.registry import load_registry
from generator.identity.lockfile import Lockfile
from generator.identity.matching import assign_identities


def graph_for(tmp_path: Path, notes: dict[str, str], registry: str | None = None):
    folder = tmp_path / "notes"
    folder.mkdir(exist_ok=True)
    for name, text in notes.items():
        (folder / name).write_text(text, encoding="utf-8")
    if registry is not None:
        (folder / "concepts.toml").write_text(registry, encoding="utf-8")
    config = BuildConfig(folder, tmp_path / "out")
    parsed, _ = parse_notes(config)
    cards = assign_identities([card for result in parsed for card in result.cards], Lockfile(Path("unused")), 0).cards
    texts = {p.path: (folder / p.path).read_text(encoding="utf-8") for p in parsed}
    return build_graph(cards, load_registry(folder), texts), cards


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Bradley–Terry", "Bradley-Terry"),
        ("Bradley—Terry model", "bradley terry model"),
        ("Reinforcement Learning with Human Feedback", "reinforcement learning from human feedback"),
        ("pre-training", "pretraining"),
        ("reward models", "Reward Model"),
        ("KV cache", "KV-cache"),
    ],
)
def test_spellings_share_one_key(a, b):
    assert key(a) == key(b)


@pytest.mark.parametrize(
    "short, long, expected",
    [
        ("LoRA", "Low-Rank Adaptation", True),
        ("RLHF", "Reinforcement Learning from Human Feedback", True),
        ("RLAIF", "Reinforcement Learning from AI Feedback", True),
        ("QLoRA", "Quantized LoRA", True),
        ("CoT", "Chain-of-Thought", True),
        ("vLLM", "Vectorized Large Language Models", True),
        ("DoRA", "Weight-Decomposed LoRA", False),
        ("GPT", "next-token prediction", False),
        ("AE", "Autoencoder", False),
    ],
)
def test_acronym_expansions(short, long, expected):
    assert spells(short, long) is expected


def test_stop_list_rejects_note_boilerplate():
    for junk in (
        "In short",
        "Examples",
        "Key insight",
        "other adapter-based fine-tuning methods",
        "emerging trends in alignment",
        "three-stage training pipeline",
        "<img src=x>",
        "doing",
    ):
        assert not plausible_term(junk), junk
    for term in ("gradient clipping", "KV cache", "in-context learning", "AdamW"):
        assert plausible_term(term), term


def test_question_subjects_and_comparisons():
    assert question_subject("What is *gradient clipping*, and why is it used?") == "gradient clipping"
    assert question_subject("What’s the KV cache and why is it needed?") == "KV cache"
    assert question_subject("What is the Bradley–Terry model originally?") == "Bradley–Terry model"
    assert question_subject("What are other adapter-based fine-tuning methods (e.g., DoRA)?") == ""
    assert question_subject("What’s the difference between LoRA and QLoRA?") == ""
    assert compared_parts("What’s the difference between LoRA and QLoRA?") == ["LoRA", "QLoRA"]
    assert compared_parts("Compare RLHF, DPO, RLAIF") == ["RLHF", "DPO", "RLAIF"]
    assert compared_parts("A Comparison Between General Attention vs. Self-Attention") == [
        "General Attention",
        "Self-Attention",
    ]
    assert compared_parts("When to use LoRA vs full fine-tuning?") == ["LoRA", "full fine-tuning"]


# --- discovery in notes -----------------------------------------------------------------------

NOTES = {
    "a.md": """# Adapters

## What is LoRA?

Low-Rank Adaptation (LoRA) trains two small matrices.

**In short:** it is cheap.

## What's QLoRA?

**QLoRA**, or *Quantized LoRA*, trains LoRA on a 4-bit base.

## Explain DPO

DPO (Direct Preference Optimization) uses the Bradley-Terry model.
The **Bradley–Terry model** is a model of pairwise preferences.

## Why RL?

We need Reinforcement Learning with Human Feedback (RLHF).
Reinforcement Learning from Human Feedback came later. **Examples**: none.
"""
}


def test_acronyms_both_ways_bold_or_form_and_alias_merging(tmp_path):
    graph, cards = graph_for(tmp_path, NOTES)
    concepts = graph.concepts
    assert {"LoRA", "QLoRA", "DPO", "RLHF"} <= set(concepts)
    assert "Low-Rank Adaptation" in concepts["LoRA"].aliases
    assert "Quantized LoRA" in concepts["QLoRA"].aliases
    assert "Direct Preference Optimization" in concepts["DPO"].aliases
    # "with" and "from" spellings are one concept; so are the dash and hyphen spellings.
    assert [name for name in concepts if "Reinforcement" in name] == []
    bradley = [name for name in concepts if "bradley" in name.lower()]
    assert len(bradley) == 1
    rlhf_cards = concepts["RLHF"].cards
    assert len(rlhf_cards) == 1 and rlhf_cards[0] == cards[3].guid


def test_junk_is_not_a_concept(tmp_path):
    graph, _ = graph_for(tmp_path, NOTES)
    lowered = {name.lower() for name in graph.concepts}
    assert not lowered & {"in short", "examples", "why rl"}


def test_concepts_record_where_they_are_defined_and_which_cards_mention_them(tmp_path):
    graph, cards = graph_for(tmp_path, NOTES)
    assert str(graph.concepts["LoRA"].defined_at) == "a.md:3"  # the "What is LoRA?" card
    assert str(graph.concepts["DPO"].defined_at) == "a.md:13"  # its acronym definition
    by_guid = {card.guid: card for card in cards}
    assert [by_guid[g].question for g in graph.concepts["LoRA"].cards] == ["What is LoRA?", "What's QLoRA?"]
    assert graph.concepts["LoRA"].sources == ("a.md:3", "a.md:9")


def test_question_subject_becomes_a_concept_with_its_definition(tmp_path):
    graph, _ = graph_for(tmp_path, {"b.md": "## What is gradient clipping?\n\nIt limits the gradient norm.\n"})
    concept = graph.concepts["gradient clipping"]
    assert concept.definition.startswith("It limits the gradient norm")
    assert str(concept.defined_at) == "b.md:1"


# --- registry ---------------------------------------------------------------------------------

REGISTRY = """# test registry
[concepts.LoRA]
aliases = ["Low-Rank Adaptation"]
topic = "fine-tuning"
definition = "Low-rank adapters."

[concepts."KV cache"]
topic = "inference"
uses = ["LoRA"]
"""


def test_registry_names_topics_and_definitions(tmp_path):
    graph, _ = graph_for(tmp_path, {"c.md": "## Caching\n\nThe kv-cache stores keys. LoRA is unrelated.\n"}, REGISTRY)
    assert graph.concepts["KV cache"].topic == "inference"
    assert graph.concepts["LoRA"].definition == "Low-rank adapters."
    declared = [r for r in graph.relations if r.type == "uses"]
    assert declared and declared[0].evidence[0].location == "declared in the registry"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('[concepts.LoRA]\ntopic = "x"\naliases = ["a",\n', 3, "not valid TOML"),
        ('[concepts.LoRA]\ntopic = "x"\n\n[concepts.QLoRA]\ncolour = "red"\n', 4, "unknown key 'colour'"),
        ('[concepts.QLoRA]\nextends = ["LoRa"]\n', 1, "'LoRa', which is not a concept"),
    ],
)
def test_broken_registry_is_a_clean_error_with_file_and_line(tmp_path, text, line, words):
    (tmp_path / "concepts.toml").write_text(text, encoding="utf-8")
    with pytest.raises(NoteError) as caught:
        load_registry(tmp_path)
    assert isinstance(caught.value, DeckgraphError)
    assert f"concepts.toml:{line}:" in caught.value.message and words in caught.value.message


def test_cli_reports_a_broken_registry_without_a_traceback(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("## What is LoRA?\n\nAdapters.\n", encoding="utf-8")
    (notes / "concepts.toml").write_text("[concepts.LoRA\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{notes / 'concepts.toml'}:1: not valid TOML" in result.output
    assert "Traceback" not in result.output


def test_annotating_cards_is_pure_and_fills_concepts_related_and_tags(tmp_path):
    graph, cards = graph_for(tmp_path, NOTES)
    annotated = annotate_cards(cards, graph)
    assert all(card.concepts == () for card in cards)  # the originals are untouched
    qlora = next(card for card in annotated if card.question == "What's QLoRA?")
    assert qlora.concepts == ("QLoRA", "LoRA")
    assert "QLoRA — extends LoRA" in qlora.related
    assert {"concept::qlora", "concept::lora"} <= set(qlora.tags)
    assert dataclasses.replace(qlora, concepts=(), related=(), tags=()) == dataclasses.replace(
        cards[1], concepts=(), related=(), tags=()
    )
