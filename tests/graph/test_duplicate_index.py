"""Near-duplicate grouping compares only the pairs its index proposes: the groups must be those of
comparing every pair with `similar`, the definition."""

from __future__ import annotations

import random

from generator.graph.duplicates import learn_acronyms, near_duplicate_groups, normalize, similar, subject
from generator.model import Flashcard, SourceLocation

WORDS = [
    *("lora", "loras", "rank", "ranks", "attention", "attentions", "mechanism", "mechanisms", "dpo", "rlhf"),
    *("scaling", "laws", "law", "chinchilla", "a", "x", "low", "adaptation", "kv", "cache", "caches", "what is"),
    *("vs", "and", "Direct Preference Optimization (DPO)", "Low-Rank Adaptation", "quantized", "quantised"),
]


def every_pair(cards: list[Flashcard]) -> list[list[tuple[str, int]]]:
    cards = [card for card in cards if card.kind not in ("table-row", "table-cell")]
    acronyms = learn_acronyms([c.question for c in cards] + [c.answer_md for c in cards])
    subjects = [subject(card.question, acronyms) for card in cards]
    answers = [set(normalize(card.answer_md, acronyms).split()) for card in cards]
    group = list(range(len(cards)))
    for i in range(len(cards)):
        for j in range(i + 1, len(cards)):
            if similar(subjects[i], subjects[j], answers[i], answers[j]):
                old, new = group[i], group[j]
                group = [new if g == old else g for g in group]
    found: dict[int, list[tuple[str, int]]] = {}
    for index, card in enumerate(cards):
        found.setdefault(group[index], []).append((card.location.path, card.location.line))
    return sorted(sorted(g) for g in found.values() if len(g) > 1)


def places(groups: list[list[Flashcard]]) -> list[list[tuple[str, int]]]:
    return sorted(sorted((card.location.path, card.location.line) for card in group) for group in groups)


def card(question: str, answer: str, line: int) -> Flashcard:
    return Flashcard(
        question=question,
        question_html=question,
        answer_md=answer,
        answer_html=answer,
        location=SourceLocation(f"f{line % 3}.md", line),
        heading_path=(),
        deck="d",
        kind="heading",
    )


def typo(rng: random.Random, text: str) -> str:
    letters = list(text)
    at = rng.randrange(len(letters))
    choice = rng.random()
    if choice < 0.33:
        letters[at] = rng.choice("abcde")
    elif choice < 0.66:
        letters.insert(at, rng.choice("abcde"))
    else:
        del letters[at]
    return "".join(letters)


def test_grouping_equals_comparing_every_pair():
    rng = random.Random(12)
    for _ in range(150):
        cards = []
        for line in range(rng.randint(2, 40)):
            question = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
            if cards and rng.random() < 0.3:
                question = typo(rng, cards[-1].question)
            answer = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))
            cards.append(card(question, answer, line + 1))
        assert places(near_duplicate_groups(cards)) == every_pair(cards)
