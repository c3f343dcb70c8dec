"""The incremental layer around one build: whether anything changed since the last build, the cache the
stages' results come from, and which outputs must be written again. The stages themselves never see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import BuildConfig
from generator.digests import digest, file_signature
from generator.export.apkg import PackageNote, package_digest
from generator.graph.registry import Registry
from generator.identity.lockfile import Lockfile, load_lockfile, lockfile_path
from generator.incremental.cache import BuildCache, code_version, media_stamps
from generator.incremental.memo import Memo
from generator.incremental.parsing import NoteScan
from generator.incremental.uptodate import LastBuild, build_inputs, load_last_build, save_last_build
from generator.model import Diagnostic, Flashcard, Skipped


@dataclass(slots=True)
class Outputs:
    """The outputs a build stands behind, and those whose bytes it changed."""

    paths: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


@dataclass(slots=True)
class KeptBuild:
    """What a long-running process (`deckgraph watch`) keeps in memory from one build to the next:
    the last build's record and its cache, so that the next build reads neither from output/.cache.
    Only a shortcut, like the cache itself: a build with it writes what a build without it writes."""

    place: tuple[str, str] | None = None
    """The output folder and cache variant the state belongs to."""
    last: LastBuild | None = None
    cache: BuildCache | None = None
    live: dict = field(default_factory=dict)
    """The values the last build's memory kept for the process only (`Memo.keep`)."""
    lock: tuple[tuple, Lockfile] | None = None
    """The ID lockfile as the last build saved it, with the file's path and signature then."""


class IncrementalBuild:
    def __init__(self, config: BuildConfig, kept: KeptBuild | None = None) -> None:
        self.config = config
        self.kept = kept
        self.place = (str(config.output_dir.resolve()), "html" if config.allow_html else "escaped")
        self._cache: BuildCache | None = None
        if kept is not None and kept.place == self.place:
            self.last, self._cache = kept.last, kept.cache
        else:
            self.last = load_last_build(config.output_dir)
        self._memory: Memo | None = None
        self.outputs = Outputs()

    def unchanged_since_last(self, scan: NoteScan) -> LastBuild | None:
        """The last build, when a command-line build would have nothing to do: no input changed and
        its outputs are intact."""
        last = self.last
        if not (self.config.skip_unchanged and last and last.intact()):
            return None
        return last if last.inputs == build_inputs(self.config, scan.relatives, scan.digests, last.media) else None

    @property
    def cache(self) -> BuildCache:
        if self._cache is None:
            self._cache = BuildCache.load(self.config.output_dir, self.place[1])
        return self._cache

    def card_memory(self) -> Memo:
        """The concept stage's per-card results from the last build (see generator/graph/memory.py)."""
        if self._memory is None:
            live = None  # a build of its own keeps nothing for a next one
            if self.kept is not None:
                live = self.kept.live if self.kept.place == self.place else {}
            self._memory = Memo(self.cache.graph, live)
        return self._memory

    def lockfile(self) -> Lockfile:
        """The ID lockfile: a copy of the one the last build of this process saved, while the file is
        still the one it wrote (reading 10,000 entries costs a fifth of a second), else read afresh."""
        if self.kept is not None and self.kept.lock is not None:
            seen, lock = self.kept.lock
            if seen == _seen(lockfile_path(self.config.notes_dir)):
                return lock.copy()
        return load_lockfile(self.config.notes_dir)

    def save_lockfile(self, lock: Lockfile) -> None:
        """Save `lock`, and keep it, as saved, for the next build of this process."""
        lock.save(as_read=self.kept is not None)
        if self.kept is not None:
            self.kept.lock = (_seen(lock.path), lock)

    def write(self, path: Path, inputs: str, write: Callable[[Path], bool]) -> None:
        """Write one output, unless it was made from the same `inputs` and is intact."""
        self.outputs.paths.append(path)
        if self.cache.output_is_current(path, inputs):
            return
        if write(path):
            self.outputs.written.append(path)
        self.cache.record_output(path, inputs)

    def package_inputs(self, notes: list[PackageNote], media: dict[str, Path]) -> str:
        return package_digest(notes, self.config.deck_name, media_stamps(media.values()), code_version())

    def graph_inputs(
        self, registry: Registry, cards: list[Flashcard], images: list[str], order: list[str], dues: dict[str, int]
    ) -> str:
        """Everything graph.json and the map are made of: each card's reading (the memory's keys), the
        registry, the cards shown (merged or not), their images (in the cards' HTML) and the study order."""
        memory = self.card_memory()
        return digest(
            sorted(memory.current),
            registry.digest,
            [(card.guid, card.location) for card in cards],
            sorted(media_stamps(images).items()),
            order,
            sorted(dues.items()),
            self.config.deck_name,
            code_version(),
        )

    def finish(
        self,
        scan: NoteScan,
        images: list[str],
        counts: dict[str, int],
        guids: list[str],
        diagnostics: list[Diagnostic],
        skipped: list[Skipped],
    ) -> None:
        """Save the cache and what this build was made from, for the next one."""
        memory = self.card_memory()
        self.cache.keep_graph(memory.current, memory.changed)
        self.cache.save()
        inputs = build_inputs(self.config, scan.relatives, scan.digests, images)
        outputs = {str(path): "" for path in self.outputs.paths}
        last = LastBuild(inputs, counts, len(scan.paths), guids, diagnostics, skipped, outputs, images)
        save_last_build(self.config.output_dir, last)
        if self.kept is not None:
            self.kept.place, self.kept.last, self.kept.cache = self.place, last, self.cache
            self.kept.live = memory.live


def _seen(path: Path) -> tuple[str, tuple[int, int, int] | None]:
    """Which file a path is, and its `file_signature`: a kept lockfile is taken while this is the same."""
    return str(path.resolve()), file_signature(path)
