"""Acronym cards: "{{c1::LoRA}} stands for {{c2::Low-Rank Adaptation}}", one cloze note per acronym.

Candidates come from the concept graph: a concept with a one-word acronym among its names (LoRA,
RLHF, MT-DNN …) and a longer name. A pair becomes a card only where a note writes it: "Long Form
(LF)", "LF (Long Form)", or both on one line when the long form spells the acronym. The expansion
is shown as the notes write it, and the card's Source is that file:line (the first such place,
in file order). Nothing is invented: an acronym no note expands has no card.

GUIDs derive from the acronym (`guid_for("acronym", key)`), so they are stable without the
lockfile's matching; the note's `mod` is kept in the lockfile's "generated" section (stamping).
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

import genanki

from generator.config import slugify
from generator.graph.link import ConceptGraph
from generator.graph.names import is_acronym, key, spells, surface_regex
from generator.model import ACRONYM_KIND, Flashcard, SourceLocation

ACRONYM_DECK = "Acronyms"
ACRONYM_TAG = "deckgraph::acronym"


@dataclass(frozen=True, slots=True)
class Acronym:
    short: str
    long: str
    concept: str
    location: SourceLocation
    others: tuple[str, ...] = ()
    """Other expansions the notes give for the same acronym."""


def find_acronyms(graph: ConceptGraph, texts: Mapping[str, str], paths: list[str]) -> list[Acronym]:
    """Every acronym of the graph that the notes expand, sorted by acronym."""
    found = []
    lines = _NoteLines(texts, paths)
    for name, concept in sorted(graph.concepts.items()):
        names = [name, *concept.aliases]
        # "DistilBERT", "TensorRT" are names, not acronyms: no run of four lower-case letters.
        shorts = [n for n in names if " " not in n and is_acronym(n) and len(n) <= 10 and not re.search(r"[a-z]{4}", n)]
        longs = [n for n in names if len(re.split(r"[\s\-\u2010-\u2014]+", n)) >= 2 and not is_acronym(n)]
        places = []
        for short in shorts:
            for long in longs:
                places += [(where, short, long) for where in _written(short, long, lines, paths)]
        if places:
            # Best: written as "Long (SHORT)" / "SHORT (Long)", capitalised as a name; then file order.
            places.sort(
                key=lambda p: (not p[0][2], p[0][1][:1].islower(), paths.index(p[0][0].path), p[0][0].line, p[1], p[2])
            )
            (location, surface, _), short, _ = places[0]
            others = tuple(
                dict.fromkeys(s for (_, s, _), sh, _ in places[1:] if sh == short and key(s) != key(surface))
            )
            found.append(Acronym(short, surface, name, location, others))
    unique = {}
    for acronym in found:  # one card per acronym, even if two concepts claimed it
        unique.setdefault(key(acronym.short), acronym)
    return sorted(unique.values(), key=lambda a: (a.short.lower(), a.short))


class _NoteLines:
    """The notes' lines, and where a word is written in them: each word is searched once in all
    the notes at once (one substring search, not one per file), each file split once."""

    def __init__(self, texts: Mapping[str, str], paths: list[str]) -> None:
        self.texts: dict[str, str] = {}
        for path in paths:
            try:
                self.texts[path] = texts[path]
            except KeyError:
                continue
        self.order = list(self.texts)
        self.joined = "\n".join(self.texts.values())  # a word holds no newline: no match spans two files
        self.starts = list(itertools.accumulate((len(text) + 1 for text in self.texts.values()), initial=0))
        self.split: dict[str, tuple[list[str], list[int]]] = {}
        self.found: dict[str, dict[str, list[tuple[int, str]]]] = {}

    def holding(self, word: str) -> dict[str, list[tuple[int, str]]]:
        """Path → (number, line) of each of its lines that holds `word`, in order."""
        if word not in self.found:
            numbers: dict[str, dict[int, None]] = {}
            at = self.joined.find(word)
            while at >= 0:
                file = bisect.bisect_right(self.starts, at) - 1
                path = self.order[file]
                starts = self._split(path)[1]
                numbers.setdefault(path, {})[bisect.bisect_right(starts, at - self.starts[file]) - 1] = None
                at = self.joined.find(word, at + 1)
            self.found[word] = {
                path: [(index + 1, self.split[path][0][index]) for index in found] for path, found in numbers.items()
            }
        return self.found[word]

    def _split(self, path: str) -> tuple[list[str], list[int]]:
        if path not in self.split:
            lines = self.texts[path].split("\n")
            self.split[path] = lines, list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        return self.split[path]


def _written(short: str, long: str, lines: _NoteLines, paths: list[str]) -> list[tuple[SourceLocation, str, bool]]:
    """Where the notes write `long` as the expansion of `short`, how they spell it there, and
    whether it is written right beside the acronym."""
    found = []
    long_re = surface_regex([long])
    short_re = re.compile(rf"(?<![\w\-]){re.escape(short)}(?![\w\-])")
    if long_re is None:
        return found
    holding = lines.holding(short)
    for path in paths:
        for number, line in holding.get(path, ()):
            plain = re.sub(r"[*_`]", "", line)
            for match in long_re.finditer(plain):
                surface = match.group()
                before, after = plain[: match.start()], plain[match.end() :]
                adjacent = re.match(rf"\s*\(\s*{re.escape(short)}\s*\)", after) or re.search(
                    rf"(?<![\w\-]){re.escape(short)}\s*\(\s*$", before
                )
                spelled = spells(short, surface)
                # A long form that does not spell the acronym counts only as a name beside it
                # ("DoRA (Weight-Decomposed LoRA)"), not a description ("DistilBERT (distilled from BERT)").
                if (adjacent and (spelled or surface[:1].isupper())) or (spelled and short_re.search(plain)):
                    found.append((SourceLocation(path, number), surface, bool(adjacent)))
    return found


def acronym_cards(graph: ConceptGraph, texts: Mapping[str, str], paths: list[str]) -> list[Flashcard]:
    """Cloze Flashcards (kind "acronym") for the Acronyms subdeck."""
    cards = []
    for acronym in find_acronyms(graph, texts, paths):
        concept = graph.concepts[acronym.concept]
        extra = []
        if acronym.others:
            extra.append("Also written: " + ", ".join(html.escape(o) for o in acronym.others))
        if concept.definition:
            extra.append(html.escape(concept.definition))
        cards.append(
            Flashcard(
                question=f"{acronym.short} stands for {acronym.long}",
                question_html=f"{{{{c1::{_cloze_safe(acronym.short)}}}}} stands for {{{{c2::{_cloze_safe(acronym.long)}}}}}",
                answer_md="",
                answer_html="<br>".join(extra),
                location=acronym.location,
                heading_path=(),
                deck=ACRONYM_DECK,
                kind=ACRONYM_KIND,
                guid=genanki.guid_for("acronym", key(acronym.short)),
                tags=tuple(sorted({ACRONYM_TAG, f"concept::{slugify(acronym.concept)}"})),
                concepts=(acronym.concept,),
            )
        )
    return cards


def _cloze_safe(text: str) -> str:
    """HTML-escaped, and unable to close the cloze early."""
    return html.escape(text).replace("}}", "}\u200b}").replace("::", ":\u200b:")
