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

from generator.atomic import write_atomically
from generator.digests import file_digest
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
    media: dict[str, tuple[int, int]]
    """Images the result packs: path → (size, mtime_ns), for they can change without the note."""
    result: ParsedFile | None
    """The ParsedFile, or None for a file that gave no cards."""
    diagnostics: list[Diagnostic]
    prints: list
    """Identity fingerprints of the result's cards (LockEntry), in order."""


@dataclass(slots=True)
class BuildCache:
    """Kept as a large base file, rewritten only when much has changed, plus a small file of what
    changed since: after an edit to one note, the build writes kilobytes, not the whole cache."""

    folder: Path
    parsed: dict[str, ParsedEntry] = field(default_factory=dict)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Output file name → (digest of its inputs, digest of its bytes)."""
    graph: dict = field(default_factory=dict)
    """Per-card results of the concept stage (see memo.py)."""
    dirty: bool = False
    _base_parsed: dict = field(default_factory=dict)
    _base_graph: dict = field(default_factory=dict)

    @classmethod
    def load(cls, output_dir: Path, variant: str) -> BuildCache:
        folder = output_dir / CACHE_FOLDER / f"{code_version()}-{variant}"
        cache = cls(folder)
        try:
            with (folder / "base.pickle").open("rb") as handle:
                cache._base_parsed, cache._base_graph, cache.outputs = pickle.load(handle)
            cache.parsed, cache.graph = dict(cache._base_parsed), dict(cache._base_graph)
            if (folder / "delta.pickle").exists():
                with (folder / "delta.pickle").open("rb") as handle:
                    parsed, gone, graph, cache.outputs = pickle.load(handle)
                cache.parsed.update(parsed)
                for relative in gone:
                    cache.parsed.pop(relative, None)
                cache.graph.update(graph)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return cls(folder)  # missing or unreadable: start afresh
        return cache

    def save(self) -> None:
        if not self.dirty:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.parent.iterdir():  # caches of other code versions (not other variants)
            if stale.is_dir() and not stale.name.startswith(code_version()):
                shutil.rmtree(stale, ignore_errors=True)
        parsed = {key: entry for key, entry in self.parsed.items() if self._base_parsed.get(key) is not entry}
        gone = [key for key in self._base_parsed if key not in self.parsed]
        graph = {key: value for key, value in self.graph.items() if key not in self._base_graph}
        if len(parsed) + len(gone) + len(graph) // 10 <= max(16, len(self.parsed) // 10):
            write_atomically(self.folder / "delta.pickle", _dump((parsed, gone, graph, self.outputs)))
        else:  # much has changed: a new base, and no delta
            write_atomically(self.folder / "base.pickle", _dump((self.parsed, self.graph, self.outputs)))
            (self.folder / "delta.pickle").unlink(missing_ok=True)
            # What is on disk now, for a process that keeps this cache for its next build (watch).
            self._base_parsed, self._base_graph = dict(self.parsed), dict(self.graph)
        self.dirty = False

    def keep_graph(self, memo: dict, changed: bool) -> None:
        self.graph = memo
        self.dirty |= changed

    def lookup(self, relative: str, digest: str) -> ParsedEntry | None:
        entry = self.parsed.get(relative)
        if entry is None or entry.digest != digest:
            return None
        if any(_stat(Path(path)) != stamp for path, stamp in entry.media.items()):
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


def _dump(data: object) -> bytes:
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def media_stamps(files) -> dict[str, tuple[int, int]]:
    return {str(path): _stat(Path(path)) for path in files}


def _stat(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)
