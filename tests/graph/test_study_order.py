"""New cards are introduced prerequisites first, in a real Anki collection after import.

Compared cards: for a chain of concepts (LoRA → QLoRA → DoRA), the cards "about" a concept are
the notes' Q&A cards whose question names it and no later concept of the chain; the first of them
(smallest `due`) must come in chain order. Adam has no card of its own (its only card asks about
AdamW), so Adam < AdamW is checked on the study order in graph.json.
"""

from __future__ import annotations

import json
import re

from anki.collection import Collection
from conftest import copy_seed_notes

from generator.build import build
from generator.config import BuildConfig
from generator.export.apkg import MODEL_NAME
from tests.conftest import import_into_anki
from tests.export.test_concept_map import Page, browser  # noqa: F401 - the shared Chromium fixture

CHAINS = [("LoRA", "QLoRA", "DoRA"), ("SFT", "RLHF", "DPO")]


def first_due(collection: Collection, chain: tuple[str, ...], concept: str) -> int:
    later = chain[chain.index(concept) + 1 :]
    dues = []
    for card_id in collection.find_cards(f'note:"{MODEL_NAME}"'):
        card = collection.get_card(card_id)
        question = card.note()["Question"]
        names = lambda n, question=question: re.search(rf"(?<![\w-]){n}(?![\w-])", question)  # noqa: E731
        if names(concept) and not any(names(n) for n in later):
            dues.append(card.due)
    assert dues, f"no card about {concept}"
    return min(dues)


def test_chains_come_prerequisites_first_in_anki(seed_copy, tmp_path):
    config = BuildConfig(seed_copy, tmp_path / "out", now=1_800_000_000)
    report = build(config)
    collection = import_into_anki(config.package_path, tmp_path / "c.anki2")
    for chain in CHAINS:
        firsts = [first_due(collection, chain, concept) for concept in chain]
        assert firsts == sorted(firsts) and len(set(firsts)) == len(firsts), (chain, firsts)
    order = report.study_order
    for chain in CHAINS + [("Adam", "AdamW")]:
        assert [order.index(c) for c in chain] == sorted(order.index(c) for c in chain), chain
    graph = json.loads((config.output_dir / "graph.json").read_text(encoding="utf-8"))
    assert graph["graph"]["study_order"] == order
    position = {n["id"]: n["study_position"] for n in graph["nodes"]}
    assert position["Adam"] < position["AdamW"] and position["LoRA"] < position["QLoRA"] < position["DoRA"]
    # Positions are 1, 2, 3 … over all new cards of the package (an acronym note's two cards share one).
    dues = sorted({collection.get_card(c).due for c in collection.find_cards("")})
    assert dues == list(range(1, len(report.cards) + len(report.generated) + 1))
    collection.close()


def test_same_notes_same_positions_and_reordering_does_not_restamp(seed_copy, tmp_path):
    from generator.identity.lockfile import load_lockfile

    out = tmp_path / "out"
    build(BuildConfig(seed_copy, out, now=1_800_000_000))
    package = (out / "interview-notes.apkg").read_bytes()
    assert build(BuildConfig(seed_copy, out, now=1_900_000_000)).written == []
    assert (out / "interview-notes.apkg").read_bytes() == package
    # A new note that mentions DoRA early shifts positions, but only the new card is stamped new:
    # Anki keeps an imported card's position, so the others are not "updated" for nothing.
    (seed_copy / "aaa-first.md").write_text(
        "# First\n\n## What is a weight decomposition?\n\nDoRA uses one.\n", encoding="utf-8"
    )
    build(BuildConfig(seed_copy, out, now=1_900_000_000))
    stamps = [e.mod for e in load_lockfile(seed_copy).entries.values()]
    assert stamps.count(1_900_000_000) == 1


def test_study_path_view_numbers_concepts_and_lists_them(browser, tmp_path):  # noqa: F811
    notes = tmp_path / "notes"
    copy_seed_notes(notes)
    report = build(BuildConfig(notes, tmp_path / "out"))
    page = Page(browser, tmp_path / "out")
    try:
        assert page.js("window.deckgraphMap.studyPath") is False
        page.page.click("#study-toggle")
        assert page.js("window.deckgraphMap.studyPath") is True
        assert page.page.get_attribute("#study-toggle", "aria-pressed") == "true"
        listed = page.js("Array.from(document.querySelectorAll('#study-path li')).map(li => li.dataset.concept)")
        assert listed == report.study_order
        labels = page.js(
            "Object.fromEntries(window.deckgraphMap.network.body.data.nodes.get().map(n => [n.id, n.label]))"
        )
        for chain in CHAINS:
            steps = [int(labels[c].split(".")[0]) for c in chain]
            assert steps == sorted(steps), (chain, labels)
        assert labels["LoRA"] == f"{report.study_order.index('LoRA') + 1}. LoRA"
        page.page.click("#study-path li[data-concept='QLoRA'] .name")
        assert page.js("window.deckgraphMap.selected") == "QLoRA"
        page.page.click("#study-toggle")
        assert page.js("window.deckgraphMap.network.body.data.nodes.get('LoRA').label") == "LoRA"
        assert page.errors == [] and page.outside == []
    finally:
        page.page.close()
