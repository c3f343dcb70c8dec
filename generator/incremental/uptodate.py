"""Whether a build has anything to do: when no input changed since the last build (the notes'
bytes, the registry, the settings, the ID lockfile, the options, deckgraph itself, the images) and
its outputs are intact, the outputs are already what a build would write, so none of it runs.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from generator.atomic import write_atomically
from generator.config import BuildConfig
from generator.digests import file_digest
from generator.graph.registry import REGISTRY_NAME
from generator.identity.lockfile import lockfile_path
from generator.incremental.cache import CACHE_FOLDER, code_version, media_stamps
from generator.model import Diagnostic, Skipped
from generator.settings import SETTINGS_NAME

STATE_NAME = "last-build.pickle"


@dataclass(slots=True)
class LastBuild:
    """What the last build was made from, and what its report said."""

    inputs: str
    counts: dict[str, int]
    files: int
    guids: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    """Output path → SHA-256 of the bytes the build left there."""
    media: list[str] = field(default_factory=list)
    """Images the package holds: a change to one is a change of input."""

    def intact(self) -> bool:
        return all(file_digest(Path(path)) == digest for path, digest in self.outputs.items())


def build_inputs(config: BuildConfig, relatives: list[str], digests: list[str], media: list[str]) -> str:
    """One digest of everything a build reads."""
    digest = hashlib.sha256(
        repr(
            (
                code_version(),
                config.deck_name,
                config.allow_html,
                config.acronym_cards,
                config.merge_duplicates,
                config.vocabulary,
                str(config.output_dir.resolve()),
                list(zip(relatives, digests)),
                sorted(media_stamps(media).items()),
                [file_digest(config.notes_dir / name) for name in (REGISTRY_NAME, SETTINGS_NAME)],
                file_digest(lockfile_path(config.notes_dir)),
            )
        ).encode("utf-8", "surrogatepass")
    )
    return digest.hexdigest()


def load_last_build(output_dir: Path) -> LastBuild | None:
    try:
        with (output_dir / CACHE_FOLDER / STATE_NAME).open("rb") as handle:
            last = pickle.load(handle)
        return last if isinstance(last, LastBuild) else None
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None


def save_last_build(output_dir: Path, last: LastBuild) -> None:
    last.outputs = {path: file_digest(Path(path)) for path in last.outputs}
    write_atomically(output_dir / CACHE_FOLDER / STATE_NAME, pickle.dumps(last, protocol=pickle.HIGHEST_PROTOCOL))
