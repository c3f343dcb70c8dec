"""Near-duplicate questions: the same question asked in several places, worded differently. `deckgraph check`
reports the groups; `build --merge-duplicates` merges them.

Questions are reduced to their subject words: lower case, acronyms collapsed ("Direct Preference
Optimization (DPO)" and "DPO" read the same), question words and filler dropped. Two cards are near
duplicates when those words match (rapidfuzz token_sort_ratio), or when one card is about a single
subject X, the other asks about X and one more thing Y, and X's answer already discusses Y.
"""

from __future__ import annotations

import re
import unicodedata

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


def learn_acronyms(texts: list[str]) -> dict[str, str]:
    """Long form → acronym, from "Long Form (LF)" and "LF (Long Form)" in the notes, plus common ones."""
    found = dict(KNOWN_ACRONYMS)
    for text in texts:
        for pattern in (_DEFINITION, _REVERSE):
            for match in pattern.finditer(text):
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
    text = unicodedata.normalize("NFKC", text).lower()
    text = " ".join(_words(text))
    for long in sorted(acronyms, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(long)}\b", acronyms[long], text)
    return text


def subject(text: str, acronyms: dict[str, str]) -> frozenset[str]:
    """The words of a question that say what it is about."""
    return frozenset(w for w in normalize(text, acronyms).split() if w not in _STOPWORDS and not w.isdigit())


GENERATED_KINDS = ("table-row", "table-cell")
"""Cards made from a table's rows and cells: not questions the author asked, so never duplicates."""


def near_duplicate_groups(cards: list[Flashcard]) -> list[list[Flashcard]]:
    cards = [card for card in cards if card.kind not in GENERATED_KINDS]
    acronyms = learn_acronyms([c.question for c in cards] + [c.answer_md for c in cards])
    subjects = [subject(card.question, acronyms) for card in cards]
    answers = [set(normalize(card.answer_md, acronyms).split()) for card in cards]
    parent = list(range(len(cards)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(cards)):
        for j in range(i + 1, len(cards)):
            if _similar(subjects[i], subjects[j], answers[i], answers[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[Flashcard]] = {}
    for index, card in enumerate(cards):
        groups.setdefault(find(index), []).append(card)
    found = [sorted(g, key=lambda c: (c.location.path, c.location.line)) for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: (g[0].location.path, g[0].location.line))


def _similar(a: frozenset[str], b: frozenset[str], answer_a: set[str], answer_b: set[str]) -> bool:
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
