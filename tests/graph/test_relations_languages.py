"""Relations stated in sentences, in English and other languages, read precision first: the right
type and direction, the sentence and its line as evidence, nothing from a comparison with a
generic word or from advice. Fixtures in our own words; the vocabulary supplies the names."""

from __future__ import annotations

import pytest
from test_relations import edges_for


def notes_edges(tmp_path, text):
    """Typed edges the notes state (evidence at file:line), not the vocabulary's."""
    edges = edges_for(tmp_path, text, registry="")
    return {
        edge: evidence
        for edge, evidence in edges.items()
        if edge[2] != "related" and any(e["location"].startswith("n.md:") for e in evidence)
    }


@pytest.mark.parametrize(
    "note, edge",
    [
        ("## 笔记\n\nQLoRA 是 LoRA 的改进，显存更省。\n", ("LoRA", "QLoRA", "extends")),
        ("## 笔记\n\nLoRA 和 QLoRA 的区别在于量化。\n", ("LoRA", "QLoRA", "contrasts_with")),
        ("## 笔记\n\nTransformer 完全依赖于注意力机制。\n", ("Transformer", "attention mechanism", "uses")),
        ("## 메모\n\nDPO는 RLHF를 단순화한다.\n", ("RLHF", "DPO", "simplifies")),
        ("## メモ\n\nQLoRAはLoRAの改良である。\n", ("LoRA", "QLoRA", "extends")),
        (
            "## Ghi chú\n\nDeep learning là một nhánh của machine learning.\n",
            ("deep learning", "machine learning", "part_of"),
        ),
        (
            "## Notes\n\nLa différence entre LoRA et QLoRA tient à la quantification.\n",
            ("LoRA", "QLoRA", "contrasts_with"),
        ),
        ("## Notas\n\nQLoRA es una variante de LoRA con cuantización.\n", ("LoRA", "QLoRA", "variant_of")),
        (
            "## Notes\n\nUnlike logistic regression, linear regression has a closed form.\n",
            ("linear regression", "logistic regression", "contrasts_with"),
        ),
        ("## Notes\n\nGRU is a recurrent neural network with two gates.\n", ("RNN", "GRU", "variant_of")),
        (
            "## Notes\n\nThe Transformer block includes self-attention and a feed-forward network.\n",
            ("self-attention", "Transformer block", "part_of"),
        ),
        ("## Notes\n\nCosine similarity or Euclidean distance for embeddings?\n", None),
    ],
)
def test_a_stated_relation_is_one_typed_edge_with_its_sentence(tmp_path, note, edge):
    edges = notes_edges(tmp_path, note)
    if edge is None:
        return
    assert edge in edges, sorted(edges)
    assert edges[edge][0]["location"] == "n.md:3"


@pytest.mark.parametrize(
    "note",
    [
        "## GRU\n\nA gated recurrent unit. It trains faster than LSTM on short sequences.\n",
        "## What is a GRU?\n\nA gated recurrent unit, much cheaper to run than LSTM.\n",
        "## What is a GRU?\n\nA gated recurrent unit. Unlike LSTM it has no separate cell state.\n",
        "## 笔记\n\nGRU 比 LSTM 更快。\n",
        "## 메모\n\nGRU가 LSTM보다 빠른 이유는?\n",
        "## メモ\n\nGRUはLSTMより軽い。\n",
    ],
)
def test_a_comparative_weighs_the_subject_against_the_other(tmp_path, note):
    edges = notes_edges(tmp_path, note)
    assert ("GRU", "LSTM", "contrasts_with") in edges, sorted(edges)


