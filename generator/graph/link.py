"""The concept graph: concepts as nodes, typed and evidenced relations as edges, cards linked in.

Edge direction is documented in generator/relations.py: lineage runs base → newer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from generator.config import slugify
from generator.digests import digest
from generator.graph.concepts import ConceptIndex, card_text_key, index_concepts
from generator.graph.locate import Locator, strip_markup
from generator.graph.memory import CardMemory, NoMemory
from generator.graph.registry import Registry
from generator.graph.relations import LINEAGE, UNDIRECTED, Found, card_relations, lineage
from generator.model import Concept, Evidence, Flashcard, Relation
from generator.workers import context

DECLARED = "declared in the registry"
MAX_RELATED_LINES = 8
_MAX_EVIDENCE = 6


@dataclass(slots=True)
class ConceptGraph:
    concepts: dict[str, Concept]
    relations: list[Relation]
    card_concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Card GUID → the concepts it mentions, in order of first mention."""

    def to_networkx(self) -> nx.MultiDiGraph:
        """Nodes and edges in sorted order, so the same notes give the same bytes."""
        graph = nx.MultiDiGraph()
        for name in sorted(self.concepts):
            c = self.concepts[name]
            graph.add_node(
                name,
                label=name,
                aliases=sorted(c.aliases),
                topic=c.topic or "other",
                definition=c.definition,
                defined_at=str(c.defined_at or ""),
                cards=list(c.cards),
                sources=list(c.sources),
            )
        for r in sorted(self.relations, key=lambda r: (r.source, r.target, r.type)):
            graph.add_edge(
                r.source,
                r.target,
                key=r.type,
                type=r.type,
                weight=r.weight,
                evidence=[{"text": e.text, "location": e.location} for e in r.evidence],
            )
        return graph


def build_graph(
    cards: list[Flashcard],
    registry: Registry,
    texts: Mapping[str, str] | None = None,
    memo: CardMemory | None = None,
    files: Mapping[str, str] | None = None,
    jobs: int = 1,
) -> ConceptGraph:
    """Cards (with GUIDs) → concepts and relations. `texts` (note path → text) makes evidence say the exact line.
    `memo` carries each card's mentions and relations over from the last build while nothing they
    depend on has changed (the card, its file, and the names the index knows)."""
    memo = memo or NoMemory()
    cards = sorted(cards, key=lambda card: (card.location.path, card.location.line))
    locator = Locator(texts)
    if files is None:  # digests of the files' texts, unless the caller knows them already
        texts = texts if texts is not None else {}
        files = {path: digest(texts[path]) for path in {card.location.path for card in cards} if path in texts}
    text_keys = [card_text_key(card) for card in cards]
    index = index_concepts(cards, registry, locator, memo, files, jobs, text_keys)
    names = index.fingerprint()
    keys = [
        (
            "card",
            text,
            card.location.path,
            files.get(card.location.path),
            card.location.line,
            index.subjects.get(str(card.location)),
            names,
        )
        for card, text in zip(cards, text_keys)
    ]
    memo.fill(keys, cards, _read_card, jobs, (index, locator))
    card_concepts: dict[str, tuple[str, ...]] = {}
    edges: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for card, key in zip(cards, keys):
        mentioned, relations = memo.get(key, lambda: None)
        card_concepts[card.guid] = mentioned
        for found, evidence in relations:
            edges[_key(found)].append(evidence)
    _names(index, edges)
    _declared(registry, index, edges)
    concepts = _concepts(cards, index, card_concepts)
    relations = [
        Relation(s, t, kind, tuple(_dedupe(ev)[:_MAX_EVIDENCE]), float(len(_dedupe(ev))))
        for (s, t, kind), ev in edges.items()
        if s in concepts and t in concepts and s != t
    ]
    relations += _co_mentions(cards, card_concepts)
    return ConceptGraph(concepts, sorted(relations, key=lambda r: (r.source, r.target, r.type)), card_concepts)


def _key(found: Found) -> tuple[str, str, str]:
    if found.type in UNDIRECTED:
        first, second = sorted((found.source, found.target))
        return first, second, found.type
    return found.source, found.target, found.type


def _read_card(card: Flashcard) -> tuple[tuple[str, ...], list]:
    """The concepts one card names and the relations it states (in a worker process when there are many)."""
    index, locator = context()
    return _mentioned(card, index), card_relations(card, index, locator)


def _mentioned(card: Flashcard, index: ConceptIndex) -> tuple[str, ...]:
    text = strip_markup(f"{card.question}\n{card.answer_md}")
    return tuple(dict.fromkeys(name for *_, name in index.mentions(text)))


# Evidence read from the names themselves rather than quoted from a sentence.
ALIAS_EVIDENCE = "{name} is also called “{alias}”"
LETTER_EVIDENCE = "the name {name} is {base} with a letter added"
_DERIVED = re.compile(
    "|".join(
        re.escape(t).replace(r"\{name\}", ".+").replace(r"\{alias\}", ".+").replace(r"\{base\}", ".+")
        for t in (ALIAS_EVIDENCE, LETTER_EVIDENCE)
    )
)


def is_quoted(evidence_text: str) -> bool:
    """Whether evidence is a sentence of the notes (not one derived from the concepts' names)."""
    return not _DERIVED.fullmatch(evidence_text)


