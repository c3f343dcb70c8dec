"""The co-mentions a long-running process keeps and mends equal those counted afresh, save after save."""

from __future__ import annotations

import random

from generator.graph.co_mentions import CoMentions, co_mentions
from generator.model import Flashcard, SourceLocation

CONCEPTS = [f"concept {letter}" for letter in "ABCDEFGHIJ"]


def _card(path: str, line: int, question: str) -> Flashcard:
    return Flashcard(question, question, "", "", SourceLocation(path, line), (), "deck", "basic", guid=f"{path}:{line}")


def _notes(files: dict[str, list[tuple[str, tuple[str, ...]]]]) -> tuple[list[Flashcard], dict]:
    """(cards in file and line order, card GUID → concepts) of {path: [(question, concepts), …]}."""
    cards, concepts = [], {}
    for path in sorted(files):
        for number, (question, names) in enumerate(files[path]):
            card = _card(path, 1 + 4 * number, question)
            cards.append(card)
            concepts[card.guid] = names
    return cards, concepts


def _by_pair(relations) -> dict:
    return {(r.source, r.target): (r.weight, r.evidence) for r in relations}


def _some_concepts(rng: random.Random) -> tuple[str, ...]:
    return tuple(rng.sample(CONCEPTS, rng.randint(0, 5)))


def test_kept_co_mentions_equal_a_fresh_count_after_every_change():
    rng = random.Random(7)
    files = {
        f"note-{n:02}.md": [(f"Question {n}.{k}?", _some_concepts(rng)) for k in range(rng.randint(1, 6))]
        for n in range(12)
    }
    kept = CoMentions()
    changes = 0
    for step in range(60):
        cards, concepts = _notes(files)
        assert _by_pair(kept.relations(cards, concepts)) == _by_pair(co_mentions(cards, concepts)), step
        path = rng.choice(sorted(files))
        change = rng.choice(["concepts", "question", "new file", "remove file", "new card"])
        if change == "concepts":
            k = rng.randrange(len(files[path]))
            files[path][k] = (files[path][k][0], _some_concepts(rng))
        elif change == "question":
            k = rng.randrange(len(files[path]))
            files[path][k] = (files[path][k][0] + " reworded", files[path][k][1])
        elif change == "new file":  # sorts among the others: evidence from it may come first
            files[f"{path[:-3]}a.md"] = [(f"New {step}?", _some_concepts(rng)) for _ in range(3)]
        elif change == "remove file" and len(files) > 3:
            del files[path]
        else:
            files[path].insert(0, (f"Inserted {step}?", _some_concepts(rng)))
        changes += 1
    assert changes == 60


def test_evidence_is_the_first_three_cards_in_file_order_after_a_file_is_added_before():
    both = ("concept A", "concept B")
    files = {"b.md": [(f"B{k}?", both) for k in range(3)]}
    kept = CoMentions()
    cards, concepts = _notes(files)
    kept.relations(cards, concepts)
    files["a.md"] = [("A0?", both), ("A1?", ("concept A",))]
    cards, concepts = _notes(files)
    (relation,) = kept.relations(cards, concepts)
    assert [e.text for e in relation.evidence] == ["A0?", "B0?", "B1?"]
    assert relation.weight == 4.0
    del files["b.md"]
    cards, concepts = _notes(files)
    (relation,) = kept.relations(cards, concepts)
    assert [e.text for e in relation.evidence] == ["A0?"] and relation.weight == 1.0
    files["a.md"] = [("A0?", ("concept A",))]
    cards, concepts = _notes(files)
    assert kept.relations(cards, concepts) == []
