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


def test_a_name_may_end_in_plus_or_hash_signs_after_its_last_word():
    names = [("k-means", "k-means"), ("k-means++", "k-means++"), ("C#", "C#"), ("LoRA", "LoRA")]
    text = "Seed it with k-means++, not plain k-means; C# code; LoRA+x is no name."
    assert spelled(text, Matcher(names).find(text)) == [
        ("k-means++", "k-means++"),
        ("k-means", "k-means"),
        ("C#", "C#"),
        ("LoRA", "LoRA"),
    ]
    inside = "k-means++ seeding"
    assert spelled(inside, Matcher(names).find(inside, overlapping=True)) == [
        ("k-means++", "k-means++"),
        ("k-means", "k-means"),
    ]


def test_a_russian_name_is_found_in_any_case_ending():
    names = [("ковариационная матрица", "covariance matrix"), ("центроид", "centroid"), ("мера", "measure")]
    text = "Берём собственные векторы ковариационной матрицы и ближайшему центроиду; меры и мерой нет."
    assert spelled(text, Matcher(names).find(text)) == [
        ("ковариационной матрицы", "covariance matrix"),
        ("центроиду", "centroid"),
        ("меры", "measure"),
        ("мерой", "measure"),
    ]
