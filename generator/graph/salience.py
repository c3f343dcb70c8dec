"""Which concepts the notes make a subject, and which they only name in passing.

ARCHITECTURE
- Each card and passage is read once (`read_mentions`, in a worker, remembered with the card): the
  concepts it names; those it names as a term, where a note-taker shows what the card is about (its
  question or headings, an emphasised or code span that is the name, a line that opens with the name
  and a colon, a table cell that is the name, a compared part, the subject a sentence opens with, what a definition says a thing
  is, a concept the vocabulary relates to the card's subject); those it names by a spelling that is
  not an everyday word, or by any spelling as a whole bracket after what it describes ("a narrow
  code (the encoder)"); and whether it is a card with a short answer.
- `confirmed_concepts` decides from all the readings which concepts are nodes. The notes' own
  concepts and the registry's always are. A concept of the built-in vocabulary is a node when the
  notes treat it as a subject: they define it, name it as a term, state a relation of it, name it in
  a short answer (a few sentences, where every name is part of the answer), in several places, or
  keep naming it across a file. Named once in the running text of a long answer, it is a passing
  mention: it stays off the map and off the card's Concepts field.
- A spelling that is an everyday word too ("recall", "feature", "sample") says little on its own:
  such a mention counts only where it is the whole term (a heading "Recall", "**Recall** is …",
  "What is recall?"), never as a word inside a longer phrase ("How to sample rows?", "**HNSW
  Parameters:**").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from generator.graph.concepts import ConceptIndex
from generator.graph.locate import prose, strip_markup
from generator.graph.names import clean, key
from generator.graph.passages import PASSAGE_KIND, PROSE_FENCES, TITLE_KIND
from generator.graph.questions import ARTICLE
from generator.model import Flashcard

SHORT_ANSWER = 60
"""Words in an answer short enough that every concept it names is part of the answer (about three
sentences); a longer one holds passing mentions too."""
RECURRING = 2
"""Cards and passages naming a concept that make it a recurring subject of the notes."""
UMBRELLA_SHARE = 0.2
"""A concept named in at least this share of a file's cards and passages is what that file is about
(in a file of at least UMBRELLA_FILE cards and passages)."""
UMBRELLA_FILE = 5

_EMPHASIS = re.compile(
    r"\*\*([^*\n]+?)\*\*|__([^_\n]+?)__|(?<![\w*])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![\w*])"
    r"|(?<![\w_])_(?![\s_])([^_\n]+?)(?<!\s)_(?![\w_])|`([^`\n]+)`"
)
_BULLET = re.compile(r"[ \t]*(?:[-*+\u2022>][ \t]+|\d+[.)][ \t]+)?")
_INDENT = re.compile(r"[ \t]*")
_DASH = re.compile(r"[ \t][-\u2013\u2014][ \t]")
_LEAD_LENGTH = 80
_PARTS = re.compile(r"\s*(?:/|,|;|\band\b|\bor\b|\bvs\.?|\bversus\b|&)\s*", re.I)
_FENCED = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.M | re.S)
_WORD = re.compile(r"[^\W\d_]+|\d+")
_CJK_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class Mentions(NamedTuple):
    """What one card or passage names (see read_mentions)."""

    named: tuple[str, ...]
    """Every concept it names, in order of first mention."""
    termed: tuple[str, ...]
    """Concepts it names as a term: in its question or headings, as an emphasised or code span, as
    a line's lead, as a compared part, as the subject a sentence opens with or what a definition
    says a thing is, as a kind, part or user of the card's subject in the vocabulary."""
    plain: tuple[str, ...]
    """Concepts it names by a spelling that is not an everyday word."""
    spelled: tuple[tuple[str, str], ...]
    """(concept, its name in another language or "") for every mention (see link._labels)."""
    short: bool
    """A card (not a passage) whose answer is short: all it names is part of the answer."""
    passage: bool
    title: bool = False
    """The file's title: what it names as a term is what the file is about."""


