"""Concepts: the registry's, plus those the notes define themselves (acronyms, bold definitions,
'What is X?' questions). Conservative on purpose: a junk node costs more than a missing one."""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import cast

from generator.digests import digest
from generator.graph.locate import SPACES, Locator, prose, strip_markup
from generator.graph.matcher import Matcher, exact_spelling, kept_matcher
from generator.graph.memory import CardMemory, NoMemory
from generator.graph.names import (
    DASHES,
    clean,
    everyday,
    is_acronym,
    is_cjk,
    key,
    plausible_term,
    spells,
    word_zipf,
)
from generator.graph.questions import FINAL_BRACKET, compared_parts, question_subject
from generator.graph.registry import Registry
from generator.graph.vocabulary import Term, Vocabulary
from generator.model import Flashcard, SourceLocation
from generator.workers import context

_WORDS = r"[A-Za-z][\w'\-\u2010-\u2014]*"
# "Low-Rank Adaptation (LoRA)": up to eight words, then the acronym in brackets.
_LONG_THEN_SHORT = re.compile(rf"((?:{_WORDS}[ ]+(?:[+&][ ]+)?){{0,7}}{_WORDS})[ ]*\(([A-Za-z][\w\-]{{1,9}})\)")
# "LoRA (Low-Rank Adaptation)", "DoRA (Weight-Decomposed LoRA)".
_SHORT_THEN_LONG = re.compile(rf"(?<![\w\-])([A-Za-z][\w\-]{{1,9}})[ ]*\(({_WORDS}(?:[ ]+{_WORDS}){{0,7}})\)")
# "**QLoRA**, or *Quantized LoRA*", "**LoRA**, short for *Low-Rank Adaptation*", "RLHF = Reinforcement …".
_OR_FORM = re.compile(r"\*\*([^*]{2,30})\*\*,?\s+(?:or|short for|aka|also called|i\.e\.)\s+\*([^*]{3,60})\*")
_EQUALS_FORM = re.compile(rf"^\W*([A-Za-z][\w\-]{{1,9}})\s*=\s*({_WORDS}(?:[ ]+{_WORDS}){{1,7}})\s*\.?\s*$", re.M)
# "**AdamW** is a variant …", "The **Bradley–Terry model** is a probabilistic model …".
_BOLD_DEFINED = re.compile(r"\*\*([^*\n]{2,40})\*\*\s+(?:(?:is|are)\s+(?:a|an|the)\b|refers to\b|means\b|denotes\b)")
_BOLD_COLON = re.compile(r"^\W*\*\*([^*\n]{2,40}?)\s*(?::\*\*|\*\*\s*:)", re.M)


@dataclass(slots=True)
class Draft:
    """A concept while the notes are being read: names still merging, locations still arriving."""

    name: str
    aliases: set[str] = field(default_factory=set)
    topic: str = ""
    definition: str = ""
    defined_at: SourceLocation | None = None
    declared: bool = False
    fixed: bool = False
    """The registry gave the definition: the notes' own sentences do not replace it."""
    rank: int = 9
    """How strong the definition at `defined_at` is (0 = a 'What is X?' card): stronger ones win."""
    origin: str = "notes"
    """Who named it first: the notes, the registry or the built-in vocabulary."""
    common: bool = False
    """The vocabulary flags a name of it as an everyday word too (see `confirmed`)."""
    given: set[str] = field(default_factory=set)
    """Aliases the vocabulary gave (not written in the notes or the registry)."""
    umbrella: bool = False
    """A field or a large family in the vocabulary ("machine learning", "neural network"): named in
    passing, it is background, not what the notes teach (see salience.confirmed_concepts)."""


