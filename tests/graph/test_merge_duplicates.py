"""--merge-duplicates: one card per group of near-duplicate questions, every source's text kept."""

from __future__ import annotations

import html

from generator.build import build
from generator.config import BuildConfig
from generator.identity.lockfile import load_lockfile
from tests.conftest import import_into_anki


def test_merged_cards_keep_every_source(seed_copy, tmp_path):
    plain = build(BuildConfig(seed_copy, tmp_path / "plain", now=1_800_000_000))
    by_guid = {card.guid: card for card in plain.cards}
    config = BuildConfig(seed_copy, tmp_path / "out", now=1_800_000_100, merge_duplicates=True)
    report = build(config)
    assert report.merged and len(report.cards) == len(plain.cards) - sum(len(g) - 1 for g in report.merged)
    assert report.changes.removed == []  # members stay in the lockfile: no "removed" notes
    assert not any(entry.removed for entry in load_lockfile(seed_copy).entries.values())
    collection = import_into_anki(config.package_path, tmp_path / "c.anki2")
    rlhf_dpo = None
    for group in report.merged:
        guids = [card.guid for card in group]
        found = collection.db.list("select id from notes where guid = ?", guids[0])
        assert len(found) == 1
        answer = collection.get_note(found[0])["Answer"]
        for guid in guids[1:]:
            assert not collection.db.list("select id from notes where guid = ?", guid)
        for member in group:
            original = by_guid[member.guid]
            assert html.escape(f"{original.deck} — {original.location}") in answer
            assert original.answer_html in answer
        if {"RLHF", "DPO"} <= {name for m in group for name in m.concepts} and len(
            {m.location.path for m in group}
        ) > 1:
            rlhf_dpo = answer
    assert rlhf_dpo is not None, "the RLHF vs DPO questions of several files were not merged"
    collection.close()
    # Same GUID and bytes on the next build; off again, every member is back under its own GUID.
    again = build(BuildConfig(seed_copy, tmp_path / "out", now=1_900_000_000, merge_duplicates=True))
    assert again.written == [] and [c.guid for c in again.cards] == [c.guid for c in report.cards]
    off = build(BuildConfig(seed_copy, tmp_path / "out", now=1_900_000_000))
    assert sorted(c.guid for c in off.cards) == sorted(by_guid)
