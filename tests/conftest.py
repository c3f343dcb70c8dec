"""Shared test helpers: build real packages and import them into a real Anki collection."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from generator.build import build, parse_notes
from generator.config import BuildConfig

ROOT = Path(__file__).resolve().parent.parent
SEED_NOTES = ROOT / "notes"
SHARED = ROOT.parent / "shared"
"""The labelled samples of other people's notes, beside the clone (as in CI)."""


def copy_seed_notes(target: Path) -> Path:
    """The seed notes (and registry), without any ID lockfile a local `make build` left beside them."""
    shutil.copytree(SEED_NOTES, target, ignore=shutil.ignore_patterns("deckgraph.lock.json", "deckgraph.toml"))
    return target


def write_notes(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def cards_of(notes_dir: Path, **options):
    parsed, _ = parse_notes(BuildConfig(notes_dir=notes_dir, output_dir=notes_dir / "_unused", **options))
    return [card for result in parsed for card in result.cards]


def import_into_anki(package: Path, collection_path: Path) -> Collection:
    """Import `package` into a (new or existing) Anki collection with Anki's own importer."""
    collection = Collection(str(collection_path))
    collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
    return collection


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of the seed notes that a test may edit."""
    target = tmp_path / "notes"
    copy_seed_notes(target)
    return target


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seed notes (a copy: building writes the ID lockfile beside them) built once: (report, config)."""
    folder = tmp_path_factory.mktemp("seed")
    notes = folder / "notes"
    copy_seed_notes(notes)
    config = BuildConfig(notes_dir=notes, output_dir=folder / "output")
    return build(config), config


@pytest.fixture(scope="session")
def seed_collection(seed_build, tmp_path_factory):
    _report, config = seed_build
    collection = import_into_anki(config.package_path, tmp_path_factory.mktemp("anki") / "seed.anki2")
    yield collection
    collection.close()


def build_real_sample(sample: str, tmp_path: Path):
    """One labelled sample of ../shared built into tmp_path/out: (its scorer module, its labels)."""
    scorer_path = SHARED / "real-notes" / "score.py"
    assert scorer_path.exists(), f"{scorer_path} not found: the shared samples sit beside the clone (as in CI)"
    folder = SHARED / sample
    notes = tmp_path / "notes"
    shutil.copytree(folder / "notes", notes)  # building writes the lockfile beside the notes
    build(BuildConfig(notes_dir=notes, output_dir=tmp_path / "out"))
    spec = importlib.util.spec_from_file_location("real_notes_score", scorer_path)
    assert spec is not None and spec.loader is not None, f"cannot load {scorer_path}"
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    every = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return scorer, {name: value for name, value in every.items() if not name.startswith("_")}
