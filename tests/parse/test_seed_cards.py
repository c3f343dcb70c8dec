"""The seed notes give the cards a careful reader expects, and none of the junk."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = json.loads((FIXTURES / "seed-cards.json").read_text(encoding="utf-8"))
FILES = [name for name in EXPECTED if not name.startswith("_")]


def normal(text: str) -> str:
    text = re.sub(r"[\u2010-\u2015]", "-", text.lower()).replace("’", "'")
    return " ".join(re.sub(r"[^\w\s'&-]", " ", text).split())


def fronts(report, file_name):
    return [card.question for card in report.cards if card.location.path == file_name]


def matches(expected: str, front: str) -> bool:
    """'What is X?' for a heading 'X' is fine: the expected words must all be in the front."""
    want, have = normal(expected), normal(front)
    return want == have or want in have


@pytest.mark.parametrize("file_name", FILES)
def test_every_expected_question_is_a_card(seed_build, file_name):
    report, _ = seed_build
    have = fronts(report, file_name)
    missing = [q for q in EXPECTED[file_name]["questions"] if not any(matches(q, f) for f in have)]
    assert not missing, f"{file_name}: no card for {missing}; fronts were {have}"


@pytest.mark.parametrize("file_name", FILES)
def test_no_junk_card(seed_build, file_name):
    report, _ = seed_build
    junk = {normal(j) for j in EXPECTED[file_name]["junk"]}
    bad = [f for f in fronts(report, file_name) if normal(f) in junk]
    assert not bad, f"{file_name}: junk cards {bad}"


def test_each_question_is_exactly_one_card(seed_build):
    report, _ = seed_build
    expected_total = sum(len(EXPECTED[name]["questions"]) for name in FILES)
    seen = {}
    for name in FILES:
        for question in EXPECTED[name]["questions"]:
            hits = [f for f in fronts(report, name) if normal(f) == normal(question)]
            seen[question] = len(hits)
    assert all(count <= 1 for count in seen.values()), {q: n for q, n in seen.items() if n > 1}
    assert len(report.cards) >= expected_total


def test_cards_keep_source_line_and_heading_path(seed_build):
    report, _ = seed_build
    card = next(c for c in report.cards if c.question.startswith("Why do we need RLHF after pre-training"))
    assert str(card.location) == "training-finetuning-qa.md:365"
    assert card.heading_path == ("Part 3: Alignment & RLHF",)
    assert card.deck == "LLM Training & Fine-tuning - Interview Q&A"


def test_answer_marker_is_not_in_the_answer(seed_build):
    report, _ = seed_build
    adamw = next(c for c in report.cards if c.question.startswith("What is AdamW"))
    assert "A:" not in adamw.answer_html.split("AdamW")[0]
    assert adamw.answer_html.startswith("<p><strong>AdamW</strong> is a variant")


def test_interview_focus_list_gives_one_card_per_question(seed_build):
    report, _ = seed_build
    focus = [c for c in report.cards if c.heading_path and "Interview Focus" in c.heading_path[-1]]
    assert [c.question for c in focus] == [
        "What is the difference between a Base Model and a Chat Model?",
        "Why is RLHF hard?",
        "Explain Chinchilla Scaling.",
    ]
    assert "Reward hacking" in focus[1].answer_html
