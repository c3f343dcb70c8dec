"""Graph: the concept graph of the notes. The registry (notes/concepts.toml), concepts the notes define,
names and their mentions, typed relations read from sentences with their evidence, the graph itself
(`build_graph`), and what is made from it: cards annotated with their concepts, study order, acronym cards,
near-duplicate groups and merged cards (`enrich`). It reads cards, never files, and writes nothing."""

from generator.graph.duplicates import near_duplicate_groups
from generator.graph.enrich import Enriched, enrich
from generator.graph.link import ConceptGraph, annotate_cards, build_graph
from generator.graph.memory import CardMemory
from generator.graph.registry import Registry, load_registry

__all__ = [
    "CardMemory",
    "ConceptGraph",
    "Enriched",
    "Registry",
    "annotate_cards",
    "build_graph",
    "enrich",
    "load_registry",
    "near_duplicate_groups",
]
