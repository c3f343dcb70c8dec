"""When a concept of the built-in vocabulary is a subject of the notes (a node) and when it is only
named in passing: fixtures in our own words, each a long answer that names it once unless a note-taker
signals it as a subject."""

from __future__ import annotations

import pytest
from test_discovery import graph_of

from generator.graph.salience import SHORT_ANSWER, _line_leads, answer_words

FILLER = (
    "The team met on a quiet morning and wrote down what each person had noticed during the week. "
    "Nobody was in a hurry, so the notes grew long and wandered from one small story to the next. "
) * 3
"""About ninety words that name no concept: an answer this long holds passing mentions."""


def test_the_filler_is_a_long_answer_that_names_nothing(tmp_path):
    assert answer_words(FILLER) > SHORT_ANSWER
    assert not graph_of(tmp_path, f"## Weekly review\n\n{FILLER}\n").concepts


def test_a_concept_named_once_in_a_long_answer_is_a_passing_mention(tmp_path):
    graph = graph_of(tmp_path, f"## Weekly review\n\n{FILLER} Someone mentioned gradient clipping over lunch.\n")
    assert "gradient clipping" not in graph.concepts
    assert all("gradient clipping" not in names for names in graph.card_concepts.values())


def test_every_concept_a_short_answer_names_is_part_of_the_answer(tmp_path):
    graph = graph_of(tmp_path, "## How do you keep updates stable?\n\nClip them: gradient clipping caps the norm.\n")
    assert "gradient clipping" in graph.concepts


@pytest.mark.parametrize(
    "where",
    [
        "## Why does gradient clipping help?\n\n{filler}\n",  # the question
        "## Weekly review\n\n{filler} We kept **gradient clipping** on.\n",  # bold, the whole name
        "## Weekly review\n\n{filler}\n\n- Gradient clipping: it stayed on all week.\n",  # a line's lead
        "## Weekly review\n\n{filler} Gradient clipping stayed on.\n",  # the subject a sentence opens with
        "## Weekly review\n\n{filler} The fix was not new: it is a gradient clipping rule.\n",  # what a thing is
        "## Weekly review\n\n{filler} We turned on gradient clipping.\n\n## Next week\n\n{filler} And gradient "
        "clipping again.\n",  # named in two cards
    ],
)
def test_a_note_taker_signals_a_subject(tmp_path, where):
    assert "gradient clipping" in graph_of(tmp_path, where.format(filler=FILLER)).concepts


def test_what_the_vocabulary_relates_to_the_cards_subject_explains_it(tmp_path):
    graph = graph_of(tmp_path, f"## Adam\n\n{FILLER} Some people prefer AdamW.\n")
    assert "AdamW" in graph.concepts
    graph = graph_of(tmp_path, f"## Adam\n\n{FILLER} Some people prefer gradient clipping.\n")
    assert "gradient clipping" not in graph.concepts


def test_an_end_of_a_relation_the_notes_state_is_a_subject(tmp_path):
    text = f"## Weekly review\n\n{FILLER} AdamW is a variant of the Adam optimizer.\n"
    graph = graph_of(tmp_path, text)
    assert ("Adam", "AdamW", "variant_of") in {(r.source, r.target, r.type) for r in graph.relations}


def test_an_everyday_word_is_a_term_only_as_a_whole_heading_or_in_a_question(tmp_path):
    inside = graph_of(tmp_path, f"## Advanced Features\n\n{FILLER}\n")
    assert "feature" not in inside.concepts
    whole = graph_of(tmp_path, f"## Recall\n\n{FILLER}\n")
    assert "recall" in whole.concepts
    asked = graph_of(tmp_path, f"## When is recall the metric to watch?\n\n{FILLER}\n")
    assert "recall" in asked.concepts
    verb = graph_of(tmp_path, f"## How to sample the queue fairly?\n\n{FILLER}\n")
    assert "sample" not in verb.concepts


