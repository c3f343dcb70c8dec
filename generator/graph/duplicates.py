"""Near-duplicate questions: the same question asked in several places, worded differently. `deckgraph check`
reports the groups; `build --merge-duplicates` merges them.

Questions are reduced to their subject words: lower case, acronyms collapsed ("Direct Preference
Optimization (DPO)" and "DPO" read the same), question words and filler dropped. Two cards are near
duplicates when those words match (rapidfuzz token_sort_ratio), or when one card is about a single
subject X, the other asks about X and one more thing Y, and X's answer already discusses Y.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz import fuzz

from generator.model import Flashcard

THRESHOLD = 90
KNOWN_ACRONYMS = {
    "reinforcement learning from human feedback": "rlhf",
    "reinforcement learning with human feedback": "rlhf",
    "direct preference optimization": "dpo",
    "supervised fine tuning": "sft",
    "parameter efficient fine tuning": "peft",
    "low rank adaptation": "lora",
    "quantized lora": "qlora",
    "proximal policy optimization": "ppo",
    "chain of thought": "cot",
    "large language model": "llm",
    "large language models": "llm",
}
_STOPWORDS = set(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "for",
        "with",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "what",
        "whats",
        "what's",
        "s",
        "why",
        "how",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "we",
        "you",
        "i",
        "they",
        "them",
        "their",
        "our",
        "your",
        "between",
        "difference",
        "differences",
        "different",
        "differ",
        "differs",
        "vs",
        "versus",
        "compare",
        "comparison",
        "contrast",
        "explain",
        "describe",
        "define",
        "discuss",
        "summarize",
        "summarise",
        "outline",
        "give",
        "name",
        "list",
        "walk",
        "through",
        "main",
        "key",
        "use",
        "used",
        "using",
        "uses",
        "there",
        "other",
        "ways",
        "way",
        "about",
        "vs.",
        "some",
        "any",
        "more",
        "most",
        "than",
        "table",
        "overview",
        "summary",
        "introduction",
        "intro",
        "notes",
    ]
)
_DEFINITION = re.compile(r"\b(?P<long>[A-Za-z][\w-]*(?:\s+[\w-]+){1,6}?)\s*\((?P<short>[A-Z][A-Za-z0-9-]{1,9})\)")
_REVERSE = re.compile(r"\b(?P<short>[A-Z][A-Za-z0-9-]{1,9})\s*\((?P<long>[A-Za-z][\w-]*(?:\s+[\w-]+){1,6}?)\)")
_SMALL = {"of", "from", "with", "the", "and", "for", "to", "in", "on", "a", "an"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


_WORDS_BEFORE = re.compile(r"\s*(?:[\w-]+\s+){0,6}[\w-]*")
"""Read backwards from a bracket: the seven words a _DEFINITION match may hold before it."""
_SPACE = re.compile(r"\s*")
_ACRONYM_IN_BRACKETS = re.compile(r"[A-Z][A-Za-z0-9-]{1,9}\)")
"""What a _DEFINITION match holds after its bracket."""
_LONG_IN_BRACKETS = re.compile(r"[A-Za-z][\w-]*(?:\s+[\w-]+){1,6}?\)")
"""What a _REVERSE match holds after its bracket."""


def _definitions(text: str) -> Iterator[re.Match]:
    """`_DEFINITION.finditer(text)`, tried only within the seven words before each "(" and the
    acronym after it (a match holds no other bracket), so linear in the text."""
    pos = 0
    while (bracket := text.find("(", pos)) >= 0:
        if not _ACRONYM_IN_BRACKETS.match(text, bracket + 1):  # no match holds this bracket
            pos = bracket + 1
            continue
        words = _WORDS_BEFORE.match(text[pos:bracket][::-1])
        match = _DEFINITION.search(text, bracket - (words.end() if words else 0), bracket + 12)
        pos = match.end() if match else bracket + 1
        if match:
            yield match


def _reverse_definitions(text: str) -> Iterator[re.Match]:
    """`_REVERSE.finditer(text)`, tried only from the acronym before each "(" to the first ")"
    after it (a match holds no other bracket), so linear in the text."""
    pos = 0
    while (bracket := text.find("(", pos)) >= 0:
        close = text.find(")", bracket)
        if close < 0:
            return
        if not _LONG_IN_BRACKETS.match(text, bracket + 1):  # no match holds this bracket
            pos = bracket + 1
            continue
        space = _SPACE.match(text[pos:bracket][::-1])
        start = max(pos, bracket - (space.end() if space else 0) - 10)
        match = _REVERSE.search(text, start, close + 1)
        pos = match.end() if match else bracket + 1
        if match:
            yield match


def learn_acronyms(texts: list[str]) -> dict[str, str]:
    """Long form → acronym, from "Long Form (LF)" and "LF (Long Form)" in the notes, plus common ones."""
    found = dict(KNOWN_ACRONYMS)
    for text in texts:
        for finditer in (_definitions, _reverse_definitions):
            for match in finditer(text):
                long_words = _words(match.group("long"))
                short = "".join(_words(match.group("short")))
                # Keep only the trailing words whose initials spell the acronym.
                for start in range(len(long_words)):
                    initials = "".join(w[0] for w in long_words[start:] if w not in _SMALL)
                    if initials == short and len(long_words) - start >= 2:
                        found[" ".join(long_words[start:])] = short
                        break
    return found


def normalize(text: str, acronyms: dict[str, str]) -> str:
    return Normalizer(acronyms)(text)


class Normalizer:
    """`normalize` for many texts: lower case, words only, each long form of `acronyms` replaced by
    its acronym, longest first (so a replacement may complete a longer name: "quantized low rank
    adaptation" → "quantized lora" → "qlora"). The patterns are compiled once, and a text tries
    only the long forms whose first word it holds (or a replacement gave it)."""

    def __init__(self, acronyms: dict[str, str]) -> None:
        order = sorted(acronyms, key=len, reverse=True)
        self.longs = order
        self.patterns = [re.compile(rf"\b{re.escape(long)}\b") for long in order]
        self.shorts = [acronyms[long] for long in order]
        self.starting: dict[str, list[int]] = defaultdict(list)
        """A word → the long forms (their places in `order`) that begin with it."""
        for place, long in enumerate(order):
            self.starting[long.split(" ", 1)[0]].append(place)

    def __call__(self, text: str) -> str:
        text = " ".join(_words(unicodedata.normalize("NFKC", text).lower()))
        waiting = sorted({place for word in set(text.split()) for place in self.starting.get(word, ())})
        done = -1
        while waiting:
            place = heapq.heappop(waiting)
            if place <= done:
                continue
            done = place
            if self.longs[place] not in text:  # most are not: a substring test is cheaper than a pattern
                continue
            replaced = self.patterns[place].sub(self.shorts[place], text)
            if replaced != text:
                text = replaced
                for later in self.starting.get(self.shorts[place], ()):
                    if later > place:
                        heapq.heappush(waiting, later)
        return text


def subject(text: str, acronyms: dict[str, str] | Normalizer) -> frozenset[str]:
    """The words of a question that say what it is about."""
    normalized = acronyms(text) if isinstance(acronyms, Normalizer) else normalize(text, acronyms)
    return frozenset(w for w in normalized.split() if w not in _STOPWORDS and not w.isdigit())


GENERATED_KINDS = ("table-row", "table-cell")
"""Cards made from a table's rows and cells: not questions the author asked, so never duplicates."""


def near_duplicate_groups(cards: list[Flashcard]) -> list[list[Flashcard]]:
    """Groups of cards whose questions are near duplicates (see `similar`), never comparing every
    pair: cards with the same subject words are one group at once, and only pairs an index says may
    be similar are compared (`_candidates`)."""
    cards = [card for card in cards if card.kind not in GENERATED_KINDS]
    normalizer = Normalizer(learn_acronyms([c.question for c in cards] + [c.answer_md for c in cards]))
    holders: dict[frozenset[str], list[int]] = {}
    for index, card in enumerate(cards):
        words = subject(card.question, normalizer)
        if words:  # a question with no subject words is nobody's duplicate
            holders.setdefault(words, []).append(index)
    parent = list(range(len(cards)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(first: frozenset[str], second: frozenset[str]) -> None:
        parent[find(holders[first][0])] = find(holders[second][0])

    for members in holders.values():  # the same subject words: similar (ratio 100)
        for index in members[1:]:
            parent[find(index)] = find(members[0])
    answers: dict[int, set[str]] = {}

    def answer(index: int) -> set[str]:
        if index not in answers:
            answers[index] = set(normalizer(cards[index].answer_md).split())
        return answers[index]

    for (first, first_text), (second, second_text) in _candidates(list(holders)):
        # Distinct subjects of two words or more: as `similar`, whose other cases follow below. The
        # texts hold their words sorted already, so token_sort_ratio is their plain ratio.
        if fuzz.ratio(first_text, second_text, score_cutoff=THRESHOLD):
            join(first, second)
    for large in holders:
        if len(large) >= 3:  # "Chinchilla scaling" and "Chinchilla scaling laws"
            for word in large:
                if large - {word} in holders:
                    join(large - {word}, large)
        elif len(large) == 2:  # "X" covers "X vs Y" when one of X's answers discusses Y
            for word in large:
                small = frozenset({word})
                if small in holders and any((large - small) <= answer(index) for index in holders[small]):
                    join(small, large)
    groups: dict[int, list[Flashcard]] = {}
    for index, card in enumerate(cards):
        groups.setdefault(find(index), []).append(card)
    found = [sorted(g, key=lambda c: (c.location.path, c.location.line)) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: (g[0].location.path, g[0].location.line))


Subject = tuple[frozenset[str], str]
"""Subject words, and the same words sorted and joined by spaces."""


def _candidates(subjects: list[frozenset[str]]) -> Iterator[tuple[Subject, Subject]]:
    """Pairs of distinct subjects of two words or more that may reach THRESHOLD, by a q-gram
    index: a token_sort_ratio of at least 90 means an edit distance e <= 0.1 (l1 + l2) between the
    sorted words, and strings that close share at least max(l1, l2) - 1 - 2e letter pairs (the
    q-gram lemma, q = 2); so for a string of length l at least 0.6 l - 2 of them, and two such
    strings share one of their rarest 0.4 l + 2 pairs (prefix filtering). Strings too short for the
    bound are compared with every string of a length that could match."""
    texts = sorted({" ".join(sorted(words)): words for words in subjects if len(words) >= 2}.items())
    grams = [_letter_pairs(text) for text, _ in texts]
    frequency: dict[tuple[str, int], int] = defaultdict(int)
    for pairs in grams:
        for pair in pairs:
            frequency[pair] += 1
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    short: list[int] = []
    for position, ((text, words), pairs) in enumerate(zip(texts, grams)):
        need = math.ceil(0.6 * len(text) - 2)
        seen: set[int] = set()
        if need < 1:
            seen.update(range(position))  # no bound: every earlier string may match
            short.append(position)
        else:
            seen.update(short)
            rarest = sorted(pairs, key=lambda pair: (frequency[pair], pair))[: len(pairs) - need + 1]
            for pair in rarest:
                seen.update(index[pair])
                index[pair].append(position)
        for other in sorted(seen):
            length, other_length = len(text), len(texts[other][0])
            if 2 * min(length, other_length) >= 0.89 * (length + other_length):  # else the ratio is < 90
                yield (texts[other][1], texts[other][0]), (words, text)


def _letter_pairs(text: str) -> list[tuple[str, int]]:
    """The string's letter pairs, each numbered by its occurrence (a multiset as a set)."""
    counts: dict[str, int] = defaultdict(int)
    pairs = []
    for start in range(len(text) - 1):
        pair = text[start : start + 2]
        pairs.append((pair, counts[pair]))
        counts[pair] += 1
    return pairs


def similar(a: frozenset[str], b: frozenset[str], answer_a: set[str], answer_b: set[str]) -> bool:
    """Whether two cards, by their subject words and answer words, are near duplicates: the
    definition `near_duplicate_groups` follows (tests compare it with every pair)."""
    if not a or not b:
        return False
    if (len(a) >= 2 and len(b) >= 2) or a == b:
        if fuzz.token_sort_ratio(" ".join(sorted(a)), " ".join(sorted(b))) >= THRESHOLD:
            return True
    small, large, answer = (a, b, answer_a) if len(a) < len(b) else (b, a, answer_b)
    if not small < large:
        return False
    if len(small) >= 2 and len(large - small) == 1:
        return True  # "Chinchilla scaling" and "Chinchilla scaling laws"
    # "X" (a topic) covers "X vs Y" when X's own answer already discusses Y.
    return len(small) == 1 and len(large) == 2 and (large - small) <= answer