def test_a_comparative_weighs_the_concept_its_clause_names_first(tmp_path):
    text = "## What is a GRU?\n\nA gated recurrent unit. Gates: an LSTM cell is slower to train than a GRU.\n"
    assert ("GRU", "LSTM", "contrasts_with") in notes_edges(tmp_path, text)
    text = "## What is an LSTM?\n\nA recurrent unit with gates. Here a GRU works better than a vanilla RNN.\n"
    edges = notes_edges(tmp_path, text)
    assert ("GRU", "RNN", "contrasts_with") in edges and ("LSTM", "RNN", "contrasts_with") not in edges


def test_a_definition_as_a_base_with_something_is_a_variant_that_uses_it(tmp_path):
    edges = notes_edges(tmp_path, "## Terms\n\n- **GRU** - LSTM with a single update gate, so it trains faster.\n")
    assert ("LSTM", "GRU", "variant_of") in edges and ("GRU", "update gate", "uses") in edges, sorted(edges)
    # Later in the answer, "with" is no definition: "LSTM with peepholes" there says nothing of GRU.
    later = "## Terms\n\n- **GRU** - a gated recurrent unit. LSTM with an update gate came first.\n"
    assert ("GRU", "update gate", "uses") not in notes_edges(tmp_path, later)


def test_a_name_written_as_a_base_with_something_is_a_variant_that_uses_it(tmp_path):
    text = "## Notes\n\nWe moved to Adam with decoupled weight decay. **Adam** alone was not stable: **decoupled weight decay** fixed it.\n"
    edges = notes_edges(tmp_path, text)
    assert ("Adam", "AdamW", "variant_of") in edges and ("AdamW", "decoupled weight decay", "uses") in edges


@pytest.mark.parametrize("asked", ["When should you prefer GRU over LSTM?", "Why would you choose GRU over LSTM?"])
def test_a_question_choosing_one_over_the_other_offers_an_alternative(tmp_path, asked):
    edges = notes_edges(tmp_path, f"## {asked}\n\nShort sequences and little memory.\n")
    assert ("LSTM", "GRU", "alternative_to") in edges, sorted(edges)


def test_rather_and_other_before_than_compare_nothing(tmp_path):
    edges = notes_edges(tmp_path, "## GRU\n\nA gated recurrent unit. Nothing other than LSTM came close.\n")
    assert ("GRU", "LSTM", "contrasts_with") not in edges


def test_a_choice_question_contrasts_the_two(tmp_path):
    edges = notes_edges(tmp_path, "## Cosine similarity or Euclidean distance for embeddings?\n\nCosine, mostly.\n")
    assert [kind for (_, _, kind) in edges] == ["contrasts_with"]


def test_a_comparison_with_a_generic_word_makes_nothing_and_never_uses(tmp_path):
    edges = notes_edges(tmp_path, "## When should you use BERT vs. a bigger model?\n\nWhen latency matters.\n")
    assert not [edge for edge in edges if "BERT" in edge[:2]]


def test_advice_and_a_subject_left_far_behind_state_nothing(tmp_path):
    text = (
        "## Activation functions\n\n"
        "Use leaky ReLU to avoid dead units.\n\n"
        "XGBoost adds a regularised objective to control overfitting.\n"
    )
    edges = notes_edges(tmp_path, text)
    assert not [e for e in edges if e[2] == "uses"], edges


@pytest.mark.parametrize(
    "note",
    [
        "## Ghi chú\n\nLoRA và QLoRA khác nhau ở chỗ lượng tử hóa.\n",
        "## Заметки\n\nЧем QLoRA отличается от LoRA? Квантованием.\n",
        "## Notizen\n\nWorin unterscheiden sich LoRA und QLoRA? In der Quantisierung.\n",
        "## Notas\n\n¿En qué se diferencia QLoRA de LoRA? En la cuantización.\n",
        "## Notes\n\nQLoRA diffère de LoRA par la quantification.\n",
    ],
)
def test_a_differ_verb_after_or_between_two_names_contrasts_them(tmp_path, note):
    edges = notes_edges(tmp_path, note)
    assert ("LoRA", "QLoRA", "contrasts_with") in edges, sorted(edges)
