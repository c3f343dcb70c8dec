"""Every note format people use, each a small .md beside the cards a careful reader expects (.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.parse import parse_source
from generator.parse.markdown import markdown
from generator.sources.files import read_source

FIXTURES = Path(__file__).parent / "fixtures"
FAMILIES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
"""One folder per family of note shapes (formats, glossary, qa, toggles, meta, languages, tools, vault …);
a folder with `.obsidian/` settings is read as that vault, the way its plugins read it."""
CASES = sorted(path for family in FAMILIES for path in family.glob("*.md"))


def parse_fixture(path: Path):
    return parse_source(read_source(path, path.parent), markdown())


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_format(path: Path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    result = parse_fixture(path)

    assert result.title == expected["title"]
    assert [c.question for c in result.cards] == [c["question"] for c in expected["cards"]]
    for card, want in zip(result.cards, expected["cards"]):
        for fragment in want.get("answer_has", []):
            assert fragment in card.answer_html, f"{card.question}: {fragment!r} not in {card.answer_html!r}"
        for fragment in want.get("answer_lacks", []):
            assert fragment not in card.answer_html, f"{card.question}: {fragment!r} in {card.answer_html!r}"
        for fragment in want.get("front_has", []):
            assert fragment in card.question_html, f"{fragment!r} not in front {card.question_html!r}"
        if "context" in want:
            assert card.context == want["context"]
    fronts = {c.question for c in result.cards}
    assert not fronts & set(expected["not_cards"])
    reasons = {item.reason for item in result.skipped}
    for reason in expected.get("skipped_reasons", []):
        assert reason in reasons, f"no block skipped as {reason!r}: {reasons}"


def test_every_card_knows_its_line():
    result = parse_fixture(FIXTURES / "formats" / "question-headings.md")
    assert [c.location.line for c in result.cards] == [3, 7, 18, 24, 28]