class ConceptIndex:
    """All concepts by canonical name, and every spelling of them by normalised key."""

    def __init__(self) -> None:
        self.drafts: dict[str, Draft] = {}
        self._keys: dict[str, str] = {}
        self._matcher: Matcher | None = None
        self.weak: set[str] = set()
        """Keys of spellings that are everyday words too: a mention by one of them alone is weak."""
        self.translated: dict[str, str] = {}
        """Key of a name in another language → that name as the vocabulary writes it."""
        self.subjects: dict[str, str] = {}
        """Card location → the one concept the card is about ("What is X?", a topic heading)."""
        self.related: set[frozenset[str]] = set()
        """Pairs of concepts the built-in vocabulary relates (a kind, a part, what uses what)."""

    def fingerprint(self) -> str:
        """Every name and spelling the index knows: per-card results stay valid while this is unchanged."""
        spellings = sorted((name, tuple(sorted(draft.aliases))) for name, draft in self.drafts.items())
        return digest(spellings, sorted(self._keys.items()))

    def resolve(self, surface: str) -> str | None:
        return self._keys.get(key(surface))

    def add(self, name: str, aliases: tuple[str, ...] | set[str] = (), **values) -> Draft:
        draft = self.drafts.get(name) or self.drafts.setdefault(name, Draft(name, **values))
        for surface in (name, *aliases):
            self.alias(name, surface)
        return draft

    def alias(self, name: str, surface: str, given: bool = False) -> bool:
        surface = clean(surface)
        if surface and key(surface) and key(surface) not in self._keys:
            self._keys[key(surface)] = name
            if surface != name:
                self.drafts[name].aliases.add(surface)
                if given:
                    self.drafts[name].given.add(surface)
            self._matcher = None
            return True
        draft = self.drafts[name]
        if self._keys.get(key(surface)) == name and surface != name and surface not in draft.aliases:
            # One key, several spellings: the matcher finds each only as it is written ('layer norm' beside
            # 'LayerNorm' in the vocabulary; 'KNN' beside 'kNN': an acronym matches only as written).
            if given or exact_spelling(surface):
                draft.aliases.add(surface)
                if given:
                    draft.given.add(surface)
                self._matcher = None
            if given:
                return False
        if not given and self._keys.get(key(surface)) == name and surface != name:
            # The notes' own spelling replaces the vocabulary's ("Quantized LoRA", not "quantized LoRA").
            for old in [a for a in draft.given if key(a) == key(surface)]:
                draft.given.discard(old)
                draft.aliases.discard(old)
                draft.aliases.add(surface)
        return False

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            surfaces = [(s, d.name) for d in self.drafts.values() for s in (d.name, *sorted(d.aliases))]
            self._matcher = self.made_matcher(surfaces)
        return self._matcher

    made_matcher: Callable[[list[tuple[str, str]]], Matcher] = Matcher
    """How the index gets the matcher of its spellings: `index_concepts` takes it from the memory,
    which keeps it for the next build of a long-running process while the spellings are the same."""

    def names_within(self, text: str, exclude: str, at_end: bool = False) -> list[str]:
        """Other concepts named inside `text`, even where a longer name of `exclude` covers them:
        'Weight-Decomposed LoRA' (a name of DoRA) names LoRA. `at_end`: only as the last words."""
        text = text.rstrip()
        found = self.matcher.find(text, overlapping=True)
        return sorted({name for _, end, name in found if name != exclude and (not at_end or end == len(text))})

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, concept) for every whole-word mention, longest spelling first."""
        return self.matcher.find(text)

    def mentions_within(self, line: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """The mentions of `line[start:end]`, as read in the whole line (offsets from `start`)."""
        return self.matcher.find_within(line, start, end)

    def is_weak(self, spelling: str) -> bool:
        return key(spelling) in self.weak

    def compared(self, question: str, text: str) -> list[tuple[str, str]]:
        """The pairs of concepts a comparison question compares; `text` is the card's own text."""
        names = dict.fromkeys(self.compared_name(part, text) for part in compared_parts(question))
        found = [name for name in names if name]
        return [(a, b) for i, a in enumerate(found) for b in found[i + 1 :]]

    def compared_name(self, part: str, text: str) -> str | None:
        """The concept one compared part names. A part that names none may be the start of a longer
        name the card writes ('Generative vs discriminative' over 'Generative algorithms model …',
        'General Attention vs. Self-Attention' over 'The general attention layer …'): that name's."""
        part = clean(re.sub(r"\s*\([^)]*\)\s*$", "", part))
        name = self.resolve(part)
        if name is not None:
            return name
        words = _words(part)
        if not words:
            return None
        found = self.mentions(text)
        written = [(text[start:end], name) for start, end, name in found]
        spelled = [(spelling, name) for *_, name in found for spelling in (name, *sorted(self.drafts[name].aliases))]
        for spelling, name in written + spelled:
            longer = _words(spelling)
            if len(longer) > len(words) and longer[: len(words)] == words:
                return name
        return None


