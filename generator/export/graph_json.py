"""The concept graph as JSON (networkx node-link format), for other tools and for the map."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from generator.atomic import write_atomically
from generator.graph.link import ConceptGraph


def graph_json_bytes(graph: ConceptGraph, study_order: list[str] | None = None) -> bytes:
    """Sorted keys, nodes and edges in sorted order, one per line, no timestamps: same notes, same bytes.
    `study_order` (concepts, prerequisites first) adds `graph.study_order` and each node's
    `study_position` (1-based)."""
    data = nx.node_link_data(graph.to_networkx(), edges="edges")
    if study_order is not None:
        position = {name: number for number, name in enumerate(study_order, start=1)}
        data["graph"]["study_order"] = list(study_order)
        for node in data["nodes"]:
            node["study_position"] = position.get(node["id"], 0)
    return _one_item_per_line(data).encode("utf-8")


def _one_item_per_line(data: dict) -> str:
    """Sorted JSON with each node and each edge on a line of its own: a diff of two builds shows
    the concepts and relations that changed, and each line is encoded by json's C encoder (an
    indented dump runs in Python, seconds on a large graph)."""

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    fields = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            items = ",\n".join(f"  {compact(item)}" for item in value)
            fields.append(f" {compact(key)}: [\n{items}\n ]")
        else:
            fields.append(f" {compact(key)}: {compact(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def write_graph_json(path: Path, graph: ConceptGraph, study_order: list[str] | None = None) -> bool:
    return write_atomically(path, graph_json_bytes(graph, study_order))
