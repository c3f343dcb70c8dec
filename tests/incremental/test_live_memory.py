"""What a long-running process keeps for itself between builds: the name matchers (`Memo.keep`), taken
again while the notes name the same things and made anew when a name changes, and the ID lockfile as it
saved it, while the file is the one it wrote. A build of its own keeps nothing."""

from __future__ import annotations

from conftest import copy_seed_notes

from generator.build import KeptBuild, build
from generator.commands.watch import LiveBuild
from generator.config import BuildConfig
from generator.identity.lockfile import Lockfile, load_lockfile
from generator.incremental.memo import Memo

MATCHERS = {"matcher", "node matcher"}


def kept_matchers(kept: KeptBuild) -> dict[tuple, object]:
    return {key: value for key, value in kept.live.items() if key[0] in MATCHERS}


def kept_fields(kept: KeptBuild) -> dict[tuple, object]:
    return {key: value for key, value in kept.live.items() if key[0] == "fields"}


def test_a_kept_build_takes_the_matchers_again_until_a_name_changes(tmp_path):
    notes, out = tmp_path / "notes", tmp_path / "out"
    copy_seed_notes(notes)
    kept = KeptBuild()
    build(BuildConfig(notes_dir=notes, output_dir=out, now=1_800_000_000), kept=kept)
    first = kept_matchers(kept)
    assert {key[0] for key in first} == MATCHERS
    fields_before = kept_fields(kept)
    keys_before = list(kept.live)
    last_card = max((key for key in fields_before if key[5][0] == "training-techniques.md"), key=lambda key: key[5][1])
    edited = last_card  # the sentence goes at the end of the file: into its last card's answer

    # A sentence that names nothing new: the same spellings, the same matcher objects.
    note = notes / "training-techniques.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nThis line was added later.\n", encoding="utf-8")
    build(BuildConfig(notes_dir=notes, output_dir=out, jobs=1, now=1_800_000_100), kept=kept)
    again = kept_matchers(kept)
    assert again.keys() == first.keys()
    assert all(again[key] is first[key] for key in first)
    # The typed relations are the same: so are the cards' related lines.
    related = [key for key in keys_before if key[0] == "related lines"]
    assert related and [key for key in kept.live if key[0] == "related lines"] == related
    # Each card's fields in the package: the edited card's made again, every other card's taken.
    assert fields_before.keys() - kept_fields(kept).keys() == {edited}
    assert all(kept.live[key] is value for key, value in fields_before.items() if key != edited)

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


def lockfile_state(lock: Lockfile) -> tuple:
    return (
        {guid: entry.copy() for guid, entry in lock.entries.items()},
        lock.loaded,
        lock.generated,
        lock.loaded_generated,
        lock.lines,
    )


def test_the_kept_lockfile_is_the_file_as_read_until_the_file_changes(tmp_path):
    notes, out = tmp_path / "notes", tmp_path / "out"
    copy_seed_notes(notes)
    kept = KeptBuild()
    note = notes / "training-techniques.md"
    edits = [
        lambda: None,
        lambda: note.write_text(note.read_text(encoding="utf-8") + "\n## What is a new idea?\n\nA fresh answer.\n"),
        lambda: note.write_text(note.read_text(encoding="utf-8").replace("A fresh answer.", "A reworded answer.")),
    ]
    for step, edit in enumerate(edits):
        edit()
        build(BuildConfig(notes_dir=notes, output_dir=out, jobs=1, now=1_800_000_000 + 100 * step), kept=kept)
        assert kept.lock is not None
        assert lockfile_state(kept.lock[1]) == lockfile_state(load_lockfile(notes)), step

    # The file replaced behind the process's back (a checkout, a restore): it is read again.
    lockfile = notes / "deckgraph.lock.json"
    old = load_lockfile(notes)
    guid = sorted(old.entries)[0]
    lockfile.write_text(lockfile.read_text(encoding="utf-8").replace(guid, guid[::-1]), encoding="utf-8")
    build(BuildConfig(notes_dir=notes, output_dir=out, jobs=1, now=1_800_000_400), kept=kept)
    now = load_lockfile(notes).entries
    assert guid[::-1] in now and guid not in now  # the card took the identity the file gives it
    assert lockfile_state(kept.lock[1]) == lockfile_state(load_lockfile(notes))


def test_a_watcher_started_on_built_notes_makes_its_state_before_the_first_save(tmp_path):
    """Nothing changed since the command-line build: the watcher's first build rewrites nothing, yet
    makes what the saves after it take from memory, so the first save is no slower than the next."""
    notes, out = tmp_path / "notes", tmp_path / "out"
    copy_seed_notes(notes)
    build(BuildConfig(notes_dir=notes, output_dir=out, skip_unchanged=True, now=1_800_000_000))
    files = [path for path in [*out.iterdir(), notes / "deckgraph.lock.json"] if path.is_file()]
    before = {path: path.stat().st_mtime_ns for path in files}

    live = LiveBuild(BuildConfig(notes_dir=notes, output_dir=out, skip_unchanged=True, now=1_800_000_000))
    report = live()
    assert report.written == []
    assert {path: path.stat().st_mtime_ns for path in files} == before
    assert {"matcher", "node matcher", "co-mentions", "fields"} <= {key[0] for key in live.kept.live}
