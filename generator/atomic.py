"""Replace an output file in one step: write beside it, then rename over it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

_BLOCK = 1 << 20


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that. Returns whether it wrote."""
    if path.exists() and path.read_bytes() == data:
        return False
    return write_pieces_atomically(path, (data,))


def write_pieces_atomically(path: Path, pieces: Iterable[bytes]) -> bool:
    """`write_atomically` for an output made piece by piece (the concept map of 100,000 cards is
    hundreds of megabytes): the pieces go to disk as they come. Returns whether it wrote."""
    return write_through_atomically(path, lambda out: out.writelines(pieces))


def write_through_atomically(path: Path, write: Callable[[BinaryIO], object]) -> bool:
    """`write_atomically` for an output that `write` writes into the file it is given, as it is made,
    so it is never held whole; the file is compared with the one it would replace block by block.
    Returns whether it wrote."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the mode it had, or the usual one.
        os.fchmod(handle, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(handle, "wb", buffering=_BLOCK) as out:
            write(out)
        if _same_bytes(Path(temporary), path):
            Path(temporary).unlink()
            return False
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _same_bytes(first: Path, second: Path) -> bool:
    try:
        if first.stat().st_size != second.stat().st_size:
            return False
        with first.open("rb") as one, second.open("rb") as other:
            while block := one.read(_BLOCK):
                if block != other.read(_BLOCK):
                    return False
    except OSError:
        return False
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
