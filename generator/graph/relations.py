"""Typed relations read from the sentences of a card, each with the sentence as evidence.

Direction: lineage types (extends, variant_of, simplifies, alternative_to) point from the base
concept to the newer one, so lineages read as paths: LoRA → QLoRA → DoRA. The sentence "QLoRA
extends LoRA" is the edge LoRA → QLoRA of type `extends`. `precedes` points from the earlier stage
to the later one; `uses` from the user to the used; `part_of` from the part to the whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.graph.concepts import ConceptIndex
from generator.graph.locate import SPACES, Locator, prose, strip_markup
from generator.graph.patterns import template_relations
from generator.graph.questions import clean_question, question_subject, question_target
from generator.model import Evidence, Flashcard, pickled_by_fields

LINEAGE = ("extends", "variant_of", "simplifies", "alternative_to")
"""Edge runs base → newer; read it as "<target> <type> <source>"."""
UNDIRECTED = ("contrasts_with", "related")

# (verb pattern, relation type). The subject comes before the verb, the object after it.
_VERBS = [
    (r"simplif(?:y|ies|ied)", "simplifies"),
    (
        r"builds? (?:on top of|on|upon)|is built on|(?:is )?based on|extends|improves(?: on| upon)?|unif(?:y|ies)",
        "extends",
    ),
    (r"(?:variant|variation|type|kind|form|flavou?r|generali[sz]ation|special case|example) of|is an?", "variant_of"),
    (r"(?:an? |popular )?alternative to|replacement for|successor to", "alternative_to"),
    (r"uses?|using|usually with|relies on|requires?|applies|derived from|trains? an?(?: separate)?", "uses"),
    (r"(?:is |a |the )?(?:part|component|stage|step) (?:of|in)", "part_of"),
    (r"includes?|contains?|consists? of|is made (?:up )?of|(?:components|parts|stages|steps) (?:are|:)", "has_part"),
]
_IMPLICIT_VERB = re.compile(r"^(?:[a-z]+s\b|trains? an?\b|(?:a |an |the |is )?(?:\w+ ){0,2}(?:of|in|to)$)", re.I)
"""Forms a verb takes in a sentence whose subject is the card's concept, left unsaid ("Uses …",
"Part of …", "A type of …", a step "Train a reward model"); not advice or a gerund ("Use X to …",
"Using X …")."""
_VERB_RE = [(re.compile(rf"\b(?:{pattern})\b", re.I), kind) for pattern, kind in _VERBS]
# Before the verb, these mean the subject does not do it ("Instead of … using PPO, DPO …"), or the
# subject is several things at once ("Both use preference pairs").
_NEGATED = re.compile(r"\b(?:instead of|without|rather than|skips?|not|no longer|removing|no|both|neither)\b", re.I)
_FURTHER = re.compile(
    r"\b(?:takes? (?:this|it) a step further|goes? (?:a step )?further|extreme case|special case"
    r"|limiting case)\b",
    re.I,
)
_BEYOND = re.compile(r"^\s*beyond\b(.+?):?\s*$", re.I)
_EXAMPLES = re.compile(r"^\W*examples?\s*:\s*(.+)$", re.I)
_ARROW = re.compile(r"\s*(?:→|->|⟶|=>|\$\\to\$)\s*")
_UNLIKE = re.compile(
    r"^\W*(?:unlike|as opposed to|in contrast to|compared to|compared with)\s+(?:the\s+|an?\s+)?", re.I
)
_THAN = re.compile(
    r"\b(?:more|less|fewer|better|worse|(?!(?:rather|other|whether|either|neither)\b)\w{2,}er)\b"
    r"(?:\s+[\w\-]+){0,3}?\s+than\s+(?:the\s+|an?\s+)?",
    re.I,
)
"""'X is much cheaper to update than Y', 'more accurate than Y': a comparative weighs X against Y."""
_WITH = re.compile(r"\s+with\s+", re.I)
_WITH_GAP = re.compile(r"(?:(?:an?|the)\s+)?(?:[\w\-]+\s+){0,2}", re.I)
"""'Adam with decoupled weight decay': what a base concept comes with, a few words of its noun phrase before it."""
_BRACKETED = re.compile(r"\([^()]*\)")
_BARE_COMPARATIVE = re.compile(r"\s*(?:(?:it|this|they|these)\b.*|(?:\S+\s+){0,2})$", re.I | re.S)
_WHILE = re.compile(r",\s*(?:while|whereas|but)\s+(?:the\s+|an?\s+)?", re.I)
_INSTEAD = re.compile(r"\s(?:instead of|rather than|in place of)\s+(?:the\s+|an?\s+)?(?:using\s+)?", re.I)
_USED_FOR = re.compile(
    r"\s*(?:(?:is|are|can be|may be)\s+)?(?:(?:often|mostly|mainly|typically|commonly|widely|also|usually)\s+)*"
    r"used\s+(?:for|in|by)\s+(?:the\s+|an?\s+)?",
    re.I,
)
_ALTERNATIVE = re.compile(
    r"^\W*(?:an?|one|another)\s+(?:[\w\-]+\s+)?alternative\b(.*?)\s+(?:is|would be|could be)\s+(?:the\s+|an?\s+)?",
    re.I,
)
_ALTERNATIVES = re.compile(
    r"^\W*(?:some |other |common |popular |the )?alternatives?\b[^.:]*?(?:\s(?:are|include)\s*:?|:)\s*$", re.I
)
"""'Some alternative sampling methods are:' announces a list of alternatives to what was just described."""
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_INSTANCE = re.compile(r"\b(?:one|another)\s+$", re.I)
_SUBJECT_GAP = 6
_DEFINITION_GAP = 10
_DEFINING_VERBS = {"using", "uses", "applies", "requires", "relies on"}
"""At most this many words between a subject and its verb ("DPO typically also uses …")."""
_GAP_ASIDE = re.compile(r"\([^()]*\)|^\s*[:\-\u2013\u2014]\s")
"""What may stand between a subject and its verb: a bracket, the colon or dash after a bold lead."""
_CLAUSE_BREAK = re.compile(r"[;:\u2014]|\b(?:which|that|who|when|while|where|if|because|and|or|but|to)\b", re.I)
_OBJECT_GAP = re.compile(
    r"^\s*(?:(?!(?:to|for|in|on|which|that|when|if|while|because|so|as|than|by|of)\b)[\w\-'/]+\s+){0,3}$", re.I
)


def _listed(text: str, objects: list[tuple[int, str]], mentions: list[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """The first object and those listed right after it: "uses BM25, ANN search and re-ranking"."""
    ends = {start: end for start, end, _ in mentions}
    listed = [objects[0]]
    for start, name in objects[1:]:
        between = text[ends[listed[-1][0]] : start]
        # Separators only, or other short items of the same list: "log filtering, metric deployment, guardrails".
        chunks = _LIST_SEPARATOR.split(between)
        if len(chunks) < 2 or re.search(r"[.;:()]", between) or any(len(chunk.split()) > 3 for chunk in chunks):
            break
        listed.append((start, name))
    return listed


_LIST_SEPARATOR = re.compile(r",|/|\+|&|\band\b|\bor\b")


def _object_head(text: str, start: int, mentions: list[tuple[int, int, str]]) -> bool:
    """'is a … data structure' names a kind only when the concept ends the noun phrase."""
    end = next(e for s, e, _ in mentions if s == start)
    return bool(re.match(r"\s*(?:$|[.,;:)(]|that\b|which\b|used\b|for\b|in\b|with\b|where\b|to\b)", text[end:]))


_CLAUSE_VERB = re.compile(r"\s+(?:is|are|was|were|has|have|can|will|does|do)\b", re.I)
_COORDINATION = re.compile(r"(?:,\s*|\s+)(?:and|but|while|whereas)\s+(?:the\s+|an?\s+)?$", re.I)


def _opens_clause(text: str, start: int, mentions: list[tuple[int, int, str]]) -> bool:
    """Whether the concept named at `start` is the subject of a clause of its own: after 'and',
    'but' …, followed by its own verb ("… and classical probability is a type of …")."""
    end = next(e for s, e, _ in mentions if s == start)
    return bool(_COORDINATION.search(text, 0, start) and _CLAUSE_VERB.match(text, end))


def _clause_subjects(text: str, mentions: list[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """The concepts that open a coordinated clause of a sentence, with where they start."""
    return [(start, name) for start, _, name in mentions if start > 0 and _opens_clause(text, start, mentions)]


def _object_near(gap: str) -> bool:
    """The object follows its verb at once or after a few words of its noun phrase ("uses a binary
    cross-entropy loss"), not further on in another phrase ("uses X to control overfitting")."""
    return bool(_OBJECT_GAP.match(gap + " ")) if gap.strip() else True


_PRONOUN = re.compile(r"^(?:it|this|they|these|that)\b", re.I)
_THEN_PRONOUN = re.compile(r"[\s,]*(?:it|this|they|these)\b", re.I)
_OPENER = re.compile(
    r"(?:to|rather than|instead of|unlike|in|for|during|when|after|before|by|with|without|given|once)\b"
    r"[^,;:.]{1,80},\s+",
    re.I,
)
"""A phrase before a sentence's main clause: the subject comes after its comma."""
_NO_SUBJECT = re.compile(r"^\W*(?:both|each|all|neither|either)\b", re.I)
_LEAD_NOISE = re.compile(r"^(?:[\s\-*+>•#|]|\d+[.)]\s|stage \d+\s*:|step \d+\s*:|the |an? )*", re.I)


def _noise_end(text: str) -> int:
    """Where the list markers, numbering and article before a sentence's subject end."""
    noise = _LEAD_NOISE.match(text)
    return noise.end() if noise else 0


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"'(])")
_EITHER = re.compile(
    r"^(?:(?:should|do|would|can) (?:i|we|you) (?:use|choose|pick) |(?:which is better|is it)[:,]? )?"
    r"(?:an? |the )?([\w\-/. ]{2,40}?) or (?:an? |the )?([\w\-/. ]{2,40}?)"
    r"(?: (?:for|in|when|on|with)\b.*)?\?$",
    re.I,
)
"""'Cosine or L2 for embeddings?': a question choosing between two concepts contrasts them."""
_ANY_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[。！？；]")
_CLAUSE_END = re.compile(r"[.;:!?]|\s[—–-]\s")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Found:
    """One reading of one sentence: `source → target` of `type`, with the sentence."""

    source: str
    target: str
    type: str
    text: str


