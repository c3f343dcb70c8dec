"""The seed notes, built and imported into a real Anki collection with Anki's own importer."""

from __future__ import annotations

import re

from generator.export.apkg import MODEL_NAME

MOJIBAKE = re.compile(r"ðŸ|â€|Ã[\x80-\xbf]|Â")


def rendered(collection):
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        yield card, card.question(), card.answer()


def test_every_card_is_imported(seed_build, seed_collection):
    report, _ = seed_build
    # Acronym cards are cloze notes with two cards each (acronym → expansion, expansion → acronym).
    assert seed_collection.note_count() == len(report.cards) + len(report.generated)
    assert len(report.cards) >= 70
    assert seed_collection.card_count() == len(report.cards) + 2 * len(report.generated)


def test_one_subdeck_per_note_file(seed_collection):
    names = {d.name for d in seed_collection.decks.all_names_and_ids()}
    assert {
        "Interview Notes::LLM Fundamentals",
        "Interview Notes::Learning",
        "Interview Notes::Training Techniques",
        "Interview Notes::LLM Training Paradigms - Interview Notes",
        "Interview Notes::LLM Training & Fine-tuning - Interview Q&A",
    } <= names


def test_cards_render_through_ankis_templates(seed_collection):
    for _card, question, answer in rendered(seed_collection):
        for side in (question, answer):
            assert "$$" not in side, side
            assert not MOJIBAKE.search(side), MOJIBAKE.search(side).group(0)
            assert not re.search(r"\{\{[^}]*\}\}", side), side
        assert 'class="source"' in answer


def test_math_reaches_anki_as_mathjax_delimiters(seed_collection):
    note_ids = seed_collection.find_notes('"Question:*gradient clipping*"')
    assert note_ids
    answer = seed_collection.get_note(note_ids[0])["Answer"]
    assert r"\[g \leftarrow c \cdot \frac{g}{\|g\|} \quad \text{if } \|g\| &gt; \text{c}\]" in answer
    assert r"\(\|g\| &lt; c\)" in answer
    assert "<em>" not in "".join(re.findall(r"\\\[.*?\\\]|\\\(.*?\\\)", answer, re.S))


def test_mojibake_is_repaired(seed_collection):
    note_ids = seed_collection.find_notes('"Question:*Scaling Laws*"')
    question = seed_collection.get_note(note_ids[0])["Question"]
    assert question.startswith("📈 Scaling Laws")


def test_context_source_and_tags(seed_collection):
    note_id = seed_collection.find_notes('"Question:Why do we need RLHF after pre-training?"')[0]
    note = seed_collection.get_note(note_id)
    assert note.note_type()["name"] == MODEL_NAME
    assert note["Context"] == "Part 3: Alignment &amp; RLHF"
    assert note["Source"] == "training-finetuning-qa.md:365"
    assert "file::training-finetuning-qa::part-3-alignment-rlhf" in note.tags
    assert seed_collection.find_notes("tag:file::training-finetuning-qa")  # the hierarchy is searchable


def test_question_detail_before_answer_marker_stays_on_the_front(seed_collection):
    note_id = seed_collection.find_notes('"Question:*Why use*cosine decay*"')[0]
    note = seed_collection.get_note(note_id)
    assert "frame the question better" in note["Question"]
    assert note["Answer"].startswith("<ul>")
