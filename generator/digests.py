"""Short content digests shared by every stage: cache keys, file fingerprints, output inputs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path


def digest(*parts: object) -> str:
    """A short stable digest of the parts' text (a key, not a security measure): of
    `"\\x1f".join(str(part) for part in parts)`, hashed piece by piece, for a part can be a list of
    every card's key (at 100,000 cards its text, joined and encoded, held 150 MB)."""
    hasher = hashlib.blake2b(digest_size=16)
    for number, part in enumerate(parts):
        if number:
            hasher.update(b"\x1f")
        for piece in _text_pieces(part):
            hasher.update(piece.encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


def _text_pieces(part: object) -> Iterator[str]:
    """`str(part)` in pieces: a list's as its repr is made, its items' reprs between brackets."""
    if type(part) is not list:
        yield str(part)
        return
    yield "["
    for number, item in enumerate(part):
        yield ", " + repr(item) if number else repr(item)
    yield "]"


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """What tells, without reading it, that a file was replaced or changed since it was last seen: its
    inode, size and modification time; None: it is missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks (the concept map of 100,000 cards is 200 MB); '' if it
    cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""
