"""The command line as a user runs it: exit codes, summary, deterministic output."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from click.testing import CliRunner
from conftest import ROOT, write_notes

from generator.commands.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_writes_one_package_and_prints_a_summary(seed_copy, tmp_path):
    result = run("build", str(seed_copy), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.glob("*.apkg")] == ["interview-notes.apkg"]
    assert "cards from 5 files" in result.output and "warnings" in result.output


def test_deck_name_is_configurable(seed_copy, tmp_path):
    result = run("build", str(seed_copy), "-o", str(tmp_path), "--deck", "ML Prep")
    assert result.exit_code == 0
    assert (tmp_path / "ml-prep.apkg").exists()


def test_same_notes_give_byte_identical_package(seed_copy, tmp_path):
    run("build", str(seed_copy), "-o", str(tmp_path / "a"))
    run("build", str(seed_copy), "-o", str(tmp_path / "b"))
    first = (tmp_path / "a" / "interview-notes.apkg").read_bytes()
    assert first == (tmp_path / "b" / "interview-notes.apkg").read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "interview-notes.apkg") as archive:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


def test_second_build_rewrites_nothing(seed_copy, tmp_path):
    run("build", str(seed_copy), "-o", str(tmp_path))
    result = run("build", str(seed_copy), "-o", str(tmp_path))
    assert "(unchanged)" in result.output


def test_missing_or_empty_notes_folder_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "notes folder not found" in result.output
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["build", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no Markdown notes" in result.output


def test_errors_are_reported_with_the_file_and_exit_non_zero(tmp_path):
    notes = write_notes(tmp_path / "notes", {"good.md": "## What is X?\n\nY.\n"})
    (notes / "bad.md").write_bytes(b"\x00\x01binary\x00")
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.md:1: error: binary file" in result.output
    assert (tmp_path / "out" / "interview-notes.apkg").exists()  # the rest was still built


def test_verbose_lists_blocks_that_are_not_cards(seed_copy, tmp_path):
    result = run("build", str(seed_copy), "-o", str(tmp_path), "-v")
    assert "training-techniques.md:1: not a card (introduction" in result.output


def test_runs_as_python_module(seed_copy, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(seed_copy), "-o", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "interview-notes.apkg").exists()


def test_help_explains_itself():
    result = run("build", "--help")
    assert "NOTES_DIR" in result.output and "--deck" in result.output and "--strict" in result.output