def contrast(first: str, second: str, text: str, kind: str = "contrasts_with") -> Found:
    """An undirected relation between two concepts, its ends in name order."""
    return Found(min(first, second), max(first, second), kind, text)


def lineage(kind: str, subject: str, obj: str, text: str) -> Found:
    """`subject kind obj` as written ("DPO simplifies RLHF") → the edge in graph direction."""
    return Found(obj, subject, kind, text) if kind in LINEAGE else Found(subject, obj, kind, text)


class _Reader:
    """Walks a card sentence by sentence, remembering whom the text is about."""

    def __init__(self, card: Flashcard, index: ConceptIndex) -> None:
        self.index = index
        self.current = index.subjects.get(str(card.location))
        self.about = self.current
        self.read = 0
        """Sentences read so far: the first one of a card about a concept is its definition."""
        self.previous_leads: list[str] = [self.current] if self.current else []
        self.last_subject: str | None = self.current
        self.beyond: list[str] = []
        self.found: list[Found] = []
        self.lead_end = 0
        """Where the last sentence's lead mention ends (see _lead)."""
        self.alternatives_to: str | None = None
        """While a list announced as alternatives runs ("Some alternative methods are:"): to what."""

    def line(self, line: str) -> None:
        beyond = _BEYOND.match(line)
        if beyond:
            self.beyond = [name for *_, name in self.index.mentions(beyond.group(1))]
            return
        if self.alternatives_to and line.strip():
            item = _LIST_ITEM.match(line)
            if not item:
                self.alternatives_to = None
            else:
                named = self.index.mentions(line)
                if named and named[0][0] <= _noise_end(line[item.end() :]) + item.end() + 1:
                    if named[0][2] != self.alternatives_to:
                        self.found.append(lineage("alternative_to", named[0][2], self.alternatives_to, line.strip()))
        if _ALTERNATIVES.match(line):
            self.alternatives_to = self.current or self.about
        for start, end in sentence_spans(line, _SENTENCE_END):
            text = line[start:end]
            start += len(text) - len(text.lstrip())
            end = start + len(text.strip())
            self.sentence(line[start:end], self.index.mentions_within(line, start, end))

    def sentence(self, text: str, mentions: list[tuple[int, int, str]]) -> None:
        lead = self._lead(text, mentions)
        if lead and lead != self.current:
            self.previous_leads.append(self.current) if self.current else None
            self.current = lead
        # Without a subject of its own a sentence is about the card's concept ("A special case of …").
        subject = lead or ((self.last_subject or self.current) if _PRONOUN.match(text) else self.about)
        if not lead and _NO_SUBJECT.match(text):
            subject = None
        if subject:
            if any(name != subject for *_, name in mentions):  # a verb needs an object
                self._verbs(text, subject, mentions, self._subject_end(text, mentions, lead))
            self._used_for(text, subject, lead, mentions)
            self._further(text, subject, lead)
            self._beyond(text, lead)
            self._examples(text, subject)
        for start, name in _clause_subjects(text, mentions):  # "…, and Y is a kind of X"
            if name != subject:  # the clause's mentions are the sentence's from Y on, Y first
                named = [(s - start, e - start, n) for s, e, n in mentions if s >= start]
                self._verbs(text[start:], name, named, named[0][1])
        self._alternative(text, subject, mentions)
        self._contrasts(text, lead, mentions)
        self._compares(text, subject, mentions)
        self._base_with(text, lead, mentions)
        self._named_with(text, mentions)
        self.found += arrow_relations(text, self.index)
        self.last_subject = subject
        self.read += 1

    def _lead(self, text: str, mentions: list[tuple[int, int, str]]) -> str | None:
        """The concept a sentence opens with, or opens its main clause with after a leading phrase
        ("To reflect …, DCG applies …", "Rather than training a reward model, DPO uses …")."""
        self.lead_end = 0
        noise = _noise_end(text)
        opener = _OPENER.match(text, noise)
        start = opener.end() if opener and mentions and mentions[0][0] > noise + 1 else noise
        lead = next(((s, e, n) for s, e, n in mentions if s >= start), None)
        if lead is None or lead[0] > _noise_end(text[start:]) + start + 1:
            return None
        self.lead_end = lead[1]
        return lead[2]

    def _subject_end(self, text: str, mentions: list[tuple[int, int, str]], lead: str | None) -> int:
        """Where the subject's words end: the lead mention, a leading pronoun, or (a sentence that
        starts with its verb, as glossary entries do: "Uses signal-based sampling …") the start."""
        if lead:
            return self.lead_end
        pronoun = _PRONOUN.match(text)
        return pronoun.end() if pronoun else _noise_end(text)

    def _verbs(self, text: str, subject: str, mentions: list[tuple[int, int, str]], subject_end: int) -> None:
        """`subject VERB object`: the verb close after the subject (at most a few words between,
        no other concept), the object the first concept a few words after the verb."""
        for pattern, kind in _VERB_RE:
            for verb in pattern.finditer(text):
                if verb.start() < subject_end:
                    continue
                # "LoRA (Low-Rank Adaptation), a type of PEFT", "- **IPO**: unifies RLHF and DPO".
                gap = _GAP_ASIDE.sub(" ", text[subject_end : verb.start()])
                limit = _DEFINITION_GAP if self.read == 0 and subject == self.about else _SUBJECT_GAP
                if len(gap.split()) > limit or _CLAUSE_BREAK.search(gap):
                    continue
                clause_start = max(text.rfind(c, 0, verb.start()) for c in ",;(")
                if _NEGATED.search(text[max(clause_start, 0) : verb.start()]):
                    continue
                stop = _CLAUSE_END.search(text, verb.end())
                end = min(stop.start() if stop else len(text), verb.end() + 80)
                objects = [
                    (start, name) for start, _, name in mentions if verb.end() <= start < end and name != subject
                ]
                # "X is based on calculations and Y is a type of X": Y is the subject of a clause of its own.
                objects = [(start, name) for start, name in objects if not _opens_clause(text, start, mentions)]
                if not objects or not _object_near(text[verb.end() : objects[0][0]]):
                    continue
                if _INSTANCE.search(text, verb.end(), objects[0][0]):
                    continue  # "Using one language model to judge another": an instance, not the concept
                # No subject written: only a verb in the third person or a noun phrase, or, in the
                # definition that opens a card about the subject, a participle ("Assessment of …
                # capabilities, typically using standardized benchmarks").
                defining = self.read == 0 and subject == self.about and verb.group().lower() in _DEFINING_VERBS
                if (
                    subject_end == _noise_end(text)
                    and not defining
                    and (gap.strip() or not _IMPLICIT_VERB.match(verb.group()))
                ):
                    continue
                if kind == "variant_of" and verb.group().lower().startswith("is a"):
                    objects = objects[:1]  # "A Bloom filter is a probabilistic data structure"
                    if not _object_head(text, objects[0][0], mentions):
                        continue
                listed = [obj for _, obj in _listed(text, objects, mentions)]
                if "unif" in verb.group().lower():
                    listed = [obj for _, obj in objects]
                for obj in listed:
                    if kind == "has_part":
                        self.found.append(Found(obj, subject, "part_of", text))
                    else:
                        self.found.append(lineage(kind, subject, obj, text))

    def _used_for(self, text: str, subject: str, lead: str | None, mentions: list[tuple[int, int, str]]) -> None:
        """'BM25 is used for candidate generation', and in a card about a concept a sentence of its
        definition without a subject ('Used for guardrails and …'): what follows uses the subject."""
        if not lead and subject != self.about:
            return
        used = _USED_FOR.match(text, self.lead_end if lead else _noise_end(text))
        if not used:
            return
        objects = [(start, name) for start, _, name in mentions if start >= used.end() and name != subject]
        if objects and _object_near(text[used.end() : objects[0][0]]):
            for _, user in _listed(text, objects, mentions):
                self.found.append(Found(user, subject, "uses", text))

    def _alternative(self, text: str, subject: str | None, mentions: list[tuple[int, int, str]]) -> None:
        """'An alternative dimensionality reduction technique is t-SNE' (about PCA), 'A simpler
        alternative to PPO is DPO': the named one is an alternative to the subject, or to its 'to' object."""
        alternative = _ALTERNATIVE.match(text)
        if not alternative:
            return
        named = next(
            (n for s, _, n in mentions if s >= alternative.end() and not text[alternative.end() : s].strip("[ ")), None
        )
        to = re.match(r"\s*to\s+(?:the\s+|an?\s+)?", alternative.group(1))
        base = next((n for s, _, n in mentions if to and s == alternative.start(1) + to.end()), None) if to else subject
        if named and base and named != base:
            self.found.append(lineage("alternative_to", named, base, text))

    def _contrasts(self, text: str, lead: str | None, mentions: list[tuple[int, int, str]]) -> None:
        """'Unlike X, Y …' and 'X …, while / whereas / but Y …' contrast X and Y; 'use X instead of
        Y' offers X as an alternative to Y."""
        unlike = _UNLIKE.match(text)
        if unlike:
            first = next(((s, e, n) for s, e, n in mentions if s >= unlike.end()), None)
            after = next((n for s, _, n in mentions if first and s > first[1]), None)
            if first and _THEN_PRONOUN.match(text, first[1]):  # "Unlike accuracy, it punishes …": the card's subject
                after = self.about
            if first and first[0] == unlike.end() and after and after != first[2]:
                self.found.append(contrast(first[2], after, text))
        if lead:
            for turn in _WHILE.finditer(text):
                other = next((n for s, _, n in mentions if s == turn.end()), None)
                if other and other != lead:
                    self.found.append(contrast(lead, other, text))
        for turn in _INSTEAD.finditer(text):
            before = [(s, e, n) for s, e, n in mentions if e <= turn.start()]
            after = next((n for s, _, n in mentions if s == turn.end()), None)
            if before and after and len(text[before[-1][1] : turn.start()].split()) <= 2 and before[-1][2] != after:
                self.found.append(lineage("alternative_to", before[-1][2], after, text))

    def _compares(self, text: str, subject: str | None, mentions: list[tuple[int, int, str]]) -> None:
        """'HNSW is faster than IVF', 'Voting: soft voting works better than hard voting', 'Cheaper
        to update than fine-tuning' in a card about RAG: what follows 'than' is weighed against the
        last concept its clause names before it, else against the sentence's subject."""
        if "than" not in text.lower():
            return
        starts = {start: name for start, _, name in mentions}
        plain = _BRACKETED.sub(lambda m: " " * len(m.group()), text)  # "(predict probabilities …)" is an aside
        for than in _THAN.finditer(text):
            other = starts.get(than.end())
            clause = max(0, *(plain.rfind(c, 0, than.start()) + 1 for c in ",;:"))
            before = [n for s, e, n in mentions if clause <= s and e <= than.start() and plain[s] != " "]
            # Without a name in its clause, the comparative is the subject's only when nothing else can
            # be: the clause opens with it or a pronoun ("Much cheaper than …", "It trains faster than …").
            bare = _BARE_COMPARATIVE.match(plain[clause : than.start()])
            one = before[-1] if before else (subject if bare else None)
            if other and one and other != one:
                self.found.append(contrast(one, other, text))

    def _base_with(self, text: str, lead: str | None, mentions: list[tuple[int, int, str]]) -> None:
        """'Adam with decoupled weight decay' opening the definition of AdamW, 'LoRA with a 4-bit
        base model' of QLoRA: the defined concept is a variant of the one it opens with, using the other."""
        about = self.about
        if self.read or not lead or not about or lead == about:
            return
        joined = _WITH.match(text, self.lead_end)
        after = next(((start, name) for start, _, name in mentions if joined and start >= joined.end()), None)
        if not joined or not after or not _WITH_GAP.fullmatch(text, joined.end(), after[0]):
            return
        used = after[1]
        if used not in (lead, about):
            self.found.append(lineage("variant_of", about, lead, text))
            self.found.append(Found(about, used, "uses", text))

    def _named_with(self, text: str, mentions: list[tuple[int, int, str]]) -> None:
        """A name written as a base with something ("Adam with decoupled weight decay" for AdamW):
        the concept is a variant of the base, using what the base comes with."""
        for start, end, name in mentions:
            joined = _WITH.search(text, start, end)
            if not joined:
                continue
            base, rest = text[start : joined.start()], text[joined.end() : end]
            # Every name the base and the rest are spelled by ("weight decay" within "decoupled weight decay").
            bases = {n for s, _, n in self.index.matcher.find(base, overlapping=True) if s == 0}
            used = {n for _, e, n in self.index.matcher.find(rest, overlapping=True) if e == len(rest)}
            self.found += [lineage("variant_of", name, other, text) for other in sorted(bases - {name})]
            self.found += [Found(name, other, "uses", text) for other in sorted(used - {name} - bases)]

    def _further(self, text: str, subject: str, lead: str | None) -> None:
        """'QLoRA … takes this a step further', 'MQA: extreme case': a step on from the previous subject."""
        further = _FURTHER.search(text) if lead else None
        if lead and further:
            base = next((name for name in reversed(self.previous_leads) if name != lead), None)
            if base:
                kind = "extends" if "further" in further.group().lower() else "variant_of"
                self.found.append(lineage(kind, lead, base, text))

    def _beyond(self, text: str, lead: str | None) -> None:
        """'Beyond LoRA and QLoRA: DoRA (Weight-Decomposed LoRA) …': the newer one of the same family."""
        if not lead or not self.beyond or lead in self.beyond:
            return
        names = (lead, *self.index.drafts[lead].aliases)
        family = {name for alias in names for name in self.index.names_within(alias, lead)}
        if family & set(self.beyond):
            self.found.append(lineage("extends", lead, self.beyond[-1], text))

    def _examples(self, text: str, subject: str) -> None:
        match = _EXAMPLES.match(text)
        if match:
            for *_, name in self.index.mentions(match.group(1)):
                if name != subject:
                    self.found.append(lineage("variant_of", name, subject, text))


