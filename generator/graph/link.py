"""The concept graph: concepts as nodes, typed and evidenced relations as edges, cards linked in.

Edge direction is documented in generator/relations.py: lineage runs base → newer.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

import networkx as nx

from generator.config import slugify
from generator.digests import digest
from generator.graph.co_mentions import CoMentions, co_mentions
from generator.graph.concepts import ConceptIndex, card_text_key, index_concepts
from generator.graph.locate import Locator
from generator.graph.memory import CardMemory, NoMemory
from generator.graph.names import is_acronym
from generator.graph.passages import passages
from generator.graph.registry import Registry
from generator.graph.relations import LINEAGE, UNDIRECTED, Found, card_relations, lineage
from generator.graph.salience import Mentions, confirmed_concepts, read_mentions
from generator.graph.vocabulary import VOCABULARY_EVIDENCE
from generator.model import Concept, Evidence, Flashcard, Relation
from generator.workers import context

DECLARED = "declared in the registry"
ORIGINS = ("notes", "registry", "vocabulary")
MAX_RELATED_LINES = 8
_MAX_EVIDENCE = 6


@dataclass(slots=True)
class ConceptGraph:
    concepts: dict[str, Concept]
    relations: list[Relation]
    card_concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Card GUID → the concepts it mentions, in order of first mention."""
    labels: dict[str, str] = field(default_factory=dict)
    """Concept → its label on the map when not its canonical name: the name the notes use in
    their own language ("过拟合" for overfitting in Chinese notes)."""

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def node_data(self, name: str) -> dict[str, object]:
        """A concept's attributes as graph.json and `to_networkx` give them."""
        c = self.concepts[name]
        return {
            "label": self.label(name),
            "aliases": sorted(c.aliases),
            "topic": c.topic or "other",
            "definition": c.definition,
            "defined_at": str(c.defined_at or ""),
            "cards": list(c.cards),
            "sources": list(c.sources),
        }

    def to_networkx(self) -> nx.MultiDiGraph:
        """Nodes and edges in sorted order, so the same notes give the same bytes."""
        graph = nx.MultiDiGraph()
        for name in sorted(self.concepts):
            graph.add_node(name, **self.node_data(name))
        for r in sorted(self.relations, key=lambda r: (r.source, r.target, r.type)):
            graph.add_edge(r.source, r.target, key=r.type, **edge_data(r))
        return graph


def edge_data(relation: Relation) -> dict[str, object]:
    """A relation's attributes as graph.json and `ConceptGraph.to_networkx` give them."""
    return {
        "type": relation.type,
        "weight": relation.weight,
        "origin": origin(relation),
        "evidence": [{"text": e.text, "location": e.location} for e in relation.evidence],
    }


def _at_file_line(location: str) -> bool:
    """'notes.md:12': a path, a colon and a line number (string tests, no regex: this runs for every edge shown)."""
    _, colon, line = location.rpartition(":")
    return bool(colon) and line.isdecimal()


def origin(relation: Relation) -> str:
    """Who states an edge: the notes (a sentence at file:line), the registry, or the vocabulary."""
    declared = False
    for evidence in relation.evidence:
        if _at_file_line(evidence.location):
            return "notes"
        declared = declared or evidence.location == DECLARED
    return "registry" if declared else "vocabulary"


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
    real = len(cards)
    cards = cards + passages(cards, texts if texts is not None else {}, files, memo, jobs)
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
    edges: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    read: list[Mentions] = []
    for key_ in keys:
        reading, stated_here = memo.get(key_, _unread)
        read.append(reading)
        for found, evidence in stated_here:
            edges[_key(found)].append(evidence)
    stated = {name for (source, target, kind) in edges if kind != "related" for name in (source, target)}
    asked = {index.subjects[str(card.location)] for card in cards[:real] if str(card.location) in index.subjects}
    confirmed = confirmed_concepts(index, read, [card.location.path for card in cards], stated | asked)
    mentions = [tuple(name for name in reading.named if name in confirmed) for reading in read]
    card_concepts = {card.guid: names for card, names in zip(cards[:real], mentions)}
    concepts = _concepts(cards[:real], index, card_concepts, list(zip(cards[real:], mentions[real:])))
    cards = cards[:real]
    _names(index, edges, set(concepts))
    _declared(registry, index, edges)
    _vocabulary(registry, index, edges, set(concepts))
    relations = [
        Relation(s, t, kind, tuple(_dedupe(ev)[:_MAX_EVIDENCE]), float(len(_dedupe(ev))))
        for (s, t, kind), ev in edges.items()
        if s in concepts and t in concepts and s != t
    ]
    # A long-running process keeps the counts and mends them where cards changed (see co_mentions.py).
    if memo.lasting:
        relations += memo.keep(("co-mentions",), CoMentions).relations(cards, card_concepts)
    else:
        relations += co_mentions(cards, card_concepts)
    return ConceptGraph(
        concepts,
        sorted(relations, key=lambda r: (r.source, r.target, r.type)),
        card_concepts,
        _labels(index, read, set(concepts)),
    )


