"""Random edit sequences: GUIDs stay unique; a card whose words are untouched keeps its GUID wherever
it moves, and so does one whose question is reworded or whose answer is edited."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.identity.lockfile import Lockfile
from generator.identity.matching import assign_identities
from generator.model import Flashcard, SourceLocation

SUBJECTS = [
    "LoRA",
    "QLoRA",
    "DoRA",
    "RLHF",
    "DPO",
    "PPO",
    "AdamW",
    "Adam",
    "RoPE",
    "GQA",
    "MQA",
    "KV cache",
    "warmup",
    "SFT",
    "PEFT",
    "NF4",
    "IPO",
    "RLAIF",
    "beam search",
    "top-p sampling",
]
STEMS = ["What is {}?", "Why use {}?", "How does {} work?", "When should you avoid {}?"]


def make_card(question: str, answer: str, path: str, line: int, section: str) -> Flashcard:
    return Flashcard(
        question=question,
        question_html=question,
        answer_md=answer,
        answer_html=answer,
        location=SourceLocation(path, line),
        heading_path=(section,),
        deck=path,
        kind="heading",
    )


edits = st.lists(
    st.tuples(
        st.sampled_from(["reword", "answer", "insert", "delete", "move", "rename", "shuffle"]),
        st.integers(min_value=0, max_value=10_000),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(edits)
def test_random_edit_sequences(sequence):
    # A deck: each card a (question, answer, file, section); answers are distinct sentences.
    pool = [
        (
            stem.format(subject),
            f"{subject} answer {i}: " + " ".join(SUBJECTS[(i + k) % len(SUBJECTS)] for k in range(6)),
        )
        for i, (stem, subject) in enumerate((s, subj) for s in STEMS for subj in SUBJECTS)
    ]
    deck = [list(pool[i]) + [f"file{i % 3}.md", f"section {i % 2}"] for i in range(0, 30)]
    fresh = iter(pool[30:])
    lock = Lockfile(Path("unused"))
    now = 1_800_000_000

    def run():
        cards = [make_card(q, a, f, line, s) for line, (q, a, f, s) in enumerate(deck, start=1)]
        return assign_identities(cards, lock, now).cards

    before = {(q, a): card.guid for (q, a, _, _), card in zip(deck, run())}
    for operation, seed in sequence:
        index = seed % len(deck) if deck else 0
        touched = set()
        previous = [before.get((q, a)) for q, a, _, _ in deck]
        if operation == "reword" and deck:
            deck[index][0] = deck[index][0].replace("?", ", exactly?")
            touched.add(index)
        elif operation == "answer" and deck:
            deck[index][1] += " Also worth knowing."
            touched.add(index)
        elif operation == "insert":
            item = next(fresh, None)
            if item:
                deck.insert(index, list(item) + ["file0.md", "section 0"])
        elif operation == "delete" and deck:
            deck.pop(index)
        elif operation == "move" and deck:
            deck[index][2] = f"file{(seed // 7) % 4}.md"
            deck[index][3] = f"section {seed % 5}"
        elif operation == "rename":
            old = f"file{seed % 3}.md"
            for card in deck:
                card[2] = "renamed.md" if card[2] == old else card[2]
        elif operation == "shuffle":
            deck.reverse()
        now += 60
        cards = run()
        guids = [card.guid for card in cards]
        assert len(guids) == len(set(guids)), "two live cards share a GUID"
        for (q, a, _, _), card in zip(deck, cards):
            if (q, a) in before:
                assert card.guid == before[(q, a)], f"untouched card {q!r} lost its GUID"
        for position in touched:  # a reworded question or an edited answer is still the same card
            assert cards[position].guid == previous[position]
        before = {(q, a): card.guid for (q, a, _, _), card in zip(deck, cards)}