def arrow_relations(text: str, index: ConceptIndex) -> list[Found]:
    """'pre-training → SFT → RLHF' is pipeline order; 'RLHF → reward model + PPO' lists what it uses."""
    items = _ARROW.split(text)
    if len(items) < 2:
        return []
    items[0] = re.split(r":\s", items[0])[-1]  # "Feedback loop: click logs → …": the label is no step
    # "DPO → simpler preference learning (no reward model)": what an item lacks is not in it.
    names = [[name for *_, name in index.mentions(_NEGATED.split(item)[0])] for item in items]
    if len(items) == 2 and "+" in items[1] and len(set(names[0])) == 1:
        return [Found(names[0][0], used, "uses", text) for used in dict.fromkeys(names[1]) if used != names[0][0]]
    # The last concept before the first arrow, the first one after each arrow.
    picks = [
        (item_names[-1] if i == 0 else item_names[0]) if item_names else None for i, item_names in enumerate(names)
    ]
    return [
        Found(before, after, "precedes", text)
        for before, after in zip(picks, picks[1:])
        if before and after and before != after
    ]


_BLOCK_START = re.compile(r"^\s*(?:[-*+>|#]|\d+[.)]\s|$|```|~~~|\$\$)")


def unwrap(lines: list[str]) -> list[str]:
    """Hard-wrapped paragraphs as one line each, so a sentence that runs over two lines is read whole;
    list items, headings, quotes, tables and fences keep their own lines."""
    joined: list[str] = []
    for line in lines:
        if (
            joined
            and joined[-1].strip()
            and not _BLOCK_START.match(line)
            and not _BLOCK_START.match(joined[-1][:1] or " ")
        ) or (joined and joined[-1].strip() and line[:1].islower() and not _BLOCK_START.match(line)):
            joined[-1] = joined[-1].rstrip() + " " + line.strip()
        else:
            joined.append(line)
    return joined