def _words(name: str) -> list[str]:
    return [key(word) for word in re.split(f"[\\s{DASHES}]+", clean(name)) if key(word)]


def index_concepts(
    cards: list[Flashcard],
    registry: Registry,
    locator: Locator,
    memo: CardMemory | None = None,
    files: Mapping[str, str] | None = None,
    jobs: int = 1,
    text_keys: list[str] | None = None,
) -> ConceptIndex:
    """Registry first, then acronym definitions across all notes, then defined terms and questions.
    `memo` remembers what each card's own text defines, and where, across builds; `files` (path →
    digest of the file) tells when a card's place in its file may have moved."""
    memo = memo or NoMemory()
    files = files or {}
    if registry.digest:  # the same registry and vocabulary give the same start: kept, and copied per build
        known = memo.get(("known names", registry.digest), lambda: _dump(known_names(registry)))
        index: ConceptIndex = pickle.loads(known)
    else:
        index = known_names(registry)
    index.made_matcher = partial(kept_matcher, memo)
    text_keys = text_keys or [card_text_key(card) for card in cards]
    keys = [
        ("definitions", text, card.location.path, files.get(card.location.path), card.location.line)
        for card, text in zip(cards, text_keys)
    ]
    memo.fill(keys, cards, _card_definitions, jobs, locator)
    definitions = [memo.get(key, _unfilled) for key in keys]
    for pairs, _, _ in definitions:
        for short, long, sentence, where in pairs:
            _merge_pair(index, short, long, where, sentence)
    for _, terms, _ in definitions:
        for term, sentence, strong, rank, where in terms:
            _define(index, term, where, sentence, strong, rank)
    for card in cards:
        _define_compared(index, card)
    for card in glossary_cards(cards):
        first = strip_markup(card.answer_md).strip().split("\n")[0]
        _define(index, card.question, card.location, first or card.question, True, 2)
    for card, (_, _, candidates) in zip(cards, definitions):
        subject = next(filter(None, map(index.resolve, candidates)), None)
        if subject:
            index.subjects[str(card.location)] = subject
    return index


def known_names(registry: Registry) -> ConceptIndex:
    """The index of the registry's concepts and, beneath them, the built-in vocabulary's."""
    index = ConceptIndex()
    for entry in registry.entries.values():
        index.add(
            entry.name,
            entry.aliases,
            topic=entry.topic,
            definition=entry.definition,
            declared=True,
            fixed=bool(entry.definition),
            origin="registry",
        )
    if registry.vocabulary is not None:
        add_vocabulary(index, registry.vocabulary)
    return index


def _dump(index: ConceptIndex) -> bytes:
    # A copy costs a twentieth of making the index again from the vocabulary's 10,000 spellings.
    return pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)


