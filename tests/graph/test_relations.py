"""Relations read from the text (one small note per pattern), the seed notes' graph, and its outputs."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from conftest import copy_seed_notes

from generator.build import build, parse_notes
from generator.config import BuildConfig
from generator.graph.link import build_graph
from generator.graph.registry import load_registry
from generator.identity.lockfile import Lockfile
from generator.identity.matching import assign_identities

SEED_NOTES = Path(__file__).resolve().parents[2] / "notes"

REGISTRY = """
[concepts.LoRA]
aliases = ["Low-Rank Adaptation"]
[concepts.QLoRA]
[concepts.DoRA]
[concepts.RLHF]
[concepts.DPO]
[concepts.PPO]
[concepts.SFT]
[concepts."reward model"]
aliases = ["reward modeling"]
[concepts."Bradley–Terry"]
aliases = ["Bradley–Terry model"]
[concepts.PEFT]
[concepts."pre-training"]
[concepts.Adam]
[concepts.AdamW]
[concepts.GQA]
[concepts.MQA]
[concepts.IPO]
"""


def edges_for(tmp_path: Path, text: str, registry: str = REGISTRY) -> dict[tuple[str, str, str], list[dict]]:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "n.md").write_text(text, encoding="utf-8")
    (notes / "concepts.toml").write_text(registry, encoding="utf-8")
    parsed, _ = parse_notes(BuildConfig(notes, tmp_path / "out"))
    cards = assign_identities([card for result in parsed for card in result.cards], Lockfile(Path("unused")), 0).cards
    graph = build_graph(cards, load_registry(notes), {"n.md": text})
    return {
        (r.source, r.target, r.type): [{"text": e.text, "location": e.location} for e in r.evidence]
        for r in graph.relations
    }


@pytest.mark.parametrize(
    "note, edge, line",
    [
        ("## Alignment\n\nDPO simplifies RLHF by dropping the RL loop.\n", ("RLHF", "DPO", "simplifies"), 3),
        ("## Q\n\nWhy?\n\n**RLHF** builds on top of SFT.\n", ("SFT", "RLHF", "extends"), 5),
        (
            "## Adapters\n\n**LoRA** trains adapters.\n\n**QLoRA**, or *Quantized LoRA*, takes this a step further.\n",
            ("LoRA", "QLoRA", "extends"),
            5,
        ),
        ("## Optimizers\n\n**AdamW** is a variant of the **Adam optimizer**.\n", ("Adam", "AdamW", "variant_of"), 3),
        ("## LoRA\n\nLoRA (Low-Rank Adaptation), a type of PEFT.\n", ("PEFT", "LoRA", "variant_of"), 3),
        ("## Alignment\n\nRLHF trains the policy with RL (usually with PPO).\n", ("RLHF", "PPO", "uses"), 3),
        ("## RLHF\n\n* Train a reward model using these ratings.\n", ("RLHF", "reward model", "uses"), 3),
        ("## Training\n\nThe pipeline: pre-training → SFT → RLHF.\n", ("pre-training", "SFT", "precedes"), 3),
        ("## Training\n\nThe pipeline: pre-training → SFT → RLHF.\n", ("SFT", "RLHF", "precedes"), 3),
        ("## Short\n\n- RLHF → reward model + PPO optimization\n", ("RLHF", "reward model", "uses"), 3),
        ("## What's the difference between LoRA and QLoRA?\n\nMemory.\n", ("LoRA", "QLoRA", "contrasts_with"), 1),
        ("## When to use LoRA vs DoRA?\n\nMostly LoRA.\n", ("DoRA", "LoRA", "contrasts_with"), 1),
        ("## PEFT\n\n**PEFT** saves memory.\n- Examples: LoRA, DoRA\n", ("PEFT", "DoRA", "variant_of"), 4),
        ("## What's GQA?\n\n**GQA**: groups.\n- **MQA**: Extreme case, one head.\n", ("GQA", "MQA", "variant_of"), 4),
        (
            "## More adapters\n\nBeyond LoRA and QLoRA:\n- **DoRA (Weight-Decomposed LoRA)**: direction.\n",
            ("QLoRA", "DoRA", "extends"),
            4,
        ),
        ("## New\n\n- **IPO**: unifies RLHF and DPO.\n", ("DPO", "IPO", "extends"), 3),
        (
            "## What's the Bradley-Terry model for reward modeling?\n\nA model.\n",
            ("reward model", "Bradley–Terry", "uses"),
            1,
        ),
    ],
)
def test_each_pattern_gives_a_typed_edge_with_its_sentence(tmp_path, note, edge, line):
    edges = edges_for(tmp_path, note)
    assert edge in edges, sorted(e for e in edges if e[2] != "related")
    assert edges[edge][0]["location"] == f"n.md:{line}"
    assert edges[edge][0]["text"]


def test_names_that_contain_a_concept_extend_it(tmp_path):
    edges = edges_for(tmp_path, "## Adapters\n\nLoRA, QLoRA and DoRA (Weight-Decomposed LoRA); Adam, AdamW.\n")
    assert ("LoRA", "DoRA", "extends") in edges
    assert "Weight-Decomposed LoRA" in edges[("LoRA", "DoRA", "extends")][0]["text"]
    assert ("LoRA", "QLoRA", "extends") in edges
    assert ("Adam", "AdamW", "extends") in edges


def test_negated_and_shared_subjects_give_no_edge(tmp_path):
    edges = edges_for(
        tmp_path,
        "## DPO\n\nInstead of training a reward model and using PPO, DPO optimizes directly.\n"
        "\n- DPO → simpler learning (no reward model)\n\nBoth use PPO.\n",
    )
    assert not [e for e in edges if e[0] == "DPO" and e[2] in ("uses", "precedes")]


def test_a_coordinated_clause_has_its_own_subject(tmp_path):
    # "LoRA" starts a clause of its own after "and": it is no second object of "builds on".
    edges = edges_for(tmp_path, "## Adapters\n\nPEFT builds on pre-training and LoRA is a type of PEFT.\n")
    typed = {e for e in edges if e[2] != "related"}
    assert ("pre-training", "PEFT", "extends") in typed
    assert ("PEFT", "LoRA", "variant_of") in typed
    assert ("LoRA", "PEFT", "extends") not in typed


def test_co_mentions_are_weighted_related_edges(tmp_path):
    edges = edges_for(tmp_path, "## A\n\nLoRA and PEFT.\n\n## B\n\nPEFT, LoRA again.\n")
    related = edges[("LoRA", "PEFT", "related")]
    assert [e["location"] for e in related] == ["n.md:1", "n.md:5"]


def test_registry_declarations_fill_gaps_and_say_so(tmp_path):
    registry = REGISTRY.replace("[concepts.MQA]", '[concepts.MQA]\nvariant_of = ["GQA"]')
    edges = edges_for(tmp_path, "## A\n\nGQA and MQA.\n", registry)
    assert edges[("GQA", "MQA", "variant_of")] == [
        {"text": "MQA variant of GQA", "location": "declared in the registry"}
    ]


# --- the seed notes ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_graph():
    config = BuildConfig(SEED_NOTES, Path("/nonexistent"))
    parsed, _ = parse_notes(config)
    cards = assign_identities([card for result in parsed for card in result.cards], Lockfile(Path("unused")), 0).cards
    texts = {p.path: (SEED_NOTES / p.path).read_text(encoding="utf-8") for p in parsed}
    graph = build_graph(cards, load_registry(SEED_NOTES), texts)
    return graph, graph.to_networkx()


LINEAGE = ("extends", "variant_of", "simplifies", "alternative_to", "precedes")


def _typed(g: nx.MultiDiGraph, a: str, b: str, types=LINEAGE) -> list[dict]:
    return [data for key, data in (g.get_edge_data(a, b) or {}).items() if key in types]


def _has_evidence(edges: list[dict]) -> bool:
    return any(
        e["location"] == "declared in the registry" or ".md:" in e["location"]
        for data in edges
        for e in data["evidence"]
    )


@pytest.mark.parametrize(
    "chain",
    [
        ("LoRA", "QLoRA", "DoRA"),
        ("RLHF", "DPO", "RLAIF"),
        ("PEFT", "LoRA"),
        ("SFT", "RLHF"),
        ("Adam", "AdamW"),
        ("multi-head attention", "GQA", "MQA"),
    ],
)
def test_seed_lineages_are_directed_paths_with_evidence(seed_graph, chain):
    _, g = seed_graph
    for a, b in zip(chain, chain[1:]):
        edges = _typed(g, a, b)
        assert edges, f"no lineage edge {a} → {b}"
        assert _has_evidence(edges)


@pytest.mark.parametrize(
    "user, used",
    [
        ("RLHF", "PPO"),
        ("RLHF", "reward model"),
        ("DPO", "Bradley–Terry"),
        ("reward model", "Bradley–Terry"),
    ],
)
def test_seed_uses_edges_come_from_the_text(seed_graph, user, used):
    _, g = seed_graph
    edges = _typed(g, user, used, ("uses",))
    assert edges and all(".md:" in e["location"] for data in edges for e in data["evidence"])


def test_seed_lineages_found_in_text_not_only_declared(seed_graph):
    _, g = seed_graph
    for a, b in [
        ("LoRA", "QLoRA"),
        ("QLoRA", "DoRA"),
        ("RLHF", "DPO"),
        ("PEFT", "LoRA"),
        ("SFT", "RLHF"),
        ("Adam", "AdamW"),
        ("GQA", "MQA"),
    ]:
        locations = [e["location"] for data in _typed(g, a, b) for e in data["evidence"]]
        assert any(".md:" in where for where in locations), (a, b, locations)


def test_seed_concepts_cover_the_registry_and_avoid_junk(seed_graph):
    graph, _ = seed_graph
    for name in (
        "LoRA",
        "QLoRA",
        "DoRA",
        "PEFT",
        "RLHF",
        "DPO",
        "RLAIF",
        "IPO",
        "Constitutional AI",
        "PPO",
        "reward model",
        "KL penalty",
        "Bradley–Terry",
        "SFT",
        "instruction tuning",
        "Adam",
        "AdamW",
        "warmup",
        "cosine decay",
        "gradient clipping",
        "KV cache",
        "GQA",
        "MQA",
        "RoPE",
        "Chinchilla scaling",
        "vLLM",
        "sglang",
        "TensorRT",
        "quantization",
        "NF4",
        "pre-training",
        "in-context learning",
        "catastrophic forgetting",
        "reward hacking",
        "CoT",
    ):
        assert name in graph.concepts, name
        assert graph.concepts[name].cards
    lowered = {name.lower() for name in graph.concepts}
    assert not lowered & {"in short", "examples", "key insight", "result", "why needed", "description"}


# --- outputs ----------------------------------------------------------------------------------


def test_build_writes_deterministic_graph_json_and_links_cards(tmp_path):
    notes = tmp_path / "notes"
    copy_seed_notes(notes)
    outputs = [tmp_path / "one", tmp_path / "two"]
    reports = [build(BuildConfig(notes, out)) for out in outputs]
    for name in ("graph.json", "concept-map.html"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes()
        assert outputs[0] / name in reports[0].outputs and outputs[0] / name in reports[0].written
    again = build(BuildConfig(notes, outputs[0]))
    assert again.written == []  # unchanged bytes are not rewritten
    data = json.loads((outputs[0] / "graph.json").read_text(encoding="utf-8"))
    assert set(data) >= {"nodes", "edges", "directed", "multigraph"}
    lora = next(node for node in data["nodes"] if node["id"] == "LoRA")
    assert {"label", "aliases", "topic", "definition", "cards", "sources"} <= set(lora)
    assert lora["cards"] and all(isinstance(guid, str) for guid in lora["cards"])
    edge = next(e for e in data["edges"] if (e["source"], e["target"], e["type"]) == ("LoRA", "QLoRA", "extends"))
    assert edge["weight"] >= 1 and edge["evidence"][0]["location"].startswith("optimization-alignment-qa.md:")
    cards = reports[0].cards
    qlora = [card for card in cards if "QLoRA" in card.concepts]
    assert any("QLoRA — extends LoRA" in card.related for card in qlora)
    assert all("concept::qlora" in card.tags for card in qlora)


def test_notes_without_concepts_still_build_an_empty_map(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("## Why?\n\nbecause.\n", encoding="utf-8")
    report = build(BuildConfig(notes, tmp_path / "out"))
    data = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    assert data["nodes"] == [] and data["edges"] == []
    assert (tmp_path / "out" / "concept-map.html") in report.written


def test_a_trade_off_weighs_two_sides_and_contrasts_nothing(tmp_path):
    edges = edges_for(tmp_path, "## Tuning\n\n- Trade-offs: LoRA vs QLoRA (memory, speed)\n- LoRA vs DoRA\n")
    assert ("DoRA", "LoRA", "contrasts_with") in edges
    assert ("LoRA", "QLoRA", "contrasts_with") not in edges


def test_the_concepts_a_question_compares_by_a_shared_head_noun_are_nodes(tmp_path):
    registry = '[concepts."pointwise ranking"]\n[concepts."pairwise ranking"]\n[concepts."listwise ranking"]\n'
    edges = edges_for(
        tmp_path,
        "## Ranking\n\n**Q: What's the difference between pointwise, pairwise, and listwise ranking?**\n"
        "A: Pointwise scores single documents; pairwise compares pairs; listwise orders the list.\n",
        registry,
    )
    assert ("pairwise ranking", "pointwise ranking", "contrasts_with") in edges
    assert ("listwise ranking", "pairwise ranking", "contrasts_with") in edges


@pytest.mark.parametrize(
    "note",
    [
        "## Dense vs sparse\n\nDense retrieval embeds the query; sparse retrieval matches its terms.\n",
        "## Dense or sparse for product search?\n\nDense retrieval for meaning, sparse retrieval for exact names.\n",
    ],
)
def test_a_compared_word_stands_for_the_longer_name_its_card_writes(tmp_path, note):
    edges = edges_for(tmp_path, note, registry="")
    assert ("dense retrieval", "sparse retrieval", "contrasts_with") in edges


@pytest.mark.parametrize(
    "note, edge",
    [
        # A phrase before the main clause: its subject comes after the comma.
        ("## Alignment\n\nTo keep things simple, DPO simplifies RLHF.\n", ("RLHF", "DPO", "simplifies")),
        (
            "## Alignment\n\nRather than fitting a reward model, DPO uses preference pairs directly.\n",
            ("DPO", "preference data", "uses"),
        ),
        # A definition's sentence without a subject, or 'X is used for Y': Y uses X.
        ("## Reward model\n\nA scorer of answers. Used for RLHF and for ranking.\n", ("RLHF", "reward model", "uses")),
        ("## Notes\n\nPPO is often used in RLHF.\n", ("RLHF", "PPO", "uses")),
        # 'An alternative … is Y' about the card's concept, or 'an alternative to X is Y'.
        ("## PPO\n\nIt clips updates. An alternative preference method is DPO.\n", ("PPO", "DPO", "alternative_to")),
        ("## Notes\n\nA simpler alternative to PPO is DPO.\n", ("PPO", "DPO", "alternative_to")),
        # A list announced as alternatives to what was just described.
        (
            "## Alignment\n\nRLHF trains a reward model first.\n\nSome alternative methods are:\n\n- DPO: pairs.\n- IPO: too.\n",
            ("RLHF", "IPO", "alternative_to"),
        ),
    ],
)
def test_more_ways_sentences_state_relations(tmp_path, note, edge):
    edges = edges_for(tmp_path, note)
    assert edge in edges, sorted(e for e in edges if e[2] != "related")
    assert any(evidence["location"].startswith("n.md:") for evidence in edges[edge])


def test_one_instance_of_a_kind_is_not_the_concept_used(tmp_path):
    registry = REGISTRY + '[concepts."LLM judge"]\n[concepts."language model"]\n'
    edges = edges_for(tmp_path, "## LLM judge\n\nUsing one language model to grade another.\n", registry)
    assert ("LLM judge", "language model", "uses") not in edges