def _labels(index: ConceptIndex, readings: Iterable[Mentions], names: set[str]) -> dict[str, str]:
    """A concept is labelled by the name in another language that the notes write most, when they
    write it at least as often as its English names."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for reading in readings:
        for name, translated in reading.spelled:
            counts[name][translated] += 1
    labels = {}
    for name in sorted(names & set(counts)):
        spellings = counts[name]
        best = max((n for n in spellings if n), key=lambda n: (spellings[n], n), default="")
        if best and spellings[best] >= spellings.get("", 0):
            labels[name] = best
    return labels


def _key(found: Found) -> tuple[str, str, str]:
    if found.type in UNDIRECTED:
        first, second = sorted((found.source, found.target))
        return first, second, found.type
    return found.source, found.target, found.type


Reading = tuple[Mentions, list[tuple[Found, Evidence]]]
"""What one card names (see salience.read_mentions) and the relations it states, each with its evidence."""


def _unread() -> Reading:
    raise LookupError("the memory was filled with every card's reading before it is read")


def _read_card(card: Flashcard) -> Reading:
    """The concepts one card names and the relations it states (in a worker process when there are many)."""
    index, locator = cast(tuple[ConceptIndex, Locator], context())
    return read_mentions(card, index), card_relations(card, index, locator)


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


def _names(index: ConceptIndex, edges: dict, names: set[str]) -> None:
    """A name that ends in another concept's: 'Quantized LoRA' and 'QLoRA' both extend LoRA (but
    'pre-training objective' is not a kind of pre-training). Only names the notes or the registry
    give, among the concepts that are nodes."""
    for name in sorted(names):
        draft = index.drafts[name]
        if draft.origin == "vocabulary" and not draft.defined_at:
            continue
        where = str(draft.defined_at) if draft.defined_at else DECLARED
        for alias in sorted(draft.aliases - draft.given):
            for base in index.names_within(alias, name, at_end=True):
                # "Quantized LoRA" names LoRA; "Direct Preference Optimization" is no kind of optimization.
                if _proper(base) and alias.endswith(base) and not _affixed(alias, base):
                    edges[(base, name, "extends")].append(
                        Evidence(ALIAS_EVIDENCE.format(name=name, alias=alias), where)
                    )
        for base in names:
            if base != name and len(base) >= 3 and _affixed(name, base):
                edges[(base, name, "extends")].append(Evidence(LETTER_EVIDENCE.format(name=name, base=base), where))


def _proper(name: str) -> bool:
    """A name, not a common noun: 'LoRA', 'Adam', 'BERT' (not 'optimization', 'bag of words')."""
    return is_acronym(name) or (name[:1].isupper() and " " not in name)


def _affixed(name: str, base: str) -> bool:
    """'QLoRA' = 'Q' + 'LoRA', 'AdamW' = 'Adam' + 'W': a one-capital prefix or suffix on a concept's name."""
    if len(name) != len(base) + 1 or not base[:1].isupper():  # string tests, not a regex per pair
        return False
    return (name[0] in _CAPITALS and name[1:] == base) or (name[-1] in _CAPITALS and name[:-1] == base)


_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _vocabulary(registry: Registry, index: ConceptIndex, edges: dict, names: set[str]) -> None:
    """The vocabulary's textbook relations between two concepts of these notes, where neither the
    notes nor the registry already type the pair."""
    if registry.vocabulary is None:
        return
    typed = {frozenset((s, t)) for (s, t, kind) in edges if kind != "related"}
    for declared in registry.vocabulary.relations:
        subject, target = index.resolve(declared.subject), index.resolve(declared.target)
        if subject in names and target in names and subject != target and frozenset((subject, target)) not in typed:
            found = lineage(declared.type, subject, target, "")
            verb = declared.type.replace("_", " ")
            edges[_key(found)].append(Evidence(f"{subject} {verb} {target}", VOCABULARY_EVIDENCE))


def _declared(registry: Registry, index: ConceptIndex, edges: dict) -> None:
    for declared in registry.relations:
        subject, target = index.resolve(declared.subject), index.resolve(declared.target)
        if subject and target:
            found = lineage(declared.type, subject, target, "")
            edges[_key(found)].append(
                Evidence(f"{declared.subject} {declared.type.replace('_', ' ')} {declared.target}", DECLARED)
            )


