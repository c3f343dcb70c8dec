"""`deckgraph watch` rebuilds on save and survives broken notes; `deckgraph prune` forgets removed cards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, write_notes

from generator.commands.cli import main
from generator.identity.lockfile import load_lockfile


class Watcher:
    """`python -m generator watch` in a subprocess; its output goes to a log file read as it grows."""

    def __init__(self, notes: Path, out: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.log_path = out.parent / "watch.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", str(notes), "-o", str(out)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.read = 0

    def wait_for(self, fragment: str, timeout: float = 30) -> list[str]:
        """Lines printed since the last call, up to the first holding `fragment`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_text(encoding="utf-8")
            lines = text[self.read :].split("\n")
            for index, line in enumerate(lines[:-1]):
                if fragment in line:
                    self.read += sum(len(text) + 1 for text in lines[: index + 1])
                    return lines[: index + 1]
            time.sleep(0.1)
        raise AssertionError(f"{fragment!r} never printed; log: {self.log_path.read_text(encoding='utf-8')}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


def test_watch_rebuilds_on_save_and_survives_a_broken_note(tmp_path):
    notes = write_notes(tmp_path / "notes", {"a.md": "## What is LoRA?\n\nLow-rank adapters.\n"})
    out = tmp_path / "out"
    package = out / "interview-notes.apkg"
    watcher = Watcher(notes, out)
    try:
        watcher.wait_for("watching")
        first = package.read_bytes()

        (notes / "a.md").write_text(
            "## What is LoRA?\n\nLow-rank adapters.\n\n## What is DoRA?\n\nWeight-decomposed.\n", encoding="utf-8"
        )
        seen = watcher.wait_for("watching")
        assert any("2 cards from 1 files" in line for line in seen), seen
        assert package.read_bytes() != first

        (notes / "broken.md").write_bytes(b"\x00\xff\x00 not text")
        seen = watcher.wait_for("watching")
        assert any("broken.md:1: error: binary file" in line for line in seen), seen
        assert watcher.process.poll() is None, "the watcher died"

        (notes / "a.md").write_text("## What is QLoRA?\n\nQuantized LoRA.\n", encoding="utf-8")
        seen = watcher.wait_for("watching")
        assert any("1 added" in line for line in seen), seen
        assert not list(out.glob(".*.tmp")), "a half-written file was left behind"
    finally:
        watcher.stop()


def test_prune_forgets_removed_cards_only(tmp_path):
    notes = write_notes(tmp_path / "notes", {"a.md": "## What is A?\n\nA.\n\n## What is B?\n\nB.\n"})
    runner = CliRunner()
    runner.invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")], catch_exceptions=False)
    (notes / "a.md").write_text("## What is A?\n\nA.\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert "1 removed" in result.output
    assert sum(e.removed for e in load_lockfile(notes).entries.values()) == 1

    result = runner.invoke(main, ["prune", str(notes)], catch_exceptions=False)
    assert "forgot a.md:5: What is B?" in result.output
    assert [e.text for e in load_lockfile(notes).entries.values()] == ["What is A?"]
    assert "No removed cards" in runner.invoke(main, ["prune", str(notes)]).output
