"""The concept graph as JSON (networkx node-link format), for other tools and for the map."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.atomic import write_pieces_atomically
from generator.graph.link import ConceptGraph, edge_data
from generator.model import Relation


def graph_json_pieces(graph: ConceptGraph, study_order: list[str] | None = None) -> Iterator[bytes]:
    """Sorted keys, nodes and edges in sorted order, one per line, no timestamps: same notes, same bytes;
    line by line (at 100,000 cards the file is 120 MB). `study_order` (concepts, prerequisites first)
    adds `graph.study_order` and each node's `study_position` (1-based).

    The lines are what `networkx.node_link_data(graph.to_networkx(), edges="edges")` holds, made
    one at a time from the graph itself: building the networkx graph and its node-link copy only to
    print them held every edge's evidence twice more in memory."""
    position = None if study_order is None else {name: n for n, name in enumerate(study_order, start=1)}
    meta = {} if study_order is None else {"study_order": list(study_order)}
    data = {
        "directed": True,
        "edges": _edges(graph.relations),
        "graph": meta,
        "multigraph": True,
        "nodes": _nodes(graph, position),
    }
    for line in _one_item_per_line(data):
        yield line.encode("utf-8")


def _nodes(graph: ConceptGraph, position: dict[str, int] | None) -> Iterator[dict]:
    for name in sorted(graph.concepts):
        node = {**graph.node_data(name), "id": name}
        if position is not None:
            node["study_position"] = position.get(name, 0)
        yield node


def _edges(relations: Iterable[Relation]) -> Iterator[dict]:
    """One edge per (source, target, type), in that order; where two relations share all three, the
    later one's values, as a multigraph keyed by type keeps them."""
    keyed = {(r.source, r.target, r.type): r for r in sorted(relations, key=lambda r: (r.source, r.target, r.type))}
    for (source, target, kind), relation in keyed.items():
        yield {**edge_data(relation), "source": source, "target": target, "key": kind}


def _one_item_per_line(data: dict[str, object]) -> Iterator[str]:
    """Sorted JSON with each node and each edge on a line of its own: a diff of two builds shows
    the concepts and relations that changed, and each line is encoded by json's C encoder (an
    indented dump runs in Python, seconds on a large graph). A value that is an iterator is a
    list, written item by item as it is made."""

    yield "{\n"
    for number, key in enumerate(sorted(data)):
        value = data[key]
        yield ",\n" if number else ""
        if not isinstance(value, Iterator):
            yield f" {_compact(key)}: {_compact(value)}"
            continue
        first = next(value, _END)
        if first is _END:
            yield f" {_compact(key)}: []"
            continue
        yield f" {_compact(key)}: [\n  " + _compact(first)
        for item in value:
            yield ",\n  " + _compact(item)
        yield "\n ]"
    yield "\n}\n"


_END = object()


def write_graph_json(path: Path, graph: ConceptGraph, study_order: list[str] | None = None) -> bool:
    return write_pieces_atomically(path, graph_json_pieces(graph, study_order))


_compact = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
"""`json.dumps(value, ensure_ascii=False, sort_keys=True)`, without making an encoder for each line."""
