"""Which terms become concepts: the vocabulary's when the notes name them, the notes' own defined
terms (glossaries, 'what is' questions in any language), never a common word, adjective or heading
phrase. Fixtures in our own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import parse_notes
from generator.config import BuildConfig
from generator.graph.link import ConceptGraph, build_graph
from generator.graph.registry import load_registry
from generator.identity.lockfile import Lockfile
from generator.identity.matching import assign_identities


def graph_of(tmp_path: Path, text: str) -> ConceptGraph:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "n.md").write_text(text, encoding="utf-8")
    parsed, _ = parse_notes(BuildConfig(notes, tmp_path / "out"))
    cards = assign_identities([card for result in parsed for card in result.cards], Lockfile(Path("unused")), 0).cards
    return build_graph(cards, load_registry(notes), {"n.md": text}, files={"n.md": "x"})


GLOSSARY = """# Terms we use

## Glossary

### Shadow Scoring
Running a candidate scorer beside the live one without showing its output to users.

### Drift Budget
How much a metric may move between releases before someone must look.

### Canary Slice
A small share of traffic that sees a change first.

### Triage Queue
The list of failures waiting for a person to label them.
"""


def test_glossary_headings_define_their_terms(tmp_path):
    concepts = graph_of(tmp_path, GLOSSARY).concepts
    assert {"Shadow Scoring", "Drift Budget", "Canary Slice", "Triage Queue"} <= set(concepts)
    assert concepts["Drift Budget"].definition.startswith("How much a metric may move")


def test_sections_headed_by_topics_or_everyday_words_are_no_glossary(tmp_path):
    text = "# Course\n\n## Parts\n\n" + "".join(
        f"### {title}\nSome words about the course for this part, long enough to be a body.\n\n"
        for title in ("Motivation", "Basics", "Estimation of Coefficients", "Next Steps", "Linux")
    )
    names = set(graph_of(tmp_path, text).concepts)
    assert not names & {"Motivation", "Basics", "Estimation of Coefficients", "Next Steps", "Linux"}


@pytest.mark.parametrize(
    "text, never",
    [
        ("## What is hard?\n\nMany things are hard.\n", {"hard"}),
        (
            "## Generative vs discriminative\n\nOne models the joint, one the boundary.\n",
            {"Generative", "discriminative"},
        ),
        (
            "## What is the role of layer normalization?\n\nIt keeps activations stable.\n",
            {"role of layer normalization"},
        ),
        ("## What is perplexity used for?\n\nComparing language models.\n", {"perplexity used for"}),
    ],
)
def test_never_an_adjective_a_common_word_or_a_heading_phrase(tmp_path, text, never):
    names = {name.lower() for name in graph_of(tmp_path, text).concepts}
    assert not {n.lower() for n in never} & names


def test_the_thing_inside_a_heading_phrase_is_still_found(tmp_path):
    names = set(
        graph_of(tmp_path, "## What is the role of layer normalization?\n\nIt keeps activations stable.\n").concepts
    )
    assert "layer normalization" in names


def test_a_field_named_in_passing_is_background_but_a_card_about_it_is_a_node(tmp_path):
    passing = graph_of(tmp_path, "## Bagging\n\nA machine learning trick: average models fit on bootstrap samples.\n")
    assert "bagging" in passing.concepts and "machine learning" not in passing.concepts
    asked = graph_of(tmp_path, "## What is machine learning?\n\nPrograms that improve with data.\n")
    assert "machine learning" in asked.concepts


def test_text_outside_any_card_is_read_too(tmp_path):
    text = (
        "# Notes\n\nThese notes cover Low-Rank Adaptation (LoRA), the Bloom filter and t-SNE.\n\n"
        "Later parts come back to the Bloom filter.\n\n## Q\n\nWhy?\n"
    )
    names = set(graph_of(tmp_path, text).concepts)
    assert {"LoRA", "Bloom filter"} <= names  # defined there, or named twice
    assert "t-SNE" not in names  # named once in passing, outside any card


@pytest.mark.parametrize(
    "text, term",
    [
        ("## 什么是影子评分？\n\n影子评分就是在后台运行新模型而不给用户看结果。\n", "影子评分"),
        ("## 그림자 채점이란 무엇인가?\n\n새 모델을 뒤에서 돌려 보는 방법이다.\n", "그림자 채점"),
        ("## Chấm điểm bóng là gì?\n\nChạy mô hình mới song song mà không hiển thị kết quả.\n", "Chấm điểm bóng"),
        ("## Qu'est-ce que le score fantôme ?\n\nOn fait tourner le nouveau modèle en silence.\n", "score fantôme"),
    ],
)
def test_what_is_questions_in_other_languages_define_new_terms(tmp_path, text, term):
    assert term in graph_of(tmp_path, text).concepts


def test_the_language_named_on_a_code_fence_is_no_mention(tmp_path):
    # Every card of the file opens a fence marked python: still no card says a word about Python.
    text = "".join(
        f"## How do I {verb} a column?\n\n```python\nframe['price'].{verb}()\n```\n\nCall {verb} on it.\n\n"
        for verb in ("sum", "count", "sort", "clip", "round")
    )
    assert "Python" not in graph_of(tmp_path, text).concepts


def test_headings_that_say_what_to_do_or_what_follows_are_no_glossary_terms(tmp_path):
    text = "# Ranking notes\n\n" + "".join(
        f"## {title}\nA few words about it, long enough to be the body of a section.\n\n"
        for title in (
            "Shadow Scoring",
            "Drift Budget",
            "Canary Slice",
            "Triage Queue",
            "Choosing a window",
            "Pipeline description",
        )
    )
    names = set(graph_of(tmp_path, text).concepts)
    assert {"Shadow Scoring", "Drift Budget", "Canary Slice", "Triage Queue"} <= names
    assert not names & {"Choosing a window", "Pipeline description"}


def test_a_bold_term_is_defined_only_as_the_subject_of_its_clause(tmp_path):
    text = (
        "## Variables\n\n"
        "- The queue time at a **Harbor Deli** is an example of a continuous variable.\n"
        "- A **shadow test** is a release that runs beside the live one.\n"
        "- **Stability under reordering** means that shuffling rows leaves the result alone.\n"
    )
    names = {name.lower() for name in graph_of(tmp_path, text).concepts}
    assert "shadow test" in names
    assert not names & {"harbor deli", "stability under reordering"}


def test_an_answer_under_a_bare_answer_line_is_read_once_as_its_card(tmp_path):
    # "**Answer:**" alone on its line is held by no card (the parser drops it): the lines after it
    # are the card's answer, not a passage beside it, so a name there is named once, not twice.
    filler = "We went through the logs line by line and talked about what had changed in the setup. " * 8
    text = (
        f"**1. Why did the loss blow up?**\n\n**Answer:**\n* {filler}\n* In the end it was missing gradient clipping.\n"
    )
    graph = graph_of(tmp_path, text)
    assert "gradient clipping" not in graph.concepts


@pytest.mark.parametrize(
    "question",
    [
        "## What are skewness and kurtosis?",
        "## 热启动和冷启动分别指什么？",
    ],
)
def test_a_question_about_two_things_makes_no_concept_of_both_together(tmp_path, question):
    graph = graph_of(tmp_path, f"{question}\n\nOne reuses the last weights, the other begins from scratch.\n")
    assert not [name for name in graph.concepts if " and " in name or "和" in name], sorted(graph.concepts)
