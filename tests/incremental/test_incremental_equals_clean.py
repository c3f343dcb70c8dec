"""Whatever changed, a build that reuses the cache writes exactly what a clean build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_seed_notes

from generator.build import KeptBuild, build
from generator.config import BuildConfig

OUTPUTS = ("interview-notes.apkg", "graph.json", "concept-map.html")
IMAGE_NOTE = "## What is LoRA?\n\nLoRA (Low-Rank Adaptation) trains adapters.\n\n![diagram](img/lora.png)\n"


def image_appears(notes: Path) -> None:
    (notes / "img").mkdir(exist_ok=True)
    (notes / "img" / "lora.png").write_bytes(b"\x89PNG first")


def image_changes(notes: Path) -> None:
    (notes / "img" / "lora.png").write_bytes(b"\x89PNG second, different bytes")


def file_renamed(notes: Path) -> None:
    (notes / "training-techniques.md").rename(notes / "techniques.md")


def seeds_with_image(notes: Path) -> None:
    copy_seed_notes(notes)
    (notes / "lora-picture.md").write_text(IMAGE_NOTE, encoding="utf-8")


@pytest.mark.parametrize(
    "before, edit",
    [
        (lambda notes: seeds_with_image(notes), image_appears),
        (lambda notes: (seeds_with_image(notes), image_appears(notes)), image_changes),
        (copy_seed_notes, file_renamed),
    ],
    ids=["an image appears", "an image changes", "a file is renamed"],
)
def test_incremental_build_equals_clean_build(tmp_path, before, edit):
    notes, out = tmp_path / "notes", tmp_path / "out"
    before(notes)
    build(BuildConfig(notes_dir=notes, output_dir=out, skip_unchanged=True, now=1_800_000_000))
    edit(notes)
    clean_notes = tmp_path / "clean-notes"
    shutil.copytree(notes, clean_notes, symlinks=True)  # the same notes and the same lockfile

    build(BuildConfig(notes_dir=notes, output_dir=out, skip_unchanged=True, now=1_800_000_100))
    build(BuildConfig(notes_dir=clean_notes, output_dir=tmp_path / "clean-out", now=1_800_000_100))
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (tmp_path / "clean-out" / name).read_bytes(), name


def test_outputs_and_lockfile_are_readable_by_others(tmp_path):
    notes = tmp_path / "notes"
    copy_seed_notes(notes)
    build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))
    for path in [notes / "deckgraph.lock.json", *(tmp_path / "out" / name for name in OUTPUTS)]:
        assert path.stat().st_mode & 0o044 == 0o044, f"{path.name} is not readable by group and others"


def test_builds_that_keep_their_state_in_memory_equal_clean_builds(tmp_path):
    """As `deckgraph watch` builds: one process, the state kept between builds, one worker after the first."""
    notes, out = tmp_path / "notes", tmp_path / "out"
    seeds_with_image(notes)
    kept = KeptBuild()
    build(BuildConfig(notes_dir=notes, output_dir=out, skip_unchanged=True, now=1_800_000_000), kept=kept)
    edits = [
        image_appears,
        lambda notes: (notes / "lora-picture.md").write_text(
            IMAGE_NOTE + "\n## What is DoRA?\n\nWeight-Decomposed LoRA (DoRA).\n"
        ),
        file_renamed,
        lambda notes: (notes / "lora-picture.md").unlink(),
    ]
    for step, edit in enumerate(edits, start=1):
        edit(notes)
        now = 1_800_000_000 + 100 * step
        build(BuildConfig(notes_dir=notes, output_dir=out, skip_unchanged=True, jobs=1, now=now), kept=kept)
        clean_notes = tmp_path / f"clean-notes-{step}"
        shutil.copytree(notes, clean_notes, symlinks=True)
        build(BuildConfig(notes_dir=clean_notes, output_dir=tmp_path / f"clean-out-{step}", now=now))
        for name in OUTPUTS:
            assert (out / name).read_bytes() == (tmp_path / f"clean-out-{step}" / name).read_bytes(), (step, name)
