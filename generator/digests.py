"""Short content digests shared by every stage: cache keys, file fingerprints, output inputs."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest(*parts: object) -> str:
    """A short stable digest of the parts' text (a key, not a security measure)."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes; '' if it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