def add_vocabulary(index: ConceptIndex, vocabulary: Vocabulary) -> None:
    """The built-in vocabulary under what is already known (the user's registry): a term one of
    whose names the registry already has is merged into that concept (the registry's name,
    definition and topic win); names already taken stay with their first owner."""
    for term in vocabulary.terms.values():
        names = (*term.english, *term.translated)
        owner = next(filter(None, (index.resolve(n) for n in names)), None)
        if owner is None:
            draft = index.add(term.name, topic=term.topic, definition=term.definition, origin="vocabulary")
        else:
            draft = index.drafts[owner]
            draft.topic = draft.topic or term.topic
            if not draft.definition:
                draft.definition = term.definition
        draft.common = draft.common or term.common_word
        draft.umbrella = draft.umbrella or term.name in vocabulary.umbrellas
        for surface in names:
            if surface == term.name or not re.fullmatch(r"[a-z]{1,3}", surface):  # "df", "lr": too ambiguous
                index.alias(draft.name, surface, given=True)
        # A name in another language spelled like an English one ("A/B-Test", "Bloomfilter") is read
        # as the English name: English notes keep English labels.
        english = {key(s) for s in term.english}
        for surface in term.translated:
            if key(surface) not in english:
                index.translated.setdefault(key(surface), clean(surface))
        weak = {key(s) for s in term.english if _everyday(s, term)}
        if weak:  # an everyday word in English is one in other languages too: 特征, 样本, 사건
            weak |= {key(s) for s in term.translated if " " not in s and (not is_cjk(s) or len(s) <= 2)}
        # A name in another language that is an everyday English word ("distance", French for a
        # distance metric) says as little in English notes.
        weak |= {key(s) for s in term.translated if not is_cjk(s) and _everyday(s, term)}
        index.weak |= weak
    index.weak = {k for k in index.weak if k in index._keys and index.drafts[index._keys[k]].origin == "vocabulary"}
    for declared in vocabulary.relations:
        subject, target = index.resolve(declared.subject), index.resolve(declared.target)
        if subject and target and subject != target:
            index.related.add(frozenset((subject, target)))


def _everyday(surface: str, term: Term) -> bool:
    """A spelling that alone says little: one word that is also an everyday English word (the term
    is flagged `common_word`, or the word is frequent in English: 'recall', 'search', 'event')."""
    words = re.split(r"[\s\-\u2010-\u2015/]+", surface.strip())
    return len(words) == 1 and not is_acronym(surface) and (term.common_word or everyday(surface))


GLOSSARY_SIZE = 4
"""A glossary: at least this many sibling sections headed by a term each."""


def glossary_cards(cards: list[Flashcard]) -> list[Flashcard]:
    """Cards of glossaries: sibling sections (same file, same parent headings) most of which are
    headed by a bare term ("### Log Filtering", "### Reference Dataset"); their headings are the
    terms they define."""
    groups: dict[tuple, list[Flashcard]] = {}
    for card in cards:
        if card.kind in ("heading", "topic"):
            groups.setdefault((card.location.path, card.heading_path[:-1]), []).append(card)
    found = []
    for group in groups.values():
        terms = [card for card in group if _term_heading(card.question)]
        if len(terms) >= GLOSSARY_SIZE and len(terms) >= 0.6 * len(group):
            found += terms
    return found


def _term_heading(heading: str) -> bool:
    """'Log Filtering', 'Benchmark': a term; not 'Estimation of Coefficients', 'RNN and LSTM' (a
    topic or two terms), 'Linux', 'Motivation' (a word of everyday English alone)."""
    heading = clean(heading)
    words = heading.split()
    return (
        bool(heading)
        and heading[:1].isupper()
        and not heading.endswith("?")
        and plausible_term(heading)
        and not any(word.lower() in _NOT_IN_TERMS for word in words)
        and not (len(words) == 1 and word_zipf(heading) >= GLOSSARY_WORD_ZIPF)
        and not all(word_zipf(word) >= EVERYDAY_PHRASE_ZIPF for word in words)
    )


GLOSSARY_WORD_ZIPF = 3.9
EVERYDAY_PHRASE_ZIPF = 4.5
"""A heading whose every word is this common ("Fonctions simples", "Next Steps") is a phrase, not a term."""
_NOT_IN_TERMS = {
    *("is", "are", "vs", "vs.", "versus", "with", "using", "your", "our", "my", "you", "we", "to", "and", "or"),
    *("of", "for", "in", "on", "&", "tips", "resources", "tools", "statement", "basics", "overview", "notes"),
}


Definitions = tuple[
    list[tuple[str, str, str, SourceLocation]], list[tuple[str, str, bool, int, SourceLocation]], list[str]
]
"""What one card defines (see _card_definitions)."""


def _unfilled() -> Definitions:
    raise LookupError("the memory was filled with every card's definitions before they are read")


