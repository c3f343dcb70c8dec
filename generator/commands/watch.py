"""Rebuild on every save. A broken note is reported and the watcher goes on; outputs are replaced
atomically, so Anki or a browser never reads a half-written file. The builds keep their state in
memory between saves (`LiveBuild`), so a save is seen in the outputs within a second."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from watchfiles import Change, watch

from generator.build import BuildReport, KeptBuild, build
from generator.config import BuildConfig
from generator.errors import DeckgraphError
from generator.heap import collect_now

WATCHED_SUFFIXES = (".md", ".markdown", ".toml", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
"""Notes, the registry and settings, and images. Not the ID lockfile, which every build writes itself."""


def note_filter(change: Change, path: str) -> bool:
    name = Path(path).name
    return name.endswith(WATCHED_SUFFIXES) and not name.startswith(".")


def watch_and_build(
    notes_dir: Path,
    rebuild: Callable[[], None],
    report_error: Callable[[str], None],
    debounce_ms: int = 300,
    stop_event=None,
) -> None:
    """Run `rebuild` once, then after every burst of saves (debounced) until interrupted."""
    _safely(rebuild, report_error)
    for _changes in watch(
        notes_dir, watch_filter=note_filter, debounce=debounce_ms, step=50, stop_event=stop_event, raise_interrupt=False
    ):
        _safely(rebuild, report_error)


def _safely(rebuild: Callable[[], None], report_error: Callable[[str], None]) -> None:
    try:
        rebuild()
    except DeckgraphError as error:
        report_error(error.format_message())
    except Exception as error:
        report_error(f"build failed: {type(error).__name__}: {error}")


class LiveBuild:
    """`build(config)` once per call, keeping the last build's state in memory (`KeptBuild`): the
    next build loads nothing from output/.cache. Only the first build, made before the watcher's
    thread starts, may fork worker processes; forking a process that runs other threads is unsafe,
    so every later build works in this process alone. The first build is a whole one even when
    nothing changed since the last build (it rewrites nothing then): it makes what the saves after
    it take from memory (the matchers, the co-mention counts, each card's fields), so the first
    save is answered as soon as the next ones."""

    def __init__(self, config: BuildConfig) -> None:
        self.config = config
        self.kept = KeptBuild()
        self.builds = 0

    def __call__(self) -> BuildReport:
        config = replace(self.config, skip_unchanged=False) if self.builds == 0 else replace(self.config, jobs=1)
        self.builds += 1
        try:
            return build(config, kept=self.kept)
        finally:
            collect_now()  # the build ran without cyclic collection (generator/heap.py); free its cycles now
