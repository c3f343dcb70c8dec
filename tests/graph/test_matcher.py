"""Finding the concepts' names in text (graph/matcher.py): whole words, leftmost-longest, loose
about case, dashes and plurals, exact for a lone acronym; lines read once and remembered."""

from __future__ import annotations

from generator.graph.matcher import Matcher

NAMES = [
    ("LoRA", "LoRA"),
    ("low-rank adaptation", "LoRA"),
    ("QLoRA", "QLoRA"),
    ("gradient clipping", "gradient clipping"),
    ("gradient", "gradient"),
    ("DPO", "DPO"),
]


def spelled(text: str, found: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    return [(text[start:end], name) for start, end, name in found]


def test_names_are_whole_words_longest_first_and_loose_about_spelling():
    text = "Low rank adaptations and QLoRA; gradient clipping, then a gradient. dpo is not DPO."
    assert spelled(text, Matcher(NAMES).find(text)) == [
        ("Low rank adaptations", "LoRA"),
        ("QLoRA", "QLoRA"),
        ("gradient clipping", "gradient clipping"),
        ("gradient", "gradient"),
        ("DPO", "DPO"),
    ]


def test_a_text_of_many_lines_is_read_line_by_line_with_the_same_result():
    lines = ["Gradient", "clipping caps LoRA updates.", "", "  DPO and gradient clipping"]
    matcher = Matcher(NAMES)
    text = "\n".join(lines)
    found = matcher.find(text)
    assert spelled(text, found) == [
        ("Gradient", "gradient"),  # a name never runs over a line break
        ("LoRA", "LoRA"),
        ("DPO", "DPO"),
        ("gradient clipping", "gradient clipping"),
    ]
    offset, per_line = 0, []
    for line in lines:
        per_line += [(s + offset, e + offset, n) for s, e, n in Matcher(NAMES).find(line)]
        offset += len(line) + 1
    assert found == per_line


def test_the_mentions_of_a_sentence_come_from_its_line():
    line = "LoRA trains adapters. DPO then aligns them with gradient clipping on."
    start = line.index("DPO")
    found = Matcher(NAMES).find_within(line, start, len(line))
    assert spelled(line[start:], found) == [("DPO", "DPO"), ("gradient clipping", "gradient clipping")]