def card_relations(card: Flashcard, index: ConceptIndex, locator: Locator) -> list[tuple[Found, Evidence]]:
    """Every relation one card states, with the sentence and its `file:line`."""
    reader = _Reader(card, index)
    _question(card.question, strip_markup(prose(f"{card.question}\n{card.answer_md}")), index, reader.found)
    lines = strip_markup(f"{card.question}\n{card.answer_md}").split("\n")
    reader._contrasts(lines[0], None, index.mentions(lines[0]))
    for line in unwrap(lines[1:]):
        reader.line(line)
    for line in lines:
        line = prose(line)
        for start, end in sentence_spans(line, _ANY_SENTENCE_END):
            sentence = line[start:end]
            for subject, kind, obj in template_relations(sentence, index.mentions_within(line, start, end)):
                reader.found.append(
                    lineage(kind, subject, obj, sentence.strip())
                    if kind != "contrasts_with"
                    else contrast(subject, obj, sentence.strip(), kind)
                )
    return [(found, Evidence(_short(found.text), str(locator.find(card, found.text)))) for found in reader.found]


def sentence_spans(line: str, ends: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a line: the text between the matches of `ends`, if any."""
    spans = []
    start = 0
    for stop in ends.finditer(line):
        if line[start : stop.start()].strip():
            spans.append((start, stop.start()))
        start = stop.end()
    if line[start:].strip():
        spans.append((start, len(line)))
    return spans


def _question(question: str, text: str, index: ConceptIndex, found: list[Found]) -> None:
    """Comparison questions contrast their terms; 'Why use X over Y' offers X as an alternative to Y;
    'What is X for Y?' says Y uses X; an arrow chain in the question is pipeline order."""
    for first, second in index.compared(question, text):
        if first != second:
            if re.search(r"\bover\b", question, re.I) and not re.search(r"\bvs\b", question, re.I):
                found.append(lineage("alternative_to", first, second, question))
            else:
                found.append(contrast(first, second, question))
    either = _EITHER.match(clean_question(question))
    if either:
        one, other = index.compared_name(either.group(1), text), index.compared_name(either.group(2), text)
        if one and other and one != other:
            found.append(contrast(one, other, question))
    subject, target = index.resolve(question_subject(question)), index.resolve(question_target(question))
    if subject and target and subject != target:
        found.append(Found(target, subject, "uses", question))
    inner = re.search(r"\(([^()]*(?:→|->)[^()]*)\)", question)
    if inner:
        found += arrow_relations(inner.group(1), index)


_ITEM_MARK = re.compile(r"^(?:[-*+•>]|\d+[.)])\s+")


def _short(text: str) -> str:
    text = _ITEM_MARK.sub("", SPACES.sub(" ", text).strip())
    return text if len(text) <= 300 else text[:299].rstrip() + "…"
