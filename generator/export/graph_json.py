"""The concept graph as JSON (networkx node-link format), for other tools and for the map."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from generator.atomic import write_atomically
from generator.graph.link import ConceptGraph


def graph_json_bytes(graph: ConceptGraph, study_order: list[str] | None = None) -> bytes:
    """Sorted keys, nodes and edges in sorted order, no timestamps: same notes, same bytes.
    `study_order` (concepts, prerequisites first) adds `graph.study_order` and each node's
    `study_position` (1-based)."""
    data = nx.node_link_data(graph.to_networkx(), edges="edges")
    if study_order is not None:
        position = {name: number for number, name in enumerate(study_order, start=1)}
        data["graph"]["study_order"] = list(study_order)
        for node in data["nodes"]:
            node["study_position"] = position.get(node["id"], 0)
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def write_graph_json(path: Path, graph: ConceptGraph, study_order: list[str] | None = None) -> bool:
    return write_atomically(path, graph_json_bytes(graph, study_order))
