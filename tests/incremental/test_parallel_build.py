"""Parsing and concept reading run on all cores for big note folders; the outputs must not change."""

from __future__ import annotations

import shutil

from bench.corpus import make_corpus
from generator.build import build
from generator.config import BuildConfig
from generator.workers import MIN_ITEMS

OUTPUTS = ("interview-notes.apkg", "graph.json", "concept-map.html")


def test_one_worker_and_two_workers_write_the_same_files(tmp_path):
    notes = make_corpus(tmp_path / "notes", files=MIN_ITEMS + 20, questions=3)
    serial_notes = tmp_path / "serial-notes"
    shutil.copytree(notes, serial_notes)

    parallel = build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "two", jobs=2, now=1_800_000_000))
    serial = build(BuildConfig(notes_dir=serial_notes, output_dir=tmp_path / "one", jobs=1, now=1_800_000_000))

    assert len(parallel.cards) == len(serial.cards) >= 3 * (MIN_ITEMS + 20)  # and a card per table row
    for name in OUTPUTS:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    assert (notes / "deckgraph.lock.json").read_bytes() == (serial_notes / "deckgraph.lock.json").read_bytes()
