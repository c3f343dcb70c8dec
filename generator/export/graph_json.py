"""The concept graph as JSON (networkx node-link format), for other tools and for the map."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from generator.export.atomic import write_atomically
from generator.link import ConceptGraph


def graph_json_bytes(graph: ConceptGraph) -> bytes:
    """Sorted keys, nodes and edges in sorted order, no timestamps: same notes, same bytes."""
    data = nx.node_link_data(graph.to_networkx(), edges="edges")
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def write_graph_json(path: Path, graph: ConceptGraph) -> bool:
    return write_atomically(path, graph_json_bytes(graph))
