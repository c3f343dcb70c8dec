"""Edit the notes as a person would, rebuild, re-import into the same Anki collection: review
history survives, nothing is duplicated, edits show, removed cards are flagged."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import import_into_anki

from generator.build import build
from generator.config import BuildConfig
from generator.export.stamps import REMOVED_TAG

REVIEWED = {
    "adamw": '"Question:What is AdamW, how it differ from Adam?"',
    "clipping": '"Question:What is *gradient clipping*, and why is it used?"',
    "parallelism": '"Question:What is *model parallelism* vs *pipeline parallelism*?"',
    "bradley": '"Question:What is the Bradley–Terry model originally?"',
    "rlhf-hard": '"Question:Why is RLHF hard?"',
}


def review(collection, search: str) -> int:
    note_id = collection.find_notes(search)
    assert len(note_id) == 1, search
    card = collection.get_note(note_id[0]).cards()[0]
    card.start_timer()
    collection.sched.answerCard(card, 3)
    return card.id


def edit_like_a_person(notes: Path) -> None:
    qa = notes / "optimization-alignment-qa.md"
    text = qa.read_text(encoding="utf-8")
    # Reword a question.
    text = text.replace("What is AdamW, how it differ from Adam?", "What is AdamW, and how does it differ from Adam?")
    # Change an answer.
    text = text.replace("limits the magnitude of gradients", "caps the norm of gradients")
    # Move a question to another file.
    start, end = text.index("### Q10."), text.index("### Q11.")
    moved, text = text[start:end], text[:start] + text[end:]
    # Insert a question at the top and renumber every question after it.
    text = re.sub(r"### Q(\d+)\.", lambda m: f"### Q{int(m.group(1)) + 1}.", text)
    text = text.replace(
        "---\n\n### Q2.",
        "---\n\n### Q1. What is label smoothing?\n\n**A:** Soft targets instead of one-hot labels.\n\n---\n\n### Q2.",
        1,
    )
    qa.write_text(text, encoding="utf-8")
    paradigms = notes / "training-paradigms.md"
    paradigms.write_text(
        paradigms.read_text(encoding="utf-8") + "\n" + moved.replace("### Q10.", "## 6."), encoding="utf-8"
    )
    # Rename a file.
    (notes / "llm-fundamentals.md").rename(notes / "llm-basics.md")
    # Delete a question.
    ft = notes / "training-finetuning-qa.md"
    text = ft.read_text(encoding="utf-8")
    start, end = text.index("### When does overoptimization occur?"), text.index("### Why does RLHF require 4x")
    # Add one.
    added = "### What is speculative decoding?\n\nA small model drafts tokens that the large one verifies.\n\n"
    ft.write_text(text[:start] + text[end:] + "\n" + added, encoding="utf-8")


def test_edits_keep_review_history_and_add_only_new_cards(seed_copy, tmp_path):
    config = BuildConfig(notes_dir=seed_copy, output_dir=tmp_path / "out", now=1_800_000_000)
    first = build(config)
    collection = import_into_anki(config.package_path, tmp_path / "collection.anki2")
    reviewed = {name: review(collection, search) for name, search in REVIEWED.items()}
    history = {cid: collection.get_card(cid).queue for cid in reviewed.values()}
    notes_before = set(collection.find_notes(""))
    assert len(notes_before) == len(first.cards) + len(first.generated)

    edit_like_a_person(seed_copy)
    second = build(BuildConfig(notes_dir=seed_copy, output_dir=tmp_path / "out", now=1_800_000_600))
    collection.close()
    collection = import_into_anki(config.package_path, tmp_path / "collection.anki2")

    new_notes = set(collection.find_notes("")) - notes_before
    assert sorted(collection.get_note(n)["Question"] for n in new_notes) == [
        "What is label smoothing?",
        "What is speculative decoding?",
    ]
    questions = [collection.get_note(n)["Question"] for n in collection.find_notes("-tag:deckgraph::acronym")]
    assert len(questions) == len(set(questions)), "duplicate notes after re-import"

    for name, card_id in reviewed.items():
        card = collection.get_card(card_id)  # the same card, not a new one
        assert card.queue == history[card_id] and card.reps == 1, name
        assert collection.db.scalar("select count() from revlog where cid = ?", card_id) == 1, name

    assert collection.find_notes('"Question:What is AdamW, and how does it differ from Adam?"')
    clipping = collection.get_card(reviewed["clipping"]).note()
    assert "caps the norm of gradients" in clipping["Answer"]
    assert collection.get_card(reviewed["rlhf-hard"]).note()["Source"].startswith("llm-basics.md:")

    removed = collection.find_notes(f"tag:{REMOVED_TAG}")
    assert [collection.get_note(n)["Question"] for n in removed] == ["When does overoptimization occur?"]
    assert "Removed from the notes on" in collection.get_note(removed[0])["Notice"]
    assert len(second.changes.added) == 2 and len(second.changes.removed) == 1
    collection.close()


def test_unchanged_notes_rebuild_byte_identical_and_keep_their_stamps(seed_copy, tmp_path):
    out = tmp_path / "out"
    build(BuildConfig(notes_dir=seed_copy, output_dir=out, now=1_800_000_000))
    package = (out / "interview-notes.apkg").read_bytes()
    lock = (seed_copy / "deckgraph.lock.json").read_bytes()
    report = build(BuildConfig(notes_dir=seed_copy, output_dir=out, now=1_900_000_000))
    assert report.written == []
    assert (out / "interview-notes.apkg").read_bytes() == package
    assert (seed_copy / "deckgraph.lock.json").read_bytes() == lock


def test_a_changed_card_gets_a_newer_stamp_so_anki_updates_it(seed_copy, tmp_path):
    from generator.identity.lockfile import load_lockfile

    build(BuildConfig(notes_dir=seed_copy, output_dir=tmp_path, now=1_800_000_000))
    path = seed_copy / "training-paradigms.md"
    path.write_text(path.read_text(encoding="utf-8").replace("at scale", "at very large scale"), encoding="utf-8")
    build(BuildConfig(notes_dir=seed_copy, output_dir=tmp_path, now=1_800_000_500))
    stamps = {e.text: e.mod for e in load_lockfile(seed_copy).entries.values()}
    assert stamps["Self-Supervised Learning"] == 1_800_000_500
    assert stamps["Cross-Entropy Non-Convexity in Deep Nets"] == 1_800_000_000


def test_pinned_id_wins(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("## What is X?\n<!-- id: my-x -->\n\nX is x.\n", encoding="utf-8")
    report = build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out", now=1_800_000_000))
    assert [c.guid for c in report.cards] == ["my-x"]
    assert "my-x" not in report.cards[0].answer_html


def test_editing_only_the_registry_refreshes_graph_and_map(seed_copy, tmp_path):
    import json

    out = tmp_path / "out"
    build(BuildConfig(notes_dir=seed_copy, output_dir=out, now=1_800_000_000))
    registry = seed_copy / "concepts.toml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace(
            'definition = "Trains a low-rank update BA beside each frozen weight matrix W."',
            'definition = "Learns a low-rank update beside frozen weights."',
        ),
        encoding="utf-8",
    )
    report = build(BuildConfig(notes_dir=seed_copy, output_dir=out, now=1_800_000_100))
    assert {path.name for path in report.written} >= {"graph.json", "concept-map.html"}
    nodes = {node["id"]: node for node in json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]}
    assert nodes["LoRA"]["definition"] == "Learns a low-rank update beside frozen weights."


def test_with_nothing_changed_the_command_line_build_has_nothing_to_do(seed_copy, tmp_path):
    out = tmp_path / "out"
    config = BuildConfig(notes_dir=seed_copy, output_dir=out, skip_unchanged=True, now=1_800_000_000)
    first = build(config)
    again = build(config)
    assert again.up_to_date and again.written == []
    assert again.counts == first.counts and len(again.changes.unchanged) == len(first.cards)
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]
    assert sorted(again.outputs) == sorted(first.outputs)


def test_any_changed_input_means_a_real_build(seed_copy, tmp_path):
    out = tmp_path / "out"
    config = BuildConfig(notes_dir=seed_copy, output_dir=out, skip_unchanged=True, now=1_800_000_000)
    build(config)
    edits = [
        lambda: (seed_copy / "training-paradigms.md").write_text(
            (seed_copy / "training-paradigms.md").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        ),
        lambda: (seed_copy / "concepts.toml").write_text(
            (seed_copy / "concepts.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        ),
        lambda: (seed_copy / "deckgraph.toml").write_text("[build]\nacronym_cards = false\n", encoding="utf-8"),
        lambda: (seed_copy / "deckgraph.lock.json").write_text(
            (seed_copy / "deckgraph.lock.json").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        ),
        lambda: (out / "graph.json").unlink(),
    ]
    for edit in edits:
        edit()
        report = build(config)
        assert not report.up_to_date and report.cards
        assert build(config).up_to_date
    assert (out / "graph.json").exists()
    changed_deck = build(BuildConfig(notes_dir=seed_copy, output_dir=out, skip_unchanged=True, deck_name="Other"))
    assert not changed_deck.up_to_date


def test_a_card_restored_to_the_notes_comes_back_to_life_in_anki(seed_copy, tmp_path):
    """Its removed version was stamped at removal: the restored one must be newer, or Anki keeps the
    removed tag and the user, following the README, deletes a live card."""
    out = tmp_path / "out"
    collection_path = tmp_path / "collection.anki2"
    path = seed_copy / "training-paradigms.md"
    text = path.read_text(encoding="utf-8")
    build(BuildConfig(notes_dir=seed_copy, output_dir=out, now=1_800_000_000))
    import_into_anki(out / "interview-notes.apkg", collection_path).close()

    path.write_text(
        text.replace("## 5. Cross-Entropy Non-Convexity in Deep Nets", "## 5. Moved away"), encoding="utf-8"
    )
    build(BuildConfig(notes_dir=seed_copy, output_dir=out, now=1_800_100_000))
    import_into_anki(out / "interview-notes.apkg", collection_path).close()

    path.write_text(text, encoding="utf-8")
    report = build(BuildConfig(notes_dir=seed_copy, output_dir=out, now=1_800_200_000))
    collection = import_into_anki(out / "interview-notes.apkg", collection_path)
    try:
        note = collection.get_note(collection.find_notes('"Question:Cross-Entropy Non-Convexity in Deep Nets"')[0])
        assert REMOVED_TAG not in note.tags and note["Notice"] == ""
        assert any(tag.startswith("file::training-paradigms") for tag in note.tags)
        assert len(report.changes.added) == 1
    finally:
        collection.close()
