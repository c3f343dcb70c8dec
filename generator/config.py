"""Build settings: one frozen value handed to every stage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_DECK_NAME = "Interview Notes"


@dataclass(frozen=True, slots=True)
class BuildConfig:
    notes_dir: Path
    output_dir: Path
    deck_name: str = DEFAULT_DECK_NAME
    allow_html: bool = False
    """Pass raw HTML in notes through to cards. Off by default: Anki runs card HTML and JavaScript."""
    strict: bool = False
    """Fail at the end if there were any warnings."""
    verbose: bool = False
    skip_unchanged: bool = False
    """Return at once when no input changed since the last build (the command line does: it only
    needs the counts). Off, every stage runs and the report holds every card."""
    jobs: int = 0
    """Worker processes for parsing and concept reading; 0 for one per core."""
    now: int | None = None
    """Build time (seconds since the epoch) for stamping changes; the clock when None."""
    acronym_cards: bool | None = None
    """A cloze card per acronym; None: as notes/deckgraph.toml says (default on)."""
    merge_duplicates: bool | None = None
    """One card for near-duplicate questions; None: as notes/deckgraph.toml says (default off)."""
    vocabulary: bool | None = None
    """The built-in vocabulary of the field under notes/concepts.toml; None: as notes/deckgraph.toml
    says (default on)."""

    @property
    def deck_slug(self) -> str:
        return slugify(self.deck_name) or "deck"

    @property
    def package_path(self) -> Path:
        return self.output_dir / f"{self.deck_slug}.apkg"


@lru_cache(maxsize=1 << 14)
def slugify(text: str) -> str:
    """Lower-case words joined by '-': for file names and Anki tags (which cannot hold spaces)."""
    words = re.findall(r"\w+", text.lower())
    return "-".join(w.strip("_") for w in words if w.strip("_"))