def test_a_bold_phrase_that_only_contains_a_concept_does_not_make_it_a_subject(tmp_path):
    graph = graph_of(tmp_path, f"## Weekly review\n\n{FILLER} **Tuning the learning rate schedule** took a day.\n")
    assert "learning rate schedule" not in graph.concepts


@pytest.mark.parametrize(
    "answer, words",
    [
        ("Clip the gradient norm.", 4),
        ("```python\nclip(grad, 1.0)\n```\nClip it.", 2),
        ("梯度裁剪限制梯度的范数", 6),
    ],
)
def test_answer_length_leaves_code_out_and_counts_two_cjk_characters_a_word(answer, words):
    assert answer_words(answer) == words


def test_a_numbered_question_and_its_marked_answer_are_read_once(tmp_path):
    """The card holds "What is …?" and its answer without "Q1." and "A:": the note's lines are the
    card's, not passages beside it, so a name in them is named in one place, not two."""
    text = f"### Q1. Why did the run diverge?\n\n**A:** {FILLER} Nobody had turned on gradient clipping.\n"
    graph = graph_of(tmp_path, text)
    assert "gradient clipping" not in graph.concepts


def test_a_concept_named_once_in_a_small_file_is_not_what_the_file_is_about(tmp_path):
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    sections = [f"## {day} review\n\n{FILLER}\n" for day in days]
    sections[2] = f"## Wednesday review\n\n{FILLER} Someone mentioned gradient clipping over lunch.\n"
    assert "gradient clipping" not in graph_of(tmp_path, "\n".join(sections)).concepts
    sections[4] = f"## Friday review\n\n{FILLER} At lunch gradient clipping came up again, in passing.\n"
    assert "gradient clipping" in graph_of(tmp_path, "\n".join(sections)).concepts


@pytest.mark.parametrize(
    "answer, leads",
    [
        ("- Key vectors: what each token offers\n- Values — what it passes on", ["Key vectors", "Values"]),
        ("1. Range:  0 to 1", ["Range"]),
        ("Lists follow\n- one item\n- another", []),  # a line before a list leads nothing
        ("a: too short to be a name", []),
        ("x" * 90 + ": too long to be a name", []),
    ],
)
def test_a_line_leads_with_what_comes_before_its_colon_or_dash(answer, leads):
    assert _line_leads(answer) == leads


def test_a_hard_wrapped_line_does_not_open_a_sentence(tmp_path):
    # An editor wrapped this paragraph at about eighty characters: "gradient clipping" starts a line
    # but is in the middle of a sentence, so it is a passing mention.
    wrapped = (
        f"## Weekly review\n\n{FILLER}\nThe team compared a few ways of keeping the updates small, such as\n"
        "gradient clipping, and kept the simplest.\n"
    )
    assert "gradient clipping" not in graph_of(tmp_path, wrapped).concepts
    # After a sentence's end, or as a list item, the same line opens a sentence.
    ended = f"## Weekly review\n\n{FILLER}\nThe team compared a few ways of keeping the updates small.\nGradient clipping stayed on.\n"
    assert "gradient clipping" in graph_of(tmp_path, ended).concepts
    listed = f"## Weekly review\n\n{FILLER}\nThe team compared a few ways of keeping the updates small, such as\n- gradient clipping\n"
    assert "gradient clipping" in graph_of(tmp_path, listed).concepts


def test_a_line_of_code_does_not_open_a_sentence(tmp_path):
    code = f"## Weekly review\n\n{FILLER}\n\n```python\nlayer = build(width=64)\ntokenizer = load_vocab(path)\n```\n"
    assert "tokenizer" not in graph_of(tmp_path, code).concepts
    prose = f"## Weekly review\n\n{FILLER}\n\nA tokenizer splits the words.\n"
    assert "tokenizer" in graph_of(tmp_path, prose).concepts
    # Some people write their notes inside plain-text fences: those lines are sentences.
    plain = f"## Weekly review\n\n{FILLER}\n\n```text\nA tokenizer splits the words.\n```\n"
    assert "tokenizer" in graph_of(tmp_path, plain).concepts


