"""The concept registry against the notes: concepts nothing mentions, relations nothing supports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.check.rules import CheckContext, Finding, rule
from generator.graph.link import ConceptGraph, build_graph, is_quoted
from generator.graph.locate import strip_markup
from generator.graph.registry import REGISTRY_NAME, Registry, load_registry
from generator.identity.lockfile import Lockfile
from generator.identity.matching import assign_identities
from generator.model import SourceLocation
from generator.sources.texts import NoteTexts
from generator.workers import default_jobs


def _graph(context: CheckContext) -> tuple[Registry, ConceptGraph]:
    """The registry and the graph of the notes, built once for all the rules here (nothing is written)."""
    if "graph" not in context.shared:
        memory = context.memory() if context.memory else None
        registry = load_registry(context.config.notes_dir, context.config.vocabulary, memory)
        cards = [card for result in context.parsed for card in result.cards]
        cards = assign_identities(cards, Lockfile(Path("unused")), 0).cards
        files = {result.path: result.digest for result in context.parsed}
        jobs = context.config.jobs or default_jobs()
        graph = build_graph(cards, registry, NoteTexts(context.config.notes_dir), memory, files, jobs)
        context.shared["graph"] = (registry, graph)
    return context.shared["graph"]


def _mentioned(graph: ConceptGraph, name: str) -> bool:
    concept = graph.concepts.get(name)
    return bool(concept and (concept.cards or concept.defined_at))


@rule("unused-concept", "a registry concept that no note mentions")
def unused_concept(context: CheckContext):
    registry, graph = _graph(context)
    for name, entry in sorted(registry.entries.items()):
        if not _mentioned(graph, name):
            yield Finding(
                SourceLocation(REGISTRY_NAME, entry.line),
                "unused-concept",
                f"{name!r} is in the registry, but no note mentions it (or any of its aliases)",
            )


@rule("stale-relation", "a relation whose evidence is no longer in the notes")
def stale_relation(context: CheckContext):
    registry, graph = _graph(context)
    for declared in registry.relations:
        missing = [name for name in (declared.subject, declared.target) if not _mentioned(graph, name)]
        if missing:
            entry = registry.entries.get(declared.subject)
            yield Finding(
                SourceLocation(REGISTRY_NAME, entry.line if entry else 1),
                "stale-relation",
                f"'{declared.subject} {declared.type} {declared.target}' is declared, but no note "
                f"mentions {' or '.join(missing)} any more",
            )
    yield from _stale_graph_json(context)


def _stale_graph_json(context: CheckContext):
    """Evidence quoted in the last built graph.json that the notes no longer say: rebuild to refresh it."""
    path = context.config.output_dir / "graph.json"
    try:
        edges = json.loads(path.read_text(encoding="utf-8")).get("edges", [])
    except (OSError, ValueError):
        return
    notes = {result.path for result in context.parsed}
    quoted_files = {str(e.get("location", "")).rpartition(":")[0] for edge in edges for e in edge.get("evidence", [])}
    if not quoted_files & notes:
        return  # a graph.json built from other notes (an output folder shared between projects)
    texts = NoteTexts(context.config.notes_dir)
    _, graph = _graph(context)
    current = {(r.source, r.target, r.type) for r in graph.relations}
    words_of: dict[str, str] = {}  # each file's words, made once: a file holds many quotes
    for edge in edges:
        for evidence in edge.get("evidence", []):
            file, _, line = str(evidence.get("location", "")).rpartition(":")
            if not file or not line.isdigit() or edge.get("type") == "related":
                continue
            text = texts.get(file)
            quote = evidence.get("text", "")
            # A quote must still be in its file; evidence read from names, in today's graph.
            if text is not None and file not in words_of:
                words_of[file] = _words(text)
            supported = text is not None and (
                _words(quote)[:60] in words_of[file]
                if is_quoted(quote)
                else (edge["source"], edge["target"], edge["type"]) in current
            )
            if not supported:
                yield Finding(
                    SourceLocation(file, int(line)),
                    "stale-relation",
                    f"graph.json says '{edge['source']} {edge['type']} {edge['target']}' because of "
                    f"{evidence.get('text', '')[:60]!r}, which is no longer in the notes: rebuild",
                )


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", strip_markup(text)).strip()
