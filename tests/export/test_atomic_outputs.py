"""Outputs replaced in one step, whether written whole or piece by piece."""

import json
import os

import pytest

from generator.atomic import write_atomically, write_pieces_atomically
from generator.export.html import _script_json


def test_pieces_make_the_file_and_an_unchanged_file_is_left_alone(tmp_path):
    path = tmp_path / "out" / "page.html"
    assert write_pieces_atomically(path, (b"<html>", b"a" * 3_000_000, b"</html>"))
    assert path.read_bytes() == b"<html>" + b"a" * 3_000_000 + b"</html>"
    before = os.stat(path)
    assert not write_pieces_atomically(path, (b"<html>" + b"a" * 3_000_000, b"</html>"))  # same bytes, other pieces
    assert os.stat(path).st_ino == before.st_ino and os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert not write_atomically(path, path.read_bytes())
    assert write_pieces_atomically(path, (b"<html>", b"a" * 3_000_000, b"!</html>"))  # one byte more, at the end
    assert path.read_bytes().endswith(b"a!</html>")
    assert not list(path.parent.glob("*.tmp"))


def test_a_failure_while_the_pieces_are_made_leaves_the_old_file(tmp_path):
    path = tmp_path / "graph.json"
    write_atomically(path, b"old")

    def pieces():
        yield b"new, half"
        raise MemoryError

    with pytest.raises(MemoryError):
        write_pieces_atomically(path, pieces())
    assert path.read_bytes() == b"old"
    assert not list(tmp_path.glob("*.tmp"))


def test_the_map_data_written_in_pieces_is_the_json_of_the_whole():
    data = {
        "cards": {f"guid{n}": {"answer": f"<b>x</b> & y\u2028{n}", "n": n} for n in range(30_000)},
        "nodes": [{"id": "LoRA", "label": "低秩适配", "x": 1.5}, []],
        "empty": {},
        "numbered": {1: "a key that is not text"},
        "none": None,
    }
    whole = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    pieces = list(_script_json(data))
    assert len(pieces) > 1  # written item by item, never as one string
    written = b"".join(pieces).decode("utf-8")
    assert "<" not in written and ">" not in written and "&" not in written and "\u2028" not in written
    assert written == (
        whole.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028")
    )
