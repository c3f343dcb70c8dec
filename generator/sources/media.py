"""Images in notes → media files packed with the deck, only from inside the notes folder.

Anki keeps media as flat names in one folder per collection, so each packed file gets a name that
cannot collide: a short hash of its bytes, then its own name (`3f2a9c1e-diagram.png`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from generator.model import Diagnostic, SourceLocation

MAX_MEDIA_BYTES = 20 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^\w.-]+")


@dataclass(slots=True)
class MediaContext:
    """What the image render rule needs, handed to markdown-it through its `env`."""

    notes_dir: Path | None
    note_path: str
    """The note's path relative to the notes folder (forward slashes)."""
    lines: list[str] = field(default_factory=list)
    media: dict[str, Path] = field(default_factory=dict)
    """Flat media name → file to pack."""
    images: set[Path] = field(default_factory=set)
    """Every image file the note points to inside the folder, found or not: when one appears or
    changes, the note's cards change, so caches must notice."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    line: int = 0
    """0-based line of the block being rendered, to place messages."""
    _reported: set[tuple[int, str]] = field(default_factory=set)

    def locate(self, src: str) -> SourceLocation:
        """The line that mentions `src`, searching from the block being rendered."""
        needle = unquote(src)
        for number in range(self.line, min(len(self.lines), self.line + 200)):
            if needle in self.lines[number] or src in self.lines[number]:
                return SourceLocation(self.note_path, number + 1)
        return SourceLocation(self.note_path, self.line + 1)

    def warn(self, src: str, message: str, code: str) -> None:
        where = self.locate(src)
        if (where.line, src) in self._reported:
            return
        self._reported.add((where.line, src))
        self.diagnostics.append(Diagnostic(where, message, "warning", code))


def is_remote(src: str) -> bool:
    """Any URL with a scheme (http:, https:, data:, file: …) or a host: never fetched, never packed."""
    parts = urlsplit(src)
    return bool(parts.scheme or parts.netloc)


def resolve_image(context: MediaContext, src: str) -> str | None:
    """The flat media name for a local image, or None (with a warning) if it cannot be packed safely."""
    if context.notes_dir is None:
        return None
    raw = unquote(src.split("#", 1)[0].split("?", 1)[0])
    problem = unsafe_reason(raw)
    if problem:
        context.warn(src, f"image {src!r} {problem}; not packed", "unsafe-image")
        return None
    root = context.notes_dir.resolve()
    candidate = context.notes_dir / PurePosixPath(context.note_path).parent / raw
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # symlink loops
        context.warn(src, f"image {src!r} cannot be resolved; not packed", "missing-image")
        return None
    if not resolved.is_relative_to(root):
        context.warn(src, f"image {src!r} leaves the notes folder; not packed", "unsafe-image")
        return None
    context.images.add(resolved)
    if not resolved.is_file():
        context.warn(src, f"image {src!r} not found", "missing-image")
        return None
    try:
        data = resolved.read_bytes() if resolved.stat().st_size <= MAX_MEDIA_BYTES else None
    except OSError as err:
        context.warn(src, f"image {src!r} cannot be read ({err.strerror}); not packed", "missing-image")
        return None
    if data is None:
        context.warn(src, f"image {src!r} is over {MAX_MEDIA_BYTES // 1048576} MB; not packed", "missing-image")
        return None
    name = flat_name(data, resolved.name)
    context.media[name] = resolved
    return name


def unsafe_reason(path: str) -> str:
    """Why a relative image path is refused outright ('' if it is acceptable)."""
    if not path.strip():
        return "has an empty path"
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", path):
        return "is an absolute path"
    if ".." in re.split(r"[\\/]", path):
        return "points outside the notes folder (..)"
    return ""


def flat_name(data: bytes, original: str) -> str:
    """`<8 hex of the content hash>-<original name>`: the same file always gets the same name."""
    stem = _SAFE_NAME.sub("_", original).strip("._") or "image"
    return f"{hashlib.sha256(data).hexdigest()[:8]}-{stem}"
