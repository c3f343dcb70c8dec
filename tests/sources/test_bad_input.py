"""Bad input never ends in a traceback: each problem is named with its file and line, the rest is built."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.parse.file as parse_file_module
from generator.build import build
from generator.commands.cli import main
from generator.config import BuildConfig
from generator.parse.file import parse_file
from generator.parse.markdown import markdown

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
GOOD = "# Good\n\n## What is a good note?\n\nOne that builds.\n"


def generate(name: str, folder: Path) -> Path:
    """Cases too big or too binary to keep in the repository, made on the spot."""
    path = folder / name
    if name == "binary.md":
        path.write_bytes(bytes(range(256)) * 64)
    elif name == "huge.md":
        with path.open("wb") as out:
            out.truncate(20 * 1024 * 1024)  # sparse: 20 MB of zero bytes
    elif name == "deep-nesting.md":
        path.write_text(
            "# Deep\n\n## What is deep?\n\n" + "\n".join("  " * i + f"- level {i}" for i in range(500)) + "\n",
            encoding="utf-8",
        )
    elif name == "deep-quotes.md":
        path.write_text("# Quotes\n\n## What is quoted?\n\n" + ">" * 3000 + " deep\n", encoding="utf-8")
    else:
        raise KeyError(name)
    return path


def notes_with(tmp_path: Path, case: str) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text(GOOD, encoding="utf-8")
    if case.startswith("@"):
        generate(case[1:], notes)
    else:
        shutil.copy(FIXTURES / case, notes / case)
    return notes


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_file_is_named_and_the_rest_is_built(tmp_path, case):
    notes = notes_with(tmp_path, case)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    for fragment in EXPECTED[case]:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"
    assert (out / "interview-notes.apkg").exists()
    report = build(BuildConfig(notes_dir=notes, output_dir=out))
    assert any(card.location.path == "good.md" for card in report.cards)


@pytest.mark.parametrize("case", sorted(case for case in EXPECTED if EXPECTED[case]))
def test_strict_build_fails_on_a_bad_file_and_writes_nothing(tmp_path, case):
    notes = notes_with(tmp_path, case)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(out), "--strict"])
    assert result.exit_code == 1
    assert "--strict" in result.output and "Traceback" not in result.output
    assert not (out / "interview-notes.apkg").exists()


def test_deeply_nested_lists_build_their_card(tmp_path):
    notes = notes_with(tmp_path, "@deep-nesting.md")
    report = build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))
    assert any(card.question == "What is deep?" for card in report.cards)


@pytest.mark.parametrize("notes", ["missing", "empty"])
def test_missing_or_empty_notes_folder_exits_2(tmp_path, notes):
    folder = tmp_path / notes
    if notes == "empty":
        folder.mkdir()
    for command in ("build", "check"):
        result = CliRunner().invoke(
            main, [command, str(folder), "-o", str(tmp_path / "o")][: 2 if command == "check" else 4]
        )
        assert result.exit_code == 2, result.output
        assert str(folder) in result.output
        assert "Traceback" not in result.output


def test_unexpected_parser_error_names_the_file(tmp_path, monkeypatch):
    notes = notes_with(tmp_path, "unanswered.md")
    real = parse_file_module.parse_source

    def explode(source, *args, **kwargs):
        if source.path == "unanswered.md":
            raise ValueError("boom")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(parse_file_module, "parse_source", explode)
    report = build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))
    [error] = report.errors
    assert str(error).startswith("unanswered.md:1: error:") and "ValueError: boom" in str(error)
    assert [card.location.path for card in report.cards] == ["good.md"]


def test_failure_mid_build_leaves_the_old_output_untouched(tmp_path, monkeypatch):
    notes = notes_with(tmp_path, "empty-heading.md")
    out = tmp_path / "out"
    build(BuildConfig(notes_dir=notes, output_dir=out))
    package = out / "interview-notes.apkg"
    before = package.read_bytes()
    (notes / "more.md").write_text("# More\n\n## What changed?\n\nThis.\n", encoding="utf-8")

    import generator.atomic as atomic

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(out)])
    assert result.exit_code == 1 and "it is unchanged (each output is replaced whole or not at all)" in result.output
    assert package.read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "concept-map.html",
        "graph.json",
        "interview-notes.apkg",
    ]
    assert not [p for p in out.rglob("*.tmp")]  # no temporary left behind

    import generator.build as build_module

    monkeypatch.undo()  # writing works again; now the build itself fails while making the package
    monkeypatch.setattr(build_module, "write_package", lambda *a, **k: (_ for _ in ()).throw(MemoryError()))
    with pytest.raises(MemoryError):
        build(BuildConfig(notes_dir=notes, output_dir=out))
    assert package.read_bytes() == before


def test_huge_file_is_skipped_unread_and_a_4mb_file_builds(tmp_path, monkeypatch):
    notes = notes_with(tmp_path, "@huge.md")
    opened: list[str] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self.name) or real_open(self, *a, **k))
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(self.name) or real_open(self, "rb").read())
    report = build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))
    monkeypatch.undo()
    too_large = [d for d in report.diagnostics if d.code == "too-large"]
    assert [d.location.path for d in too_large if d.location] == ["huge.md"] and "huge.md" not in opened

    paragraph = "An answer with **bold**, `code` and $x_n$ math, long enough to read like a real note. " * 10
    section = "## What is item {n}?\n\n" + paragraph + "\n\n- a point\n- another\n\n"
    sections = 4 * 1024 * 1024 // len(section) + 1
    (notes / "big.md").write_text("# Big\n\n" + "".join(section.format(n=n) for n in range(sections)), encoding="utf-8")
    assert (notes / "big.md").stat().st_size > 4 * 1024 * 1024
    report = build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out2"))
    assert len([c for c in report.cards if c.location.path == "big.md"]) == sections


@pytest.mark.parametrize("case", sorted(case for case in EXPECTED if not EXPECTED[case]))
def test_strict_build_passes_on_odd_but_valid_input(tmp_path, case):
    notes = notes_with(tmp_path, case)
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 0, result.output


def test_a_file_that_vanishes_during_the_build_is_named(tmp_path):
    """Editors that save by writing a new file and renaming it make this happen in watch mode."""
    notes = notes_with(tmp_path, "empty-heading.md")
    result, diagnostics = parse_file(notes / "gone.md", notes, markdown())
    assert result is None
    assert [str(d) for d in diagnostics] == [
        "gone.md:1: error: cannot read the file (No such file or directory); skipped"
    ]


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "deckgraph.lock.json",
            b'{"version": 1, "cards": []}',
            "deckgraph.lock.json:1: the ID lockfile has an unexpected shape",
        ),
        (
            "deckgraph.lock.json",
            b'{"version": 1, "cards": {\xff}}',
            "deckgraph.lock.json:1: the ID lockfile is not UTF-8",
        ),
        ("concepts.toml", b'[concepts.LoRA]\ntopic = "\xff"\n', "concepts.toml:1: not UTF-8 text"),
        ("deckgraph.toml", b"[build]\n# \xff\n", "deckgraph.toml:1: not UTF-8 text"),
    ],
)
def test_broken_lockfile_registry_or_settings_is_named_without_a_traceback(tmp_path, name, content, message):
    notes = notes_with(tmp_path, "empty-heading.md")
    (notes / name).write_bytes(content)
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and message in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