def test_a_name_in_another_language_that_is_an_everyday_english_word_is_weak(tmp_path):
    # French calls a distance metric "distance": in an English short answer it is just a word.
    graph = graph_of(tmp_path, "## How far is the lake?\n\nThe distance is about two miles on foot.\n")
    assert "distance metric" not in graph.concepts


def test_a_name_with_a_sign_or_digit_in_its_word_is_no_everyday_word(tmp_path):
    # "recall" alone is everyday English; "recall@k" is a metric's name wherever it stands.
    text = "## How were the two searches compared?\n\n- Offline: recall@k on a held-out set of queries.\n"
    assert "recall@k" in graph_of(tmp_path, text).concepts
    assert "recall" not in graph_of(tmp_path, text.replace("recall@k", "recall")).concepts


def test_a_heading_over_cards_is_no_passing_mention(tmp_path):
    # A heading that holds only cards is their section: what it names is the subject of each of them.
    text = "## Learning rate schedules\n\n- **Warmup** - raise it slowly at first.\n- **Step decay** - cut it by ten.\n"
    assert "learning rate schedule" in graph_of(tmp_path, text).concepts


def test_an_everyday_word_in_brackets_after_a_description_names_the_term(tmp_path):
    glossed = "## How do you pick k?\n\nPlot the summed squared distances to the centroids (inertia) for each k.\n"
    assert "within-cluster sum of squares" in graph_of(tmp_path, glossed).concepts
    worded = "## How do you pick k?\n\nPlot how the inertia of the clusters changes for each k.\n"
    assert "within-cluster sum of squares" not in graph_of(tmp_path, worded).concepts
    # Named once in a long answer, a gloss is still a passing mention.
    passing = f"## Weekly review\n\n{FILLER} We plotted squared distances (inertia).\n"
    assert "within-cluster sum of squares" not in graph_of(tmp_path, passing).concepts


def test_what_a_files_title_names_is_what_the_file_is_about(tmp_path):
    titled = f"# Week 4 — Tokenization\n\n## From text to ids\n\n{FILLER}\n"
    assert "tokenization" in graph_of(tmp_path, titled).concepts
    # A field the title names is background unless the notes teach it.
    field = f"# Machine learning notes\n\n## From text to ids\n\n{FILLER}\n"
    assert "machine learning" not in graph_of(tmp_path, field).concepts


def test_a_table_cell_that_is_a_name_names_a_term(tmp_path):
    table = "| | Lasso | Ridge |\n|---|---|---|\n| Good for | {cell} | shrinking weights |\n"
    named = graph_of(tmp_path, f"## Weekly review\n\n{FILLER}\n\n{table.format(cell='feature selection')}")
    assert "feature selection" in named.concepts
    # An everyday word alone in a cell labels an aspect, as a line's lead does.
    aspect = graph_of(tmp_path, f"## Weekly review\n\n{FILLER}\n\n{table.format(cell='feature')}")
    assert "feature" not in aspect.concepts


def test_italics_stress_an_everyday_word_bold_names_a_term(tmp_path):
    stressed = graph_of(tmp_path, f"## Weekly review\n\n{FILLER} Nobody could *recall* the old plan.\n")
    assert "recall" not in stressed.concepts
    named = graph_of(tmp_path, f"## Weekly review\n\n{FILLER} We reported **recall** for each class.\n")
    assert "recall" in named.concepts


def test_a_name_broken_by_a_hard_wrap_is_one_name(tmp_path):
    wrapped = (
        "## How do you keep updates stable?\n\nMost runs we looked at this month kept their updates small with gradient\n"
        "clipping, which caps the norm of each step before it is applied.\n"
    )
    assert "gradient clipping" in graph_of(tmp_path, wrapped).concepts
    listed = "## Tricks\n\n- Gradient\n- clipping the norm\n"  # two list items are two lines
    assert "gradient clipping" not in graph_of(tmp_path, listed).concepts