def read_mentions(card: Flashcard, index: ConceptIndex) -> Mentions:
    text = strip_markup(prose(_mark_code_fences(f"{card.question}\n{card.answer_md}")))
    wrapped, code = _wrapped_lines(text)
    text = _unwrap(text, wrapped)  # "The Brier\n score": a name broken by a hard wrap is still one name
    found = index.mentions(text)
    plain = {name for start, end, name in found if not index.is_weak(text[start:end])}
    termed: set[str] = set()
    asks = card.question.rstrip().endswith(("?", "？")) or card.kind not in ("topic", PASSAGE_KIND, TITLE_KIND)
    for front in (card.question, *card.heading_path):
        termed |= _front_terms(strip_markup(prose(front)), index, everyday=asks and front is card.question)
    answer = prose(card.answer_md)
    for m in _EMPHASIS.finditer(answer):
        # Italics in an everyday word stress it ("the *distance* between two codes"); bold or code names a term.
        italic = m.group(3) is not None or m.group(4) is not None
        termed |= _whole_names(strip_markup(next(filter(None, m.groups()), "")), index, everyday=not italic)
    # A plain lead in an everyday word labels an aspect ("Range: …", "Binary: sigmoid"), not a term;
    # so does a table cell ("| Use | feature selection | less overfitting |" names one term).
    for lead in (*_line_leads(strip_markup(answer)), *_table_cells(answer)):
        termed |= _whole_names(lead, index, everyday=False)
    plain |= _glossed(text, index)
    termed |= _led(text, found, code) & plain
    subject = index.subjects.get(str(card.location))
    if subject:  # and what explains it: its kinds, its parts, what it uses or is used by
        termed |= {subject} | {name for name in plain if frozenset((name, subject)) in index.related}
    # "Pointwise, pairwise and listwise ranking?" names "pointwise ranking" though it never writes it.
    compared = [name for pair in index.compared(card.question, text) for name in pair]
    termed.update(compared)
    spelled = tuple(_spelling(name, index.translated.get(key(text[start:end]), "")) for start, end, name in found)
    named = dict.fromkeys([*(name for *_, name in found), *compared])
    title = card.kind == TITLE_KIND
    passage = title or card.kind == PASSAGE_KIND
    short = not passage and answer_words(card.answer_md) <= SHORT_ANSWER
    return Mentions(tuple(named), tuple(sorted(termed)), tuple(sorted(plain)), spelled, short, passage, title)


_SPELLINGS: dict[tuple[str, str], tuple[str, str]] = {}
"""Each (concept, spelling) pair once: the same few thousand pairs recur over every card's mentions,
and at 100,000 cards a tuple per mention held 200 MB."""


def _spelling(name: str, translated: str) -> tuple[str, str]:
    pair = (name, translated)
    return _SPELLINGS.setdefault(pair, pair)


def answer_words(answer_md: str) -> int:
    """How long an answer is to read, in words, code blocks left out; in Chinese and Japanese, which
    run words together, two characters make a word."""
    text = prose(_FENCED.sub(" ", answer_md))
    cjk = len(_CJK_CHARS.findall(text))
    return len(_WORD.findall(_CJK_CHARS.sub(" ", text))) + (cjk + 1) // 2


def _line_leads(text: str) -> list[str]:
    """What lines open with before a colon or a spaced dash: "- Key vectors: …" and "Recall — …" give
    "Key vectors" and "Recall" (after a list marker, at most 80 characters). String searches, line by
    line: a regex tried at every position of the text costs a millisecond per card."""
    found = []
    for line in text.split("\n"):
        if ":" not in line and not _DASH.search(line):
            continue
        for start in dict.fromkeys((_BULLET.match(line).end(), _INDENT.match(line).end())):  # type: ignore[union-attr]
            lead = _lead_of(line[start:])
            if lead is not None:
                if _WORD.search(lead):
                    found.append(lead)
                break
    return found


def _table_cells(text: str) -> list[str]:
    """The cells of the table rows in a text ("| L1 | sparse weights |" gives "L1", "sparse weights")."""
    if "|" not in text:
        return []
    return [
        cell.strip()
        for line in text.split("\n")
        if line.lstrip().startswith("|")
        for cell in line.strip().strip("|").split("|")
        if cell.strip(" -:")
    ]


def _lead_of(rest: str) -> str | None:
    """The shortest opening (two characters at least, no colon) that a colon or spaced dash follows."""
    colon = rest.find(":")
    ends = []
    if colon >= 2:
        ends.append(max(2, len(rest[:colon].rstrip(" \t"))))
    dash = _DASH.search(rest, 2, colon if colon >= 0 else len(rest))
    if dash:
        ends.append(max(2, len(rest[: dash.start()].rstrip(" \t"))))
    end = min(ends, default=_LEAD_LENGTH + 1)
    return rest[:end] if end <= _LEAD_LENGTH else None


