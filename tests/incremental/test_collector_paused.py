"""A build runs without automatic garbage-collection rounds, and leaves the collector as it found it."""

from __future__ import annotations

import gc
import sys

import pytest
from conftest import write_notes

from generator.build import build
from generator.config import BuildConfig
from generator.errors import DeckgraphError

NOTE = "## What is LoRA?\n\nLoRA (Low-Rank Adaptation) trains low-rank adapters.\n"


def _rounds_during(run, inside: str = "") -> list[int]:
    """The generations of the collection rounds that start while `run` runs (and, with `inside`, while a
    function of that name is on the stack)."""
    rounds: list[int] = []

    def seen(phase: str, info: dict) -> None:
        frame = sys._getframe(1)
        while inside and frame is not None and frame.f_code.co_name != inside:
            frame = frame.f_back
        if phase == "start" and frame is not None:
            rounds.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        run()
    finally:
        gc.callbacks.remove(seen)
    return rounds


def test_a_build_makes_no_collection_rounds_and_restores_the_collector(tmp_path):
    notes = write_notes(tmp_path / "notes", {"n.md": NOTE})
    assert gc.isenabled()
    assert _rounds_during(lambda: [[] for _ in range(10_000)], inside="<listcomp>") != []  # the probe sees rounds
    assert _rounds_during(lambda: build(BuildConfig(notes, tmp_path / "out")), inside="_build") == []
    assert gc.isenabled()


def test_a_failed_build_restores_the_collector(tmp_path):
    notes = write_notes(tmp_path / "notes", {"n.md": NOTE, "concepts.toml": "[concepts\n"})
    with pytest.raises(DeckgraphError):
        build(BuildConfig(notes, tmp_path / "out"))
    assert gc.isenabled()
