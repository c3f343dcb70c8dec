"""The incremental-build cache in output/.cache: parsed files by content hash, and what each output
was made from, so an unchanged build parses nothing again and rewrites no file.

It is only ever a shortcut: deleting it (or output/) changes no result, only the time taken.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from generator.atomic import write_through_atomically
from generator.digests import file_digest, file_signature
from generator.heap import collector_paused
from generator.model import Diagnostic
from generator.parse import ParsedFile

CACHE_FOLDER = ".cache"


LIBRARIES = (
    "markdown-it-py",
    "mdit-py-plugins",
    "genanki",
    "ftfy",
    "Pygments",
    "rapidfuzz",
    "networkx",
    "pyvis",
    "wordfreq",
)
"""What the outputs are made with besides deckgraph's own code: upgrading one is a new version too."""


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of deckgraph's own code and templates, the libraries' versions and Python's: a new
    version never reuses an old cache."""
    package = Path(__file__).resolve().parents[1]  # the whole generator package
    digest = hashlib.sha256(repr((sys.version, [_installed(name) for name in LIBRARIES])).encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".toml") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(slots=True)
class ParsedEntry:
    digest: str
    """SHA-256 of the note file's bytes."""
    media: dict[str, tuple[int, int, int] | None]
    """Images the result packs: path → `file_signature`, for they can change without the note."""
    result: ParsedFile | None
    """The ParsedFile, or None for a file that gave no cards."""
    diagnostics: list[Diagnostic]
    prints: list
    """Identity fingerprints of the result's cards (LockEntry), in order."""


@dataclass(slots=True)
class BuildCache:
    """Kept as large base files, rewritten only when much has changed, plus small files of what
    changed since: after an edit to one note, the build writes kilobytes, not the whole cache.

    The parses and the concept stage's results are kept apart, and the latter are read only when asked
    for: `deckgraph check` needs the parses alone, which at 100,000 cards saves seconds."""

    folder: Path
    parsed: dict[str, ParsedEntry] = field(default_factory=dict)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Output file name → (digest of its inputs, digest of its bytes)."""
    dirty: bool = False
    _base_parsed: dict = field(default_factory=dict)
    _graph: dict | None = None
    _base_graph: dict = field(default_factory=dict)

    @classmethod
    def load(cls, output_dir: Path, variant: str) -> BuildCache:
        folder = output_dir / CACHE_FOLDER / f"{code_version()}-{variant}"
        cache = cls(folder)
        try:
            cache._base_parsed, cache.outputs = _load(folder / "base-parsed.pickle")
            cache.parsed = dict(cache._base_parsed)
            if (folder / "delta-parsed.pickle").exists():
                parsed, gone, cache.outputs = _load(folder / "delta-parsed.pickle")
                cache.parsed.update(parsed)
                for relative in gone:
                    cache.parsed.pop(relative, None)
        except _UNREADABLE:
            return cls(folder)  # missing or unreadable: start afresh
        return cache

    @property
    def graph(self) -> dict:
        """Per-card results of the concept stage (see memo.py), read on first use."""
        return self._read_graph()

    def _read_graph(self) -> dict:
        if self._graph is None:
            try:
                self._base_graph = _load(self.folder / "base-graph.pickle")
                self._graph = dict(self._base_graph)
                if (self.folder / "delta-graph.pickle").exists():
                    self._graph.update(_load(self.folder / "delta-graph.pickle"))
            except _UNREADABLE:
                self._base_graph, self._graph = {}, {}
        return self._graph

    def save(self) -> None:
        if not self.dirty:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.parent.iterdir():  # caches of other code versions (not other variants)
            if stale.is_dir() and not stale.name.startswith(code_version()):
                shutil.rmtree(stale, ignore_errors=True)
        parsed = {key: entry for key, entry in self.parsed.items() if self._base_parsed.get(key) is not entry}
        gone = [key for key in self._base_parsed if key not in self.parsed]
        graph = {} if self._graph is None else {k: v for k, v in self._graph.items() if k not in self._base_graph}
        if len(parsed) + len(gone) + len(graph) // 10 <= max(16, len(self.parsed) // 10):
            _save(self.folder / "delta-parsed.pickle", (parsed, gone, self.outputs))
            if self._graph is not None:
                _save(self.folder / "delta-graph.pickle", graph)
        else:  # much has changed: new bases, and no deltas
            _save(self.folder / "base-parsed.pickle", (self.parsed, self.outputs))
            (self.folder / "delta-parsed.pickle").unlink(missing_ok=True)
            # What is on disk now, for a process that keeps this cache for its next build (watch).
            self._base_parsed = dict(self.parsed)
            if self._graph is not None:  # never read, so never changed: its files stay as they are
                _save(self.folder / "base-graph.pickle", self._graph)
                (self.folder / "delta-graph.pickle").unlink(missing_ok=True)
                self._base_graph = dict(self._graph)
        self.dirty = False

    def keep_graph(self, memo: dict, changed: bool) -> None:
        self._read_graph()  # the base the next save compares with
        self._graph = memo
        self.dirty |= changed

    def lookup(self, relative: str, digest: str) -> ParsedEntry | None:
        entry = self.parsed.get(relative)
        if entry is None or entry.digest != digest:
            return None
        if any(file_signature(Path(path)) != stamp for path, stamp in entry.media.items()):
            return None
        return entry

    def remember(self, relative: str, entry: ParsedEntry) -> None:
        self.parsed[relative] = entry
        self.dirty = True

    def forget_except(self, relatives: set[str]) -> None:
        if set(self.parsed) - relatives:
            self.parsed = {key: value for key, value in self.parsed.items() if key in relatives}
            self.dirty = True

    def output_is_current(self, output: Path, inputs: str) -> bool:
        """True when `output` exists, holds what was written, and was made from the same inputs."""
        recorded = self.outputs.get(output.name)
        if not recorded or recorded[0] != inputs or not output.exists():
            return False
        return file_digest(output) == recorded[1]

    def record_output(self, output: Path, inputs: str) -> None:
        self.outputs[output.name] = (inputs, file_digest(output))
        self.dirty = True


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError)


def _load(path: Path):
    # The cache holds millions of objects and no cycles: collecting garbage while they are made only
    # walks them again and again (at 100,000 cards it doubles the time taken).
    with collector_paused(), path.open("rb") as handle:
        return pickle.load(handle)


def _save(path: Path, data: object) -> None:
    # Pickled straight into the file: at 100,000 cards the parses' bytes alone are 240 MB.
    write_through_atomically(path, lambda out: pickle.dump(data, out, protocol=pickle.HIGHEST_PROTOCOL))


def media_stamps(files) -> dict[str, tuple[int, int, int] | None]:
    return {str(path): file_signature(Path(path)) for path in files}
