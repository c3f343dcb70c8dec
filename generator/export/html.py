"""The concept map: one self-contained HTML file that works offline from file://.

pyvis turns the graph into vis-network nodes, edges and options; our own template (not pyvis's,
which loads Bootstrap from a CDN) inlines vis-network's JS and CSS from the installed pyvis package
and adds search, filters, a neighbourhood view and a side panel with each concept's cards.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from pyvis.edge import Edge
from pyvis.network import Network

from generator.atomic import write_pieces_atomically
from generator.export.layout import layout
from generator.graph.link import ConceptGraph, describe, origin
from generator.graph.relations import LINEAGE, UNDIRECTED
from generator.model import Flashcard, Relation

BIG_GRAPH_EDGES = 400
"""Above this many edges, edge labels start hidden and curves are straight: drawing stays fast."""

TOPIC_COLOURS = {
    "alignment": "#e4572e",
    "fine-tuning": "#2e86ab",
    "optimization": "#f3a712",
    "inference": "#29a36a",
    "architecture": "#7b5ea7",
    "scaling": "#c2185b",
    "training": "#3d5a80",
    "evaluation": "#8d6e63",
    "generative models": "#00897b",
    "other": "#78909c",
}
_SPARE_COLOURS = ["#5c6bc0", "#9e9d24", "#ef6c00", "#26a69a", "#ab47bc", "#6d4c41", "#546e7a", "#d81b60"]
CJK_FACE = (
    'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Hiragino Sans",'
    '"Microsoft YaHei","Malgun Gothic","Apple SD Gothic Neo",sans-serif'
)
"""Node labels in any script: the system's own font first, then the usual CJK fonts of each platform."""
VOCABULARY_DASHES = [8, 6]
CONTRAST_DASHES = [2, 4]
EDGE_STYLES = {
    "extends": "#2e86ab",
    "variant_of": "#7b5ea7",
    "simplifies": "#29a36a",
    "alternative_to": "#f3a712",
    "uses": "#e4572e",
    "part_of": "#8d6e63",
    "precedes": "#3d5a80",
    "contrasts_with": "#c2185b",
    "related": "#b0bec5",
}


def map_page_pieces(
    graph: ConceptGraph,
    cards: list[Flashcard],
    title: str = "Concept map",
    study_order: list[str] | None = None,
    dues: dict[str, int] | None = None,
) -> Iterator[bytes]:
    """The page as UTF-8, in pieces. Its data holds every card's HTML once (a panel lists its cards by
    GUID), encoded and escaped card by card: the page is never held whole."""
    data = map_data(graph, cards, study_order, dues)
    page = _template("concept-map.html")
    replacements = {
        "{{TITLE}}": html.escape(title),
        "/*VIS_CSS*/": _vis_file("vis-network.css"),
        "/*MAP_CSS*/": _template("concept-map.css"),
        "/*VIS_JS*/": _script_safe(_vis_file("vis-network.min.js")),
        "/*MAP_JS*/": _script_safe(_template("concept-map.js")),
    }
    for marker, text in replacements.items():
        page = page.replace(marker, text)
    head, *tails = page.split("{{DATA}}")
    yield head.encode("utf-8")
    for tail in tails:
        yield from _script_json(data)
        yield tail.encode("utf-8")


def write_concept_map(
    path: Path,
    graph: ConceptGraph,
    cards: list[Flashcard],
    title: str = "Concept map",
    study_order: list[str] | None = None,
    dues: dict[str, int] | None = None,
) -> bool:
    return write_pieces_atomically(path, map_page_pieces(graph, cards, title, study_order, dues))