def _concepts(
    cards: list[Flashcard], index: ConceptIndex, card_concepts: dict, passages_read: list[tuple[Flashcard, tuple]]
) -> dict[str, Concept]:
    """Concepts that at least one card or passage of the notes mentions: the map is of these notes,
    not of the registry or the vocabulary."""
    by_concept: dict[str, list[Flashcard]] = defaultdict(list)
    for card in cards:
        for name in card_concepts[card.guid]:
            by_concept[name].append(card)
    in_text: dict[str, list[Flashcard]] = defaultdict(list)
    for passage, names in passages_read:
        for name in names:
            in_text[name].append(passage)
    # One string per card for its place: a card names a dozen concepts, and each lists where it is named.
    where = {id(card): str(card.location) for card in cards}
    concepts = {}
    for name in sorted(set(by_concept) | set(in_text)):
        mentioning, places = by_concept.get(name, []), in_text.get(name, [])
        draft = index.drafts[name]
        concepts[name] = Concept(
            name=name,
            aliases=tuple(sorted(draft.aliases)),
            topic=draft.topic,
            definition=draft.definition,
            defined_at=draft.defined_at or (mentioning or places)[0].location,
            cards=tuple(card.guid for card in mentioning),
            sources=tuple(where[id(card)] for card in mentioning)
            or tuple(dict.fromkeys(str(p.location) for p in places)),
        )
    return concepts


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    return list(dict.fromkeys(evidence))


def describe(relation: Relation) -> tuple[str, str, str]:
    """(subject, verb, object) as a person would say it: the edge LoRA → QLoRA `extends` is
    'QLoRA extends LoRA'."""
    verb = relation.type.replace("_", " ")
    if relation.type in LINEAGE:
        return relation.target, verb, relation.source
    return relation.source, verb, relation.target


def annotate_cards(cards: list[Flashcard], graph: ConceptGraph, memo: CardMemory | None = None) -> list[Flashcard]:
    """New cards with their concepts, their relations ("QLoRA — extends LoRA") and concept:: tags.
    `memo` may keep the lines of each set of concepts for the next build while the typed relations
    are the same."""
    typed = [(r.source, r.target, r.type) for r in graph.relations if r.type != "related"]
    related_lines = (memo or NoMemory()).keep(("related lines", digest(typed)), lambda: _RelatedLines(graph.relations))
    tags_of = {name: f"concept::{slug}" for name in graph.concepts if (slug := slugify(name))}
    annotated = []
    for card in cards:
        names = graph.card_concepts.get(card.guid, ())
        tags = set(card.tags).union(tags_of[name] for name in names if name in tags_of)
        annotated.append(card.evolve(concepts=names, related=related_lines(names), tags=tuple(sorted(tags))))
    return annotated


class _RelatedLines:
    """A card's related lines: the relations among its own concepts first, then those to other
    concepts, each group in the order of the lines' words; at most MAX_RELATED_LINES. Relations are
    numbered once in that order, so each concept's list is sorted already and a card reads only the
    first few of it (a concept may have thousands); cards naming the same concepts share their lines."""

    def __init__(self, relations: list[Relation]) -> None:
        typed = sorted((describe(r), r.source, r.target) for r in relations if r.type != "related")
        # A relation's line says its type and both ends: different relations, different lines.
        self.lines = [f"{subject} — {verb} {obj}" for (subject, verb, obj), _, _ in typed]
        self.ends = [(source, target) for _, source, target in typed]
        self.by_concept: dict[str, list[int]] = defaultdict(list)
        self.between: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.partners: dict[str, set[str]] = defaultdict(set)
        """Concept → the concepts it has relations to: a card's own relations without trying every pair."""
        for number, (source, target) in enumerate(self.ends):
            self.by_concept[source].append(number)
            self.by_concept[target].append(number)
            self.between[(source, target)].append(number)
            self.partners[source].add(target)
        self.lines_for: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __call__(self, names: tuple[str, ...]) -> tuple[str, ...]:
        if names not in self.lines_for:
            self.lines_for[names] = self._lines(names)
        return self.lines_for[names]

    def _lines(self, names: tuple[str, ...]) -> tuple[str, ...]:
        inside = set(names)
        own_numbers: set[int] = set()
        for a in inside:
            partners = self.partners.get(a)
            if partners:
                for b in partners & inside:
                    own_numbers.update(self.between[(a, b)])
        own = sorted(own_numbers)
        need = MAX_RELATED_LINES - len(own)
        others: list[int] = []
        if need > 0:  # the lowest numbers of relations with one end outside, from the concepts' sorted lists
            ends = self.ends
            lists = [self.by_concept[name] for name in inside if name in self.by_concept]
            for number in heapq.merge(*lists):
                source, target = ends[number]
                if not (source in inside and target in inside):
                    others.append(number)
                    if len(others) == need:
                        break
        return tuple(self.lines[number] for number in (own + others)[:MAX_RELATED_LINES])
