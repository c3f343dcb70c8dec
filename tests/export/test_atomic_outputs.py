"""Outputs replaced in one step, whether written whole or piece by piece."""

import json
import os

import networkx as nx
import pytest

from generator.atomic import write_atomically, write_pieces_atomically
from generator.export.graph_json import graph_json_pieces
from generator.export.html import _script_json
from generator.graph.link import ConceptGraph
from generator.model import Concept, Evidence, Relation


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


def test_graph_json_made_line_by_line_holds_the_networkx_node_link_data():
    lora, qlora = Evidence("QLoRA extends LoRA.", "n.md:3"), Evidence("LoRA and QLoRA", "n.md:7")
    concepts = {
        name: Concept(name=name, aliases=aliases, topic=topic, cards=("g1",), sources=("n.md:3",))
        for name, aliases, topic in (
            ("LoRA", ("low-rank adaptation",), "fine-tuning"),
            ("QLoRA", (), ""),
            ("NF4", (), ""),
        )
    }
    relations = [
        Relation("LoRA", "QLoRA", "extends", (lora,), 1.0),
        Relation("LoRA", "QLoRA", "related", (qlora,), 2.0),
        Relation("LoRA", "QLoRA", "related", (lora, qlora), 3.0),  # the same (source, target, type): the later wins
        Relation("NF4", "QLoRA", "part_of", (Evidence("NF4 part of QLoRA", "built-in vocabulary"),), 1.0),
    ]
    graph = ConceptGraph(concepts, relations, labels={"QLoRA": "量化LoRA"})
    for order in (None, ["NF4", "LoRA"], []):
        written = json.loads(b"".join(graph_json_pieces(graph, order)))
        expected = nx.node_link_data(graph.to_networkx(), edges="edges")
        if order is not None:
            expected["graph"]["study_order"] = order
            for node in expected["nodes"]:
                node["study_position"] = order.index(node["id"]) + 1 if node["id"] in order else 0
        assert written == expected
        assert [edge["weight"] for edge in written["edges"]] == [1.0, 3.0, 1.0]
    empty = json.loads(b"".join(graph_json_pieces(ConceptGraph({}, []))))
    assert empty == nx.node_link_data(nx.MultiDiGraph(), edges="edges")