def _card_definitions(card: Flashcard) -> Definitions:
    """What one card's text defines: acronym pairs and defined terms, each with where it is said,
    and the names the card may be about.
    Runs in a worker process; the Locator comes through the workers' context."""
    locator = cast(Locator, context())
    pairs = [(short, long, sentence, locator.find(card, sentence)) for short, long, sentence in _acronym_pairs(card)]
    # A "What is X?" card defines X where it asks; other definitions, at their sentence.
    terms = [
        (term, sentence, strong, rank, card.location if rank == 0 else locator.find(card, sentence))
        for term, sentence, strong, rank in _defined_terms(card)
    ]
    return pairs, terms, _subject_candidates(card)


def card_text_key(card: Flashcard) -> str:
    return digest(card.question, card.answer_md)


def _acronym_pairs(card: Flashcard) -> list[tuple[str, str, str]]:
    raw = f"{card.question}\n{card.answer_md}"
    pairs = [(m.group(1), m.group(2), m.group(0)) for m in _OR_FORM.finditer(raw)]
    text = strip_markup(raw)
    for match in _long_then_short(text):
        long, short = match.group(1), match.group(2)
        words = long.split()
        span = next(
            (" ".join(words[i:]) for i in range(len(words) - 1, -1, -1) if spells(short, " ".join(words[i:]))), ""
        )
        if span and is_acronym(short):
            pairs.append((short, span, match.group(0)))
    for pattern in (_SHORT_THEN_LONG, _EQUALS_FORM):
        pairs += [(m.group(1), m.group(2), m.group(0)) for m in pattern.finditer(text) if is_acronym(m.group(1))]
    return pairs


_RUN = re.compile(r"[ ]*(?:[\w'\-\u2010-\u2014+&]+[ ]+){0,15}[\w'\-\u2010-\u2014+&]*")
"""Read backwards from a bracket: the last 16 space-separated tokens of the characters a
_LONG_THEN_SHORT match holds (its eight words and seven '+' or '&' at most lie within them)."""


_BRACKETED = re.compile(r"\([A-Za-z][\w\-]{1,9}\)")
"""The end of every _LONG_THEN_SHORT match."""


def _long_then_short(text: str) -> Iterator[re.Match]:
    """`_LONG_THEN_SHORT.finditer(text)`, tried only just before each "(": a match is at most 15
    space-separated words and signs (no newline, no bracket), then "(ACRONYM)", so it starts within
    the 16 tokens before its bracket and ends within 12 characters after it. Linear in the text,
    where trying the pattern at every letter is not."""
    pos = 0
    while (bracket := text.find("(", pos)) >= 0:
        if not _BRACKETED.search(text, bracket, bracket + 12):  # "r(d+k)": no acronym in brackets, no match
            pos = bracket + 1
            continue
        line = max(pos, text.rfind("\n", 0, bracket) + 1)
        run = _RUN.match(text[line:bracket][::-1])
        start = bracket - (run.end() if run else 0)
        match = _LONG_THEN_SHORT.search(text, start, bracket + 12)
        if match:
            yield match
            pos = match.end()
        else:
            pos = bracket + 1


def _merge_pair(index: ConceptIndex, short: str, long: str, where: SourceLocation, sentence: str) -> None:
    short, long = clean(short), clean(long)
    known = index.resolve(short)
    if known and known == index.resolve(long):
        index.alias(known, long)
        _note_definition(index.drafts[known], where, sentence, 1)
        return
    expands = spells(short, long)
    # "DoRA (Weight-Decomposed LoRA)" does not spell DoRA, but it describes it through a known concept.
    describes = (
        not expands
        and is_acronym(short)
        and long[:1].isupper()
        and bool(index.names_within(long, index.resolve(short) or "", at_end=True))
    )
    if not (expands or describes) or not plausible_term(short) or not plausible_term(long, max_words=8, joined=True):
        return
    # "Large Language Models (LLMs)" names the concept "LLM".
    name = index.resolve(short) or index.resolve(long) or re.sub(r"(?<=[A-Z])s$", "", short)
    draft = index.add(name)
    index.alias(name, short)
    index.alias(name, long)
    _note_definition(draft, where, sentence, 1)


