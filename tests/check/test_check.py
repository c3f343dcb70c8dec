"""`deckgraph check`: the rules on the seed notes and on small fixtures, and the command's output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import parse_notes
from generator.check import RULES, Finding, check, rule
from generator.check.remarks import stray_remarks
from generator.commands.cli import main
from generator.config import BuildConfig
from generator.graph.duplicates import near_duplicate_groups
from generator.model import SourceLocation

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "notes"
SEED_REMARKS = [
    ("optimization-alignment-qa.md", 33, "why they helps intuitively"),
    ("optimization-alignment-qa.md", 37, "frame the question better"),
    ("optimization-alignment-qa.md", 97, "add peerformance affect; accuracy/speed etc."),
    ("optimization-alignment-qa.md", 115, "text to lora"),
]


@pytest.fixture(scope="module")
def seed_findings() -> list[Finding]:
    return check(BuildConfig(notes_dir=SEEDS, output_dir=Path("unused")))


def by_rule(findings, name):
    return [f for f in findings if f.rule == name]


def test_the_four_stray_remarks_in_the_seeds_and_nothing_else(seed_findings):
    found = [
        (f.location.path, f.location.line, f.message.split(": ", 1)[1].strip("'\""))
        for f in by_rule(seed_findings, "stray-remark")
    ]
    assert found == SEED_REMARKS


def test_rlhf_vs_dpo_is_one_group(seed_findings):
    groups = by_rule(seed_findings, "duplicate-question")
    [group] = [g for g in groups if "How do Direct Preference Optimization (DPO) and RLHF differ?" in g.message]
    places = {str(group.location), *map(str, group.related)}
    assert {"optimization-alignment-qa.md:136", "training-finetuning-qa.md:470", "llm-fundamentals.md:45"} <= places
    assert "What's the difference between RLHF and DPO?" in group.message
    # Questions that merely share a subject are not grouped with it.
    assert "Why is RLHF hard?" not in group.message
    assert "SFT and RLHF" not in group.message


def test_seed_mojibake_lines_are_reported(seed_findings):
    lines = [
        f.location.line for f in by_rule(seed_findings, "repaired-text") if f.location.path == "llm-fundamentals.md"
    ]
    assert 52 in lines


REMARK_CASES = [
    ("## What is X?\n\nX is a thing.\nfix this later\n", [(4, "fix this later")]),
    ("## What is X?\n\n- a point.\n- another point.\nadd example\n\n---\n", [(5, "add example")]),
    ("## What is X?\nreword this\n**A:** yes.\n", [(2, "reword this")]),
    ("It works on one GPU for large models. add numbers here\n", [(1, "add numbers here")]),
    # Not remarks: wrapped prose, lists, code, abbreviations, tables, math.
    ("The model is trained on\nlarge amounts of text.\n", []),
    ("- item one\n- item two\n", []),
    ("```\nprint this\nfor x in y\n```\n", []),
    ("It uses tricks, e.g. gradient clipping and warmup as well.\n", []),
    ("Many methods exist, see Smith et al. for a full list of them here.\n", []),
    ("| a | b |\n|---|---|\n| lower case | cell |\n", []),
    ("$$\nx = y\n$$\nwhere x is small\n", []),
    ("Text before.\n\n    indented code line\n", []),
    ("Write it in lowercase when the\nsentence wraps across lines\nlike this one does.\n", []),
]


@pytest.mark.parametrize("text,expected", REMARK_CASES)
def test_stray_remark_rule(text, expected):
    assert stray_remarks(text) == expected


def run_rules_on(tmp_path: Path, files: dict[str, str | bytes]) -> list[Finding]:
    notes = tmp_path / "notes"
    for name, content in files.items():
        path = notes / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return check(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))


def test_structure_rules(tmp_path):
    findings = run_rules_on(tmp_path, {"a.md": "# A\n\n## Empty\n\n## Filled\n\nText.\n\nQ: Unanswered?\n\n---\n"})
    assert [(f.rule, f.location.line) for f in findings if f.rule in ("empty-section", "unanswered")] == [
        ("empty-section", 3),
        ("unanswered", 9),
    ]


def test_duplicate_rule_across_files(tmp_path):
    findings = run_rules_on(
        tmp_path,
        {
            "a.md": "# A\n\n## What is Low-Rank Adaptation (LoRA)?\n\nAdapters.\n",
            "b.md": "# B\n\n## What's LoRA?\n\nLow rank.\n\n## What is a KV cache?\n\nMemory.\n",
        },
    )
    [group] = by_rule(findings, "duplicate-question")
    assert (str(group.location), [str(r) for r in group.related]) == ("a.md:3", ["b.md:3"])


def test_syntax_and_link_rules(tmp_path):
    findings = run_rules_on(
        tmp_path,
        {
            "a.md": "# A\n\n## What is Ã©?\n\nCafÃ© text, $x and [see](other.md) and [ok](b.md).\n\n"
            "![img](pics/none.png) ![up](../x.png) ![web](https://example.com/a.png)\n\n```\nopen\n",
            "b.md": "# B\n\n## What is B?\n\nB.\n",
            "c.md": b"# C\n\n## What is caf\xe9?\n\nOK.\n",
        },
    )
    got = {(f.rule, str(f.location)) for f in findings}
    assert {
        ("repaired-text", "a.md:3"),
        ("repaired-text", "a.md:5"),
        ("unbalanced-math", "a.md:5"),
        ("broken-link", "a.md:5"),
        ("missing-image", "a.md:7"),
        ("unsafe-image", "a.md:7"),
        ("remote-image", "a.md:7"),
        ("unclosed-fence", "a.md:9"),
        ("encoding", "c.md:1"),
    } <= got
    assert not any("b.md" in where for _, where in got)


def test_json_output_and_exit_codes(tmp_path):
    runner = CliRunner()
    out = ["-o", str(tmp_path / "out")]
    result = runner.invoke(main, ["check", str(SEEDS), "--json", *out])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["counts"]["stray-remark"] == 4
    assert all({"location", "rule", "message", "severity"} <= set(f) for f in data["findings"])
    assert data["findings"][0]["location"]["line"] >= 1

    assert runner.invoke(main, ["check", str(SEEDS), "--strict", *out]).exit_code == 1
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.md").write_text("# A\n\n## What is A?\n\nA letter.\n", encoding="utf-8")
    for options in ([], ["--strict"], ["--json", "--strict"]):
        assert runner.invoke(main, ["check", str(clean), *options, *out]).exit_code == 0
    text = runner.invoke(main, ["check", str(SEEDS), "--rule", "stray-remark"]).output
    assert "optimization-alignment-qa.md:33: warning:" in text and "duplicate" not in text


def test_a_rule_is_one_registered_function(tmp_path):
    @rule("no-todo", "the word TODO")
    def no_todo(context):
        for path, source in context.sources.items():
            for number, line in enumerate(source.text.split("\n"), start=1):
                if "TODO" in line:
                    yield Finding(SourceLocation(path, number), "no-todo", "TODO left")

    try:
        findings = run_rules_on(tmp_path, {"a.md": "# A\n\n## What is A?\n\nA. TODO\n"})
        assert [str(f) for f in by_rule(findings, "no-todo")] == ["a.md:5: warning: TODO left [no-todo]"]
    finally:
        RULES.pop("no-todo")


def test_cards_made_from_tables_are_never_reported_as_duplicates(tmp_path):
    """The seed's technique table gives rows like 'SFT — Strength, Weakness?', and its engine table
    'sglang — Ease of use?' beside 'What is sglang?': none of that is a question asked twice."""

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "training-techniques.md").write_bytes((SEEDS / "training-techniques.md").read_bytes())
    parsed, _ = parse_notes(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))
    cards = [card for result in parsed for card in result.cards]
    assert sum(card.kind.startswith("table-") for card in cards) == 26
    assert near_duplicate_groups(cards) == []
