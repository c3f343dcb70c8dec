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

import functools
import html
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import genanki

from generator.config import slugify
from generator.digests import digest
from generator.graph.link import ConceptGraph
from generator.graph.memory import CardMemory, NoMemory
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


def find_acronyms(
    graph: ConceptGraph,
    texts: Mapping[str, str],
    paths: list[str],
    memo: CardMemory | None = None,
    files: Mapping[str, str] | None = None,
) -> list[Acronym]:
    """Every acronym of the graph that the notes expand, sorted by acronym. `memo` remembers where
    each file (by `files`, path → digest) writes each pair of names, across builds."""
    memo = memo or NoMemory()
    files = files or {}
    named = []
    for name, concept in sorted(graph.concepts.items()):
        names = [name, *concept.aliases]
        # "DistilBERT", "TensorRT" are names, not acronyms: no run of four lower-case letters.
        shorts = [n for n in names if " " not in n and is_acronym(n) and len(n) <= 10 and not re.search(r"[a-z]{4}", n)]
        longs = [n for n in names if len(re.split(r"[\s\-\u2010-\u2014]+", n)) >= 2 and not is_acronym(n)]
        named.append((name, shorts, longs))
    candidates = [(name, [(short, long) for short in shorts for long in longs]) for name, shorts, longs in named]
    pairs = sorted({pair for _, found in candidates for pair in found})
    asked = digest(pairs)
    patterns = _Patterns(pairs)  # compiled only for a file not remembered from the last build
    written: dict[tuple[str, str], list[tuple[int, SourceLocation, str, bool]]] = defaultdict(list)
    for order, path in enumerate(paths):
        compute = functools.partial(_written_in, path, patterns, texts)
        known = files.get(path)
        in_file = compute() if known is None else memo.get(("acronyms", path, known, asked), compute)
        for pair, spots in in_file.items():
            written[pair] += [
                (order, SourceLocation(path, number), surface, adjacent) for number, surface, adjacent in spots
            ]
    found = []
    for name, pairs_of_name in candidates:
        places = [(place, short, long) for short, long in pairs_of_name for place in written.get((short, long), ())]
        if places:
            # Best: written as "Long (SHORT)" / "SHORT (Long)", capitalised as a name; then file order.
            places.sort(key=lambda p: (not p[0][3], p[0][2][:1].islower(), p[0][0], p[0][1].line, p[1], p[2]))
            (_, location, surface, _), short, _ = places[0]
            others = tuple(
                dict.fromkeys(s for (_, _, s, _), sh, _ in places[1:] if sh == short and key(s) != key(surface))
            )
            found.append(Acronym(short, surface, name, location, others))
    unique: dict[str, Acronym] = {}
    for acronym in found:  # one card per acronym, even if two concepts claimed it
        unique.setdefault(key(acronym.short), acronym)
    return sorted(unique.values(), key=lambda a: (a.short.lower(), a.short))


_WORDS = re.compile(r"\w+")
_MARKS = re.compile(r"[*_`]")


class _Patterns(Mapping[tuple[str, str], tuple[re.Pattern | None, re.Pattern]]):
    """Each (acronym, long form) pair → the long form written loosely and the acronym as a word of
    its own, compiled when first asked for."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self.longs: dict[str, list[str]] = {}
        """Acronym → its long forms, in the pairs' order."""
        for short, long in pairs:
            self.longs.setdefault(short, []).append(long)
        self.compiled: dict[tuple[str, str], tuple[re.Pattern | None, re.Pattern]] = {}

    def __getitem__(self, pair: tuple[str, str]) -> tuple[re.Pattern | None, re.Pattern]:
        if pair not in self.compiled:
            short, long = pair
            self.compiled[pair] = surface_regex([long]), re.compile(rf"(?<![\w\-]){re.escape(short)}(?![\w\-])")
        return self.compiled[pair]

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def _written_in(
    path: str, patterns: _Patterns, texts: Mapping[str, str]
) -> dict[tuple[str, str], list[tuple[int, str, bool]]]:
    """Where one file writes each (acronym, long form) pair: (line, the long form as written there,
    whether right beside the acronym), in order; pairs it never writes are left out."""
    try:
        text = texts[path]
    except KeyError:
        return {}
    lines = text.split("\n")
    found = {}
    # An acronym is found only as a word of its own once the marks are off (see _written): one made
    # of word characters is among the text's words, or not written at all (the common case).
    words = set(_WORDS.findall(_MARKS.sub("", text)))
    for short, longs in patterns.longs.items():
        if short not in words if _WORDS.fullmatch(short) else short not in text:
            continue
        holding = [(number, line) for number, line in enumerate(lines, start=1) if short in line]
        for long in longs:
            long_re, short_re = patterns[(short, long)]
            places = _written(short, long_re, short_re, holding)
            if places:
                found[(short, long)] = places
    return found


def _written(
    short: str, long_re: re.Pattern | None, short_re: re.Pattern, lines: list[tuple[int, str]]
) -> list[tuple[int, str, bool]]:
    """Where `lines` (number, text) write the long form (`long_re`) as the expansion of `short`,
    how they spell it there, and whether it is written right beside the acronym."""
    found: list[tuple[int, str, bool]] = []
    if long_re is None:
        return found
    for number, line in lines:
        plain = _MARKS.sub("", line)
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
                found.append((number, surface, bool(adjacent)))
    return found


def acronym_cards(
    graph: ConceptGraph,
    texts: Mapping[str, str],
    paths: list[str],
    memo: CardMemory | None = None,
    files: Mapping[str, str] | None = None,
) -> list[Flashcard]:
    """Cloze Flashcards (kind "acronym") for the Acronyms subdeck."""
    cards = []
    for acronym in find_acronyms(graph, texts, paths, memo, files):
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
