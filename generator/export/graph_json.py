"""The concept graph as JSON (networkx node-link format), for other tools and for the map."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

from generator.atomic import write_pieces_atomically
from generator.graph.link import ConceptGraph


def graph_json_pieces(graph: ConceptGraph, study_order: list[str] | None = None) -> Iterator[bytes]:
    """Sorted keys, nodes and edges in sorted order, one per line, no timestamps: same notes, same bytes;
    line by line (at 100,000 cards the file is 120 MB). `study_order` (concepts, prerequisites first)
    adds `graph.study_order` and each node's `study_position` (1-based)."""
    data = nx.node_link_data(graph.to_networkx(), edges="edges")
    if study_order is not None:
        position = {name: number for number, name in enumerate(study_order, start=1)}
        data["graph"]["study_order"] = list(study_order)
        for node in data["nodes"]:
            node["study_position"] = position.get(node["id"], 0)
    for line in _one_item_per_line(data):
        yield line.encode("utf-8")


def _one_item_per_line(data: dict) -> Iterator[str]:
    """Sorted JSON with each node and each edge on a line of its own: a diff of two builds shows
    the concepts and relations that changed, and each line is encoded by json's C encoder (an
    indented dump runs in Python, seconds on a large graph)."""

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    yield "{\n"
    for number, key in enumerate(sorted(data)):
        value = data[key]
        yield ",\n" if number else ""
        if isinstance(value, list) and value:
            yield f" {compact(key)}: [\n"
            for place, item in enumerate(value):
                yield (",\n  " if place else "  ") + compact(item)
            yield "\n ]"
        else:
            yield f" {compact(key)}: {compact(value)}"
    yield "\n}\n"


def write_graph_json(path: Path, graph: ConceptGraph, study_order: list[str] | None = None) -> bool:
    return write_pieces_atomically(path, graph_json_pieces(graph, study_order))
