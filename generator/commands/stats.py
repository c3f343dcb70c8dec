"""`deckgraph stats`: what the notes hold, from the same stages as a build, writing nothing.

- cards per file and per topic (a card's topic is its first concept's; "(none)" without one);
- concepts, and edges by type (the numbers graph.json holds);
- the most connected concepts (edges of any type, co-mentions included);
- orphan concepts: no typed relation, only co-mentions or nothing;
- cards without a concept.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from generator.build import parse_notes
from generator.config import BuildConfig
from generator.graph.link import ConceptGraph, annotate_cards, build_graph
from generator.graph.registry import load_registry
from generator.identity.lockfile import load_lockfile
from generator.identity.matching import assign_identities
from generator.model import Flashcard
from generator.sources.texts import NoteTexts

TOP = 10


@dataclass(slots=True)
class Stats:
    files: int
    cards_per_file: dict[str, int]
    cards_per_topic: dict[str, int]
    concepts: int
    edges_by_type: dict[str, int]
    most_connected: list[tuple[str, int]]
    orphans: list[str]
    without_concept: list[str]
    """`file:line: question` of each card that names no concept."""

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "cards": sum(self.cards_per_file.values()),
            "cards_per_file": self.cards_per_file,
            "cards_per_topic": self.cards_per_topic,
            "concepts": self.concepts,
            "edges": sum(self.edges_by_type.values()),
            "edges_by_type": self.edges_by_type,
            "most_connected": [{"concept": name, "edges": count} for name, count in self.most_connected],
            "orphan_concepts": self.orphans,
            "cards_without_concept": self.without_concept,
        }


def collect(config: BuildConfig) -> Stats:
    parsed, report = parse_notes(config)
    cards = [card for result in parsed for card in result.cards]
    lock = load_lockfile(config.notes_dir)  # read for the GUIDs, never saved
    identified = assign_identities(cards, lock, 0, report.prints).cards
    graph = build_graph(identified, load_registry(config.notes_dir), NoteTexts(config.notes_dir))
    return stats_of(annotate_cards(identified, graph), graph, report.files)


def stats_of(cards: list[Flashcard], graph: ConceptGraph, files: int) -> Stats:
    per_file = Counter(card.location.path for card in cards)
    per_topic = Counter(
        (graph.concepts[card.concepts[0]].topic or "other") if card.concepts else "(none)" for card in cards
    )
    degree: Counter[str] = Counter({name: 0 for name in graph.concepts})
    typed: set[str] = set()
    for relation in graph.relations:
        degree[relation.source] += 1
        degree[relation.target] += 1
        if relation.type != "related":
            typed |= {relation.source, relation.target}
    return Stats(
        files=files,
        cards_per_file=dict(sorted(per_file.items())),
        cards_per_topic=dict(sorted(per_topic.items(), key=lambda item: (-item[1], item[0]))),
        concepts=len(graph.concepts),
        edges_by_type=dict(sorted(Counter(r.type for r in graph.relations).items(), key=lambda i: (-i[1], i[0]))),
        most_connected=sorted(degree.items(), key=lambda item: (-item[1], item[0]))[:TOP],
        orphans=sorted(name for name in graph.concepts if name not in typed),
        without_concept=[f"{card.location}: {card.question}" for card in cards if not card.concepts],
    )


def to_json(stats: Stats) -> str:
    return json.dumps(stats.to_dict(), ensure_ascii=False, indent=2)


def to_text(stats: Stats) -> str:
    data = stats.to_dict()
    lines = [
        f"{data['cards']} cards from {stats.files} files, {stats.concepts} concepts, {data['edges']} edges",
        "",
        "Cards per file:",
    ]
    lines += [f"  {count:4}  {path}" for path, count in stats.cards_per_file.items()]
    lines += ["", "Cards per topic:"] + [f"  {count:4}  {topic}" for topic, count in stats.cards_per_topic.items()]
    lines += ["", "Edges by type:"] + [f"  {count:4}  {kind}" for kind, count in stats.edges_by_type.items()]
    lines += ["", "Most connected concepts:"] + [f"  {count:4}  {name}" for name, count in stats.most_connected]
    lines += ["", f"Orphan concepts (no typed relation): {len(stats.orphans)}"]
    lines += [f"  {name}" for name in stats.orphans]
    lines += ["", f"Cards without a concept: {len(stats.without_concept)}"]
    lines += [f"  {line}" for line in stats.without_concept]
    return "\n".join(lines)
