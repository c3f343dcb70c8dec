"""The notes' text by path, read on demand (for evidence that names the exact line of its sentence)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.sources.files import read_source


class NoteTexts(Mapping[str, str]):
    """The notes' text by path, read when first asked for: relation evidence names the exact line
    of its sentence, and a build whose cards all come from the cache reads none of them."""

    def __init__(self, notes_dir: Path) -> None:
        self.notes_dir = notes_dir
        self._texts: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        if path not in self._texts:
            try:
                self._texts[path] = read_source(self.notes_dir / path, self.notes_dir).text
            except OSError as err:
                raise KeyError(path) from err
        return self._texts[path]

    def __iter__(self):
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