def _names(index: ConceptIndex, edges: dict) -> None:
    """A name that ends in another concept's: 'Quantized LoRA' and 'QLoRA' both extend LoRA (but
    'pre-training objective' is not a kind of pre-training)."""
    names = set(index.drafts)
    for name, draft in sorted(index.drafts.items()):
        where = str(draft.defined_at) if draft.defined_at else DECLARED
        for alias in sorted(draft.aliases):
            for base in index.names_within(alias, name, at_end=True):
                if not _affixed(alias, base):
                    edges[(base, name, "extends")].append(
                        Evidence(ALIAS_EVIDENCE.format(name=name, alias=alias), where)
                    )
        for base in names:
            if base != name and len(base) >= 3 and _affixed(name, base):
                edges[(base, name, "extends")].append(Evidence(LETTER_EVIDENCE.format(name=name, base=base), where))


def _affixed(name: str, base: str) -> bool:
    """'QLoRA' = 'Q' + 'LoRA', 'AdamW' = 'Adam' + 'W': a one-capital prefix or suffix on a concept's name."""
    if len(name) != len(base) + 1 or not base[:1].isupper():  # string tests, not a regex per pair
        return False
    return (name[0] in _CAPITALS and name[1:] == base) or (name[-1] in _CAPITALS and name[:-1] == base)


_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _declared(registry: Registry, index: ConceptIndex, edges: dict) -> None:
    for declared in registry.relations:
        subject, target = index.resolve(declared.subject), index.resolve(declared.target)
        if subject and target:
            found = lineage(declared.type, subject, target, "")
            edges[_key(found)].append(
                Evidence(f"{declared.subject} {declared.type.replace('_', ' ')} {declared.target}", DECLARED)
            )


def _concepts(cards: list[Flashcard], index: ConceptIndex, card_concepts: dict) -> dict[str, Concept]:
    """Concepts that at least one card mentions: the map is of these notes, not of the registry."""
    by_concept: dict[str, list[Flashcard]] = defaultdict(list)
    for card in cards:
        for name in card_concepts[card.guid]:
            by_concept[name].append(card)
    concepts = {}
    for name, mentioning in by_concept.items():
        draft = index.drafts[name]
        concepts[name] = Concept(
            name=name,
            aliases=tuple(sorted(draft.aliases)),
            topic=draft.topic,
            definition=draft.definition,
            defined_at=draft.defined_at or mentioning[0].location,
            cards=tuple(card.guid for card in mentioning),
            sources=tuple(str(card.location) for card in mentioning),
        )
    return concepts


def _co_mentions(cards: list[Flashcard], card_concepts: dict) -> list[Relation]:
    """Concepts named on the same card are `related`, weighted by how many cards share them."""
    shared: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for card in cards:
        names = sorted(card_concepts[card.guid])
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                shared[(first, second)].append(Evidence(card.question, str(card.location)))
    return [Relation(a, b, "related", tuple(ev[:3]), float(len(ev))) for (a, b), ev in shared.items()]


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    return list(dict.fromkeys(evidence))


def describe(relation: Relation) -> tuple[str, str, str]:
    """(subject, verb, object) as a person would say it: the edge LoRA → QLoRA `extends` is
    'QLoRA extends LoRA'."""
    verb = relation.type.replace("_", " ")
    if relation.type in LINEAGE:
        return relation.target, verb, relation.source
    return relation.source, verb, relation.target


def annotate_cards(cards: list[Flashcard], graph: ConceptGraph) -> list[Flashcard]:
    """New cards with their concepts, their relations ("QLoRA — extends LoRA") and concept:: tags."""
    related_lines = _RelatedLines(graph.relations)
    annotated = []
    for card in cards:
        names = graph.card_concepts.get(card.guid, ())
        tags = set(card.tags) | {f"concept::{slug}" for slug in map(slugify, names) if slug}
        annotated.append(card.evolve(concepts=names, related=related_lines(names), tags=tuple(sorted(tags))))
    return annotated


class _RelatedLines:
    """A card's related lines: the relations among its own concepts first, then those to other
    concepts, each group in the order of the lines' words; at most MAX_RELATED_LINES. Each concept's
    relations are sorted once, so a card reads only the first few of them (a concept may have
    thousands); cards naming the same concepts share their lines."""

    def __init__(self, relations: list[Relation]) -> None:
        self.described: dict[Relation, tuple[str, str, str]] = {}
        by_concept: dict[str, list[Relation]] = defaultdict(list)
        self.between: dict[tuple[str, str], list[Relation]] = defaultdict(list)
        for relation in relations:
            if relation.type != "related":
                self.described[relation] = describe(relation)
                by_concept[relation.source].append(relation)
                by_concept[relation.target].append(relation)
                self.between[(relation.source, relation.target)].append(relation)
        self.by_concept = {name: sorted(found, key=self.described.__getitem__) for name, found in by_concept.items()}
        self.lines_for: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __call__(self, names: tuple[str, ...]) -> tuple[str, ...]:
        if names not in self.lines_for:
            self.lines_for[names] = self._lines(names)
        return self.lines_for[names]

    def _lines(self, names: tuple[str, ...]) -> tuple[str, ...]:
        inside = set(names)
        order = self.described.__getitem__
        own = sorted({r for a in inside for b in inside for r in self.between.get((a, b), ())}, key=order)
        need = MAX_RELATED_LINES - len(own)
        others: list[Relation] = []
        if need > 0:  # the first `need` of each concept's own sorted list hold the first `need` of all
            for name in inside:
                taken = 0
                for relation in self.by_concept.get(name, ()):
                    if taken == need:
                        break
                    if not (relation.source in inside and relation.target in inside):
                        others.append(relation)
                        taken += 1
        # A relation's line says its type and both ends: different relations, different lines.
        chosen = (own + sorted(others, key=order))[:MAX_RELATED_LINES]
        return tuple(f"{subject} — {verb} {obj}" for subject, verb, obj in map(order, chosen))
