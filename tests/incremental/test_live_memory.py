"""What a long-running process keeps for itself between builds (`Memo.keep`): the name matchers, taken
again while the notes name the same things and made anew when a name changes; a build of its own keeps
nothing."""

from __future__ import annotations

from conftest import copy_seed_notes

from generator.build import KeptBuild, build
from generator.config import BuildConfig
from generator.incremental.memo import Memo

MATCHERS = {"matcher", "node matcher"}


def kept_matchers(kept: KeptBuild) -> dict[tuple, object]:
    return {key: value for key, value in kept.live.items() if key[0] in MATCHERS}


def test_a_kept_build_takes_the_matchers_again_until_a_name_changes(tmp_path):
    notes, out = tmp_path / "notes", tmp_path / "out"
    copy_seed_notes(notes)
    kept = KeptBuild()
    build(BuildConfig(notes_dir=notes, output_dir=out, now=1_800_000_000), kept=kept)
    first = kept_matchers(kept)
    assert {key[0] for key in first} == MATCHERS

    # A sentence that names nothing new: the same spellings, the same matcher objects.
    note = notes / "training-techniques.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nThis line was added later.\n", encoding="utf-8")
    build(BuildConfig(notes_dir=notes, output_dir=out, jobs=1, now=1_800_000_100), kept=kept)
    again = kept_matchers(kept)
    assert again.keys() == first.keys()
    assert all(again[key] is first[key] for key in first)

    # A term the notes define: new spellings, so new matchers once it is known (the index's matcher
    # is made again as the notes' terms arrive).
    with note.open("a", encoding="utf-8") as handle:
        handle.write("\n## What is Zorblax Folding?\n\nZorblax folding merges two adapters into one.\n")
    build(BuildConfig(notes_dir=notes, output_dir=out, jobs=1, now=1_800_000_200), kept=kept)
    changed = kept_matchers(kept)
    assert {key[0] for key in changed} == MATCHERS
    assert [key for key in changed if key[0] == "node matcher"] != [key for key in first if key[0] == "node matcher"]
    assert changed.keys() - first.keys()


def test_a_build_of_its_own_keeps_nothing():
    memo = Memo()
    made = []
    for _ in range(2):
        memo.keep(("matcher", "same"), lambda: made.append(object()) or made[-1])
    assert len(made) == 2 and memo.live == {}