def _front_terms(front: str, index: ConceptIndex, everyday: bool) -> set[str]:
    """Concepts a question or heading names as a term. A question names every concept in it, by
    whatever spelling ("When is accuracy a bad metric?"); a heading names one spelled by an
    everyday word only as the whole heading or one item of it ("Recall", not "Advanced Features")."""
    found = index.mentions(front)
    if everyday:  # but "How to sample rows?": an everyday word after "to" is a verb
        return {n for s, e, n in found if not (index.is_weak(front[s:e]) and _INFINITIVE.search(front, 0, s))}
    return {name for start, end, name in found if not index.is_weak(front[start:end])} | _whole_names(front, index)


_INFINITIVE = re.compile(r"\bto\s+$", re.I)
_SENTENCE = re.compile(r"(?:^|(?<=[.!?;:])\s+|\n)\s*(?:[-*+•>]\s+|\d+[.)]\s+)?(?:(?:the|an?)\s+)?", re.I)
_COPULA = re.compile(r"\b(?:is|are)\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,2}$", re.I)
_BLOCK_START = re.compile(r"\s*(?:[-*+•]\s|\d+[.)]\s|#|\||>\s*(?:[-*+•]\s|\d+[.)]\s|#))")
"""A line that opens a block of its own (list item, heading, table row), not one that goes on a paragraph."""
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})\s*([^\s`]*)")
FENCE_MARK = "\0"


def _mark_code_fences(text: str) -> str:
    """The opening and closing lines of each fenced block of code as NULs (same length): blank to
    the name finder, still a fence to _wrapped_lines. A fence of plain text is left to prose()."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    opened: tuple[int, str, str] | None = None  # line number, fence, info string
    for number, line in enumerate(lines):
        m = _FENCE.match(line)
        if not m:
            continue
        if opened is None:
            opened = (number, m.group(1), m.group(2).lower())
        elif m.group(1)[0] == opened[1][0] and len(m.group(1)) >= len(opened[1]) and not m.group(2):
            if opened[2] not in PROSE_FENCES:  # a fence of plain text holds sentences
                lines[opened[0]] = FENCE_MARK * len(lines[opened[0]])
                lines[number] = FENCE_MARK * len(line)
            opened = None
    return "\n".join(lines)


_WRAP_WIDTH = 40
"""A line shorter than this is a line of its own (a title, a term above its definition); notes
hard-wrapped by an editor fill their lines to 70-120 characters."""
_LINE_ENDS_SENTENCE = re.compile(r"[.!?;:\u3002\uff01\uff1f\uff1b\uff1a]\W*$")


def _wrapped_lines(text: str) -> tuple[set[int], set[int]]:
    """Offsets of the lines that go on a paragraph (a hard-wrapped line goes on the sentence before
    it: "…, such as Gaussian,\\nMultinomial, …"), and of the lines inside a fenced code block: neither
    opens a sentence. A break after a blank line, a sentence's end, the card's question or a heading,
    or before a list item, a heading or a table row, does; so does one after a short line."""
    inside: set[int] = set()
    code: set[int] = set()
    fence = False
    offset = 0
    previous = ""
    first = True
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.strip(FENCE_MARK):  # a fence opens or closes
            fence = not fence
        elif fence:
            code.add(offset)
        elif not first and previous and stripped:
            body = previous.lstrip("> ").strip()
            breaks = (
                len(body) < _WRAP_WIDTH
                or _LINE_ENDS_SENTENCE.search(body)
                or previous.lstrip().startswith(("#", "|"))
                or _BLOCK_START.match(line)
                or (line.lstrip().startswith(">") and not previous.lstrip().startswith(">"))
            )
            if not breaks:
                inside.add(offset)
        # The question (the first line) is a line of its own, whatever ends it.
        previous = "" if fence or first else (line if stripped else "")
        offset += len(line) + 1
        first = False
    return inside, code


def _unwrap(text: str, wrapped: set[int]) -> str:
    """The text with the line breaks inside its paragraphs as spaces (offsets stay as they were)."""
    if not wrapped:
        return text
    chars = list(text)
    for offset in wrapped:
        chars[offset - 1] = " "
    return "".join(chars)


def _led(text: str, found: list[tuple[int, int, str]], code: set[int]) -> set[str]:
    """Concepts a sentence opens with (its subject: what it is about), and those a definition says its
    subject is ("A Bloom filter is a bit array …"); `code`: the lines of fenced code, which open none.
    The text's paragraphs are unwrapped: their inner line breaks are spaces."""
    opening = {m.end() for m in _SENTENCE.finditer(text) if not (m.group().startswith("\n") and m.start() + 1 in code)}
    led = {name for start, _, name in found if start in opening}
    led |= {name for start, _, name in found if _COPULA.search(text, max(0, start - 40), start)}
    return led


_GLOSS = re.compile(r"[(\uff08]([^()\uff08\uff09\n]{1,60})[)\uff09]")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\]]*\]")
_PART_EDGES = re.compile(r"^(?:the|an?|q)\s*[:.]?\s+|^\W+|[\s:.!?\-\u2013\u2014]+$", re.I)


def _glossed(text: str, index: ConceptIndex) -> set[str]:
    """Concepts a bracket names whole after what it glosses: "compresses the input into a narrow
    code (the encoder)", "距离平方和（惯性）": the note-taker gives the term for what was described,
    so even an everyday word there ("encoder", "inertia") is the term's name, not a word."""
    found = set()
    for m in _GLOSS.finditer(text):
        name = index.resolve(ARTICLE.sub("", clean(m.group(1))))
        if name:
            found.add(name)
    return found


def _whole_names(span: str, index: ConceptIndex, everyday: bool = True) -> set[str]:
    """Concepts a span of text is the name of: the whole span, or one item of a list it holds
    ("Cross-encoders / LTR models"), brackets, articles and closing punctuation aside."""
    span = _BRACKETS.sub(" ", span)
    found = set()
    for part in _PARTS.split(span):
        part = _PART_EDGES.sub("", clean(part))
        name = index.resolve(part) if part and (everyday or not index.is_weak(part)) else None
        if name:
            found.add(name)
    return found


def confirmed_concepts(
    index: ConceptIndex, readings: Sequence[Mentions], paths: list[str], taught: AbstractSet[str] = frozenset()
) -> set[str]:
    """Concepts that are nodes (see the module's docstring). `taught`: the subjects of cards and the
    ends of relations the notes state. An umbrella of the vocabulary (a field, a large family:
    "machine learning", "neural network") needs more than mentions: a definition, a card or a file
    about it, or a relation the notes state."""
    confirmed = {name for name, draft in index.drafts.items() if draft.origin != "vocabulary" or draft.defined_at}
    units: dict[str, int] = defaultdict(int)
    named: dict[tuple[str, str], int] = defaultdict(int)
    places: dict[str, int] = defaultdict(int)
    in_cards: set[str] = set()
    for reading, path in zip(readings, paths):
        confirmed.update(reading.termed)
        if reading.short:
            confirmed.update(reading.plain)
        units[path] += 1
        for name in reading.named:
            named[(path, name)] += 1
        for name in set(reading.plain) | set(reading.termed):
            places[name] += 1
        if not reading.passage:  # named in a card's text, or its heading (the section a card sits in)
            in_cards.update(reading.named, reading.termed)
    confirmed |= {name for name, count in places.items() if count >= RECURRING}
    about = {
        name
        for (path, name), count in named.items()
        if units[path] >= UMBRELLA_FILE and count >= max(RECURRING, UMBRELLA_SHARE * units[path])
    }
    spelled_as_terms = set(places)
    confirmed |= about | (set(taught) & spelled_as_terms)  # a file that keeps naming "encoder" uses it as a term
    # Text outside the cards (intros, tables of contents, link lists) names many things in passing:
    # there a vocabulary concept needs a definition, a card, or a second mention.
    seen_text: dict[str, int] = defaultdict(int)
    for reading in readings:
        if reading.passage:
            for name in reading.named:
                seen_text[name] += 1
    titled = {name for reading in readings if reading.title for name in reading.termed}
    passing = {
        name
        for name, count in seen_text.items()
        if name not in in_cards
        and name not in titled
        and count < 2
        and index.drafts[name].origin == "vocabulary"
        and not index.drafts[name].defined_at
    }
    asked = set(taught) | about
    return {
        name
        for name in confirmed - passing
        if index.drafts[name].defined_at or not index.drafts[name].umbrella or name in asked
    }
