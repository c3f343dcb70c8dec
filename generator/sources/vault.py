"""The settings of the flashcard plugins an Obsidian vault commits, so its notes read as the plugin read them.

Spaced Repetition (`.obsidian/plugins/obsidian-spaced-repetition/data.json`) sets the card tags, the
separators and the cloze patterns; Obsidian_to_Anki (`…/obsidian-to-anki-plugin/data.json`) its custom
regular expressions. The nearest `.obsidian` folder between the note and the notes folder is the vault's.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from generator.digests import file_signature
from generator.model import CardSyntax

_SR = Path(".obsidian/plugins/obsidian-spaced-repetition/data.json")
_TO_ANKI = Path(".obsidian/plugins/obsidian-to-anki-plugin/data.json")


def card_syntax(path: Path, notes_dir: Path) -> CardSyntax:
    """The card syntax for the note at `path`: its vault's plugin settings, else the plugins' defaults."""
    vault = _vault(path, notes_dir)
    return _vault_syntax(vault, _stamp(vault)) if vault is not None else CardSyntax()


def _stamp(vault: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """When the settings files last changed: a changed file is read again, even in the same process."""
    return tuple(file_signature(vault / name) for name in (_SR, _TO_ANKI))


def settings_digest(path: Path, notes_dir: Path) -> str:
    """A digest of the plugin settings that shape how the note is read ('' without any): part of the
    note's cache key, so a changed separator re-reads the vault's notes."""
    vault = _vault(path, notes_dir)
    if vault is None:
        return ""
    parts = []
    for name in (_SR, _TO_ANKI):
        try:
            parts.append(hashlib.sha256((vault / name).read_bytes()).hexdigest())
        except OSError:
            parts.append("")
    return hashlib.sha256(" ".join(parts).encode()).hexdigest() if any(parts) else ""


def _vault(path: Path, notes_dir: Path) -> Path | None:
    """The nearest folder holding `.obsidian/` between the note and the notes folder."""
    root = notes_dir.resolve()
    folder = path.parent.resolve()  # the folder the note is in, as Obsidian sees it (and as the scan groups notes)
    while True:
        if (folder / ".obsidian").is_dir():
            return folder
        if folder == root or folder.parent == folder or not folder.is_relative_to(root):
            return None
        folder = folder.parent


@lru_cache(maxsize=64)
def _vault_syntax(vault: Path, stamp: tuple) -> CardSyntax:
    sr = _settings(vault / _SR)
    to_anki = _settings(vault / _TO_ANKI)
    defaults = CardSyntax()
    regexps = to_anki.get("CUSTOM_REGEXPS") or {}
    tags = sr.get("flashcardTags")
    return CardSyntax(
        card_tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else defaults.card_tags,
        inline=_text(sr, "singleLineCardSeparator", defaults.inline),
        inline_reversed=_text(sr, "singleLineReversedCardSeparator", defaults.inline_reversed),
        multiline=_text(sr, "multilineCardSeparator", defaults.multiline),
        multiline_reversed=_text(sr, "multilineReversedCardSeparator", defaults.multiline_reversed),
        multiline_end=_text(sr, "multilineCardEndMarker", defaults.multiline_end).strip(),
        highlight_clozes=bool(sr.get("convertHighlightsToClozes", defaults.highlight_clozes)),
        bold_clozes=bool(sr.get("convertBoldTextToClozes", defaults.bold_clozes)),
        curly_clozes=bool(sr.get("convertCurlyBracketsToClozes", defaults.curly_clozes)),
        cloze_patterns=tuple(p for p in sr.get("clozePatterns") or () if isinstance(p, str) and p.strip()),
        custom_regexps=tuple((name, rx) for name, rx in regexps.items() if isinstance(rx, str) and rx.strip())
        if isinstance(regexps, dict)
        else (),
    )


def _settings(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    settings = data.get("settings", data) if isinstance(data, dict) else {}
    return settings if isinstance(settings, dict) else {}


def _text(settings: dict, key: str, default: str) -> str:
    value = settings.get(key)
    return value if isinstance(value, str) and value.strip() else default