def map_data(
    graph: ConceptGraph,
    cards: list[Flashcard],
    study_order: list[str] | None = None,
    dues: dict[str, int] | None = None,
) -> dict:
    """Everything the page needs, as plain JSON: vis data from pyvis, plus panel content."""
    names = sorted(graph.concepts)
    big = len(graph.relations) > BIG_GRAPH_EDGES
    placed = positions(graph)
    colours = topic_colours(graph.concepts[name].topic or "other" for name in names)
    origins = [origin(relation) for relation in graph.relations]  # read from each relation's evidence, once
    net = Network(directed=True)
    for name in names:
        concept = graph.concepts[name]
        topic = concept.topic or "other"
        x, y = placed[name]
        net.add_node(
            name,
            label=graph.label(name),
            x=x,
            y=y,
            size=round(8 + 5 * math.sqrt(len(concept.cards)), 1),
            color=colours[topic],
            title=_tooltip(concept.definition, len(concept.cards)),
            topic=topic,
        )
    for relation, said_by in zip(graph.relations, origins):
        directed = relation.type not in UNDIRECTED
        # Co-mentions are background: thin and pale; typed relations stand out.
        width = 0.6 + 0.3 * math.log2(relation.weight) if relation.type == "related" else 2.0
        options = dict(
            title=relation.type.replace("_", " "),
            color=EDGE_STYLES[relation.type],
            width=round(min(width, 3.0), 2),
            arrows="to" if directed else "",
            # Dashed: the built-in vocabulary's relation, not stated by the notes; dotted: a contrast.
            dashes=VOCABULARY_DASHES
            if said_by == "vocabulary"
            else CONTRAST_DASHES
            if relation.type == "contrasts_with"
            else False,
        )
        if not big and relation.type != "related":
            options["label"] = relation.type.replace("_", " ")
        # As net.add_edge, without its check that both nodes exist (a scan of every node per edge):
        # a relation's ends are always concepts of the graph.
        net.edges.append(Edge(relation.source, relation.target, net.directed, **options).options)
    net.set_options(json.dumps(_vis_options(big)))
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    for number, (edge, relation, said_by) in enumerate(zip(edges, graph.relations, origins)):
        edge.update(id=number, type=relation.type, origin=said_by)
    panel = _panel(graph, cards)
    return {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "big": big,
        "topics": colours,
        "edgeTypes": EDGE_STYLES,
        "lineage": list(LINEAGE),
        "undirected": list(UNDIRECTED),
        "concepts": panel,
        "cards": _shown_cards(panel, cards),
        "relations": [_relation(r, said_by) for r, said_by in zip(graph.relations, origins)],
        "studyPath": _study_path(graph, cards, study_order, dues),
    }


def _study_path(
    graph: ConceptGraph, cards: list[Flashcard], study_order: list[str] | None, dues: dict[str, int] | None
) -> list[dict]:
    """The concepts in study order, each with the position of the first new card naming it (0: none)."""
    if not study_order:
        return []
    first: dict[str, int] = {}
    if dues:
        for card in cards:
            for name in card.concepts:
                if card.guid in dues:
                    first[name] = min(first.get(name, dues[card.guid]), dues[card.guid])
    return [
        {"id": name, "step": number, "firstCard": first.get(name, 0)}
        for number, name in enumerate(study_order, start=1)
        if name in graph.concepts
    ]


def positions(graph: ConceptGraph) -> dict[str, tuple[float, float]]:
    """Typed relations pull harder than co-mentions, so lineages sit together."""
    pull: dict[tuple[str, str], float] = {}
    for relation in graph.relations:
        first, second = sorted((relation.source, relation.target))
        pair = (first, second)
        pull[pair] = min(pull.get(pair, 0.0) + (0.15 if relation.type == "related" else 1.0) * relation.weight, 2.0)
    return layout(
        list(graph.concepts),
        pull,
        {n: c.topic for n, c in graph.concepts.items()},
        {n: len(c.cards) for n, c in graph.concepts.items()},
    )


def topic_colours(topics) -> dict[str, str]:
    colours, spare = {}, iter(_SPARE_COLOURS * 10)
    for topic in sorted(set(topics)):
        colours[topic] = TOPIC_COLOURS.get(topic) or next(spare)
    return colours


def _vis_options(big: bool) -> dict:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
        "nodes": {
            "shape": "dot",
            "font": {"size": 16, "face": CJK_FACE, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "smooth": False if big else {"type": "continuous"},
            "font": {"size": 10, "align": "middle", "color": "#455a64", "strokeWidth": 2},
            "arrows": {"to": {"scaleFactor": 0.6}},
            "selectionWidth": 0.5,
        },
    }


def _tooltip(definition: str, cards: int) -> str:
    # vis-network shows a string title as text, never as HTML.
    count = f"{cards} card{'s' if cards != 1 else ''}"
    return f"{definition}\n({count})" if definition else count


def _panel(graph: ConceptGraph, cards: list[Flashcard]) -> dict:
    """Each concept's panel; its cards by GUID (the page holds each card once, in `cards`)."""
    known = {card.guid for card in cards}
    panel = {}
    for name, concept in sorted(graph.concepts.items()):
        label = graph.label(name)
        panel[name] = {
            "label": label,
            "aliases": sorted({name, *concept.aliases} - {label}),
            "topic": concept.topic or "other",
            "definition": concept.definition,
            "definedAt": str(concept.defined_at or ""),
            "cards": [guid for guid in concept.cards if guid in known],
        }
    return panel