def _defined_terms(card: Flashcard) -> list[tuple[str, str, bool, int]]:
    """(term, sentence, strong, rank): strong ones may create a concept, weak ones only locate a known one."""
    raw = f"{card.question}\n{card.answer_md}"
    terms = [
        (m.group(1), _sentence_at(raw, m.start()), True, 2)
        for m in _BOLD_DEFINED.finditer(raw)
        if _opens_clause(raw, m.start())
    ]
    terms += [(m.group(1), _sentence_at(raw, m.start()), False, 3) for m in _BOLD_COLON.finditer(raw)]
    subject = question_subject(card.question)
    if subject:
        first = strip_markup(card.answer_md).strip().split("\n")[0]
        terms.insert(0, (subject, first or card.question, True, 0))
    return terms


def _define_compared(index: ConceptIndex, card: Flashcard) -> None:
    """The terms a comparison question compares are defined (weakly) where it asks; a part that is
    the start of a longer name the card writes stands for that name (see ConceptIndex.compared_name)."""
    parts = compared_parts(card.question)
    if not parts:
        return
    text = strip_markup(prose(f"{card.question}\n{card.answer_md}"))
    named = [(part, index.compared_name(part, text)) for part in parts]
    named = [(part, name) for part, name in named if name is not None or plausible_term(part)]
    if len(named) < 2:  # "How to iterate over rows?" compares nothing
        return
    for part, name in named:
        if name is not None:
            _note_definition(index.drafts[name], card.location, card.question, 4)
        else:
            _define(index, part, card.location, card.question, True, 4)


_CLAUSE_OPENING = re.compile(r"(?:^|[.!?:;,]\s)(?:[\s\-*+>#]|\d+[.)]|\b(?:the|an?)\b)*$", re.I)


def _opens_clause(text: str, start: int) -> bool:
    """Whether a bold term starts its sentence or clause (after a list marker or an article at most):
    "The **Bradley–Terry model** is a …" defines it; "… order at a **Burger King** is an example …"
    says something about the waiting time, not about the bold words."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_CLAUSE_OPENING.search(text[line_start:start]))


_TRAILING_BRACKET = re.compile(r"\s*\([^)]*\)\s*$")
_INNER_BRACKET = re.compile(r"\s*\([^)]*\)")
_LEADING_NON_WORD = re.compile(r"^[^\w]+")
_HEADING_BREAK = re.compile(r"\s+[-\u2013\u2014:]\s*|:\s*")


def _define(index: ConceptIndex, term: str, where: SourceLocation, sentence: str, strong: bool, rank: int) -> None:
    term = clean(_TRAILING_BRACKET.sub("", term))
    name = index.resolve(term)
    if name is None and strong and plausible_term(term):
        name = index.add(term).name
    if name is not None:
        _note_definition(index.drafts[name], where, sentence, rank)


def _note_definition(draft: Draft, where: SourceLocation, sentence: str, rank: int) -> None:
    if rank < draft.rank:
        draft.defined_at, draft.rank = where, rank
        if not draft.fixed:
            draft.definition = ""
    if not draft.definition:
        text = SPACES.sub(" ", strip_markup(sentence)).strip(" -:")
        draft.definition = text if len(text) <= 240 else text[:239].rstrip() + "…"


def _sentence_at(text: str, start: int) -> str:
    end = re.search(r"(?<=[.!?])\s|\n", text[start:])
    return text[start : start + end.start() if end else len(text)]


def _subject_candidates(card: Flashcard) -> list[str]:
    """Names the card may be about, surest first: its 'What is X?' subject or, for a topic card,
    its heading (the first that names a known concept wins)."""
    subject = question_subject(card.question)
    if subject:
        return [FINAL_BRACKET.sub("", subject), subject]
    heading = _LEADING_NON_WORD.sub("", clean(card.question))
    return [candidate.strip() for candidate in (_INNER_BRACKET.sub("", heading), _HEADING_BREAK.split(heading)[0])]