def _shown_cards(panel: dict, cards: list[Flashcard]) -> dict[str, dict]:
    """The cards some panel lists, by GUID: a card under three concepts is in the page once."""
    listed = {guid for concept in panel.values() for guid in concept["cards"]}
    return {card.guid: _card(card) for card in cards if card.guid in listed}


def _card(card: Flashcard) -> dict:
    # The HTML comes from our renderer, which escapes raw HTML unless the author opted in.
    return {
        "question": card.question,
        "questionHtml": card.question_html,
        "answer": card.answer_html,
        "location": str(card.location),
        "context": card.context,
        "guid": card.guid,
    }


def _relation(relation: Relation, said_by: str) -> dict:
    subject, verb, obj = describe(relation)
    return {
        "subject": subject,
        "verb": verb,
        "object": obj,
        "origin": said_by,
        "weight": relation.weight,
        "evidence": [{"text": e.text, "location": e.location} for e in relation.evidence],
    }


def _script_json(value: object) -> Iterator[bytes]:
    """`value` as sorted, compact JSON in UTF-8 that cannot end its <script> element or open a
    comment (<, > and & as \\u escapes; as bytes: UTF-8 never holds these bytes inside another
    character), item by item, in batches of about 64 KB: escaped and encoded per item, the five
    replacements ran a hundred thousand times."""
    batch: list[str] = []
    size = 0
    for text in _json_pieces(value, _PIECE_DEPTH):
        batch.append(text)
        size += len(text)
        if size >= _BATCH:
            yield _script_safe_bytes("".join(batch))
            batch, size = [], 0
    if batch:
        yield _script_safe_bytes("".join(batch))


def _script_safe_bytes(text: str) -> bytes:
    return (
        text.encode("utf-8")
        .replace(b"<", b"\\u003c")
        .replace(b">", b"\\u003e")
        .replace(b"&", b"\\u0026")
        .replace("\u2028".encode("utf-8"), b"\\u2028")
        .replace("\u2029".encode("utf-8"), b"\\u2029")
    )


_PIECE_DEPTH = 2
"""Levels of the map's data written item by item: its tables, and each card or node in them."""
_BATCH = 1 << 16
"""Characters of JSON escaped and encoded at a time."""


def _json_pieces(value: object, depth: int) -> Iterator[str]:
    """`json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` in pieces:
    the dicts and lists of the first `depth` levels item by item."""
    if depth and isinstance(value, dict) and all(isinstance(key, str) for key in value):
        yield "{"
        keys = sorted(value)
        if depth == 1:  # the items whole: _ITEMS at a time, in one call of the encoder each
            for start in range(0, len(keys), _ITEMS):
                yield ("," if start else "") + _compact({key: value[key] for key in keys[start : start + _ITEMS]})[1:-1]
        else:
            for number, key in enumerate(keys):
                yield ("," if number else "") + _compact(key) + ":"
                yield from _json_pieces(value[key], depth - 1)
        yield "}"
    elif depth and isinstance(value, list):
        yield "["
        if depth == 1:
            for start in range(0, len(value), _ITEMS):
                yield ("," if start else "") + _compact(value[start : start + _ITEMS])[1:-1]
        else:
            for number, item in enumerate(value):
                if number:
                    yield ","
                yield from _json_pieces(item, depth - 1)
        yield "]"
    else:
        yield _compact(value)


_ITEMS = 256
"""Items of a table encoded by one call: with compact separators, a list's JSON is its items' joined
by commas, and each call of the encoder costs as much as a small item."""


_compact = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
"""`json.dumps` with these settings, without making an encoder for each of the map's items."""


def _script_safe(js: str) -> str:
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _template(name: str) -> str:
    return resources.files("generator.export.templates").joinpath(name).read_text(encoding="utf-8")


def _vis_file(name: str) -> str:
    """vis-network as shipped inside the installed pyvis package: no download, no CDN."""
    lib = resources.files("pyvis").joinpath("templates", "lib")
    versions = sorted(
        (entry for entry in lib.iterdir() if entry.name.startswith("vis-")),
        key=lambda entry: [int(part) for part in entry.name[4:].split(".") if part.isdigit()],
    )
    if not versions:
        raise FileNotFoundError(f"vis-network is missing from the pyvis package at {lib}")
    return versions[-1].joinpath(name).read_text(encoding="utf-8")
