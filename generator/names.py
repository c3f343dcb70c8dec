"""Names of concepts: one key for all spellings, acronym checks, and a matcher for mentions in text."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_SEPARATOR = f"[\\s{DASHES}]"
_LINK_WORDS = {"of", "from", "with", "for", "the", "and", "to", "a", "an", "in", "on", "by", "+", "&"}


def clean(surface: str) -> str:
    """Tidy a name as written: NFKC, curly quotes straight, inner whitespace single."""
    text = unicodedata.normalize("NFKC", surface).replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip(" \t*_`'\".,:;")


def key(surface: str) -> str:
    """One key for every spelling: 'Bradley–Terry' = 'bradley-terry', 'pre training' = 'pretraining',
    'Reinforcement Learning with Human Feedback' = '… from …', 'reward models' = 'reward model'."""
    words = re.split(f"{_SEPARATOR}+", clean(surface).lower())
    words = ["from" if word == "with" else word for word in words if word]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is")):
        words[-1] = words[-1][:-1]
    return re.sub(r"[^\w]", "", "".join(words))


def is_acronym(word: str) -> bool:
    """'LoRA', 'RLHF', 'vLLM', 'MT-DNN': at least two capitals and no spaces."""
    return " " not in word and sum(char.isupper() for char in word) >= 2


def spells(short: str, long: str) -> bool:
    """Whether `long` is an expansion of the acronym `short`: 'Low-Rank Adaptation' spells 'LoRA',
    'Reinforcement Learning from AI Feedback' spells 'RLAIF', 'Quantized LoRA' spells 'QLoRA'."""
    words = [w for w in re.split(f"{_SEPARATOR}+|/", long) if w]
    if not words or words[0].lower() in _LINK_WORDS or len(words) < 2 and not is_acronym(words[0]):
        return False
    capitals = [c.lower() for i, c in enumerate(short) if c.isupper() or (i == 0 and c.isalpha())]
    letters = [c.lower() for c in short if c.isalpha()]
    return any(_match(seq, words) for seq in {tuple(capitals), tuple(letters)} if len(seq) >= 2)


def _match(letters: tuple[str, ...], words: list[str]) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    options = []
    if word[:1].isalpha():
        options.append((word[0].lower(),))
    if is_acronym(word):
        options.append(tuple(c.lower() for c in word if c.isupper()))
    if any(_match(letters[len(o):], rest) for o in options if letters[:len(o)] == o):
        return True
    return (word.lower() in _LINK_WORDS or not word[:1].isalnum()) and _match(letters, rest)


def surface_regex(surfaces: Iterable[str]) -> re.Pattern | None:
    """One regex finding any of the surfaces as whole words, loose about dashes and spaces; longest first."""
    parts = sorted({_surface_pattern(s) for s in surfaces if s.strip()}, key=lambda p: (-len(p), p))
    if not parts:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


def _surface_pattern(surface: str) -> str:
    words = [w for w in re.split(f"{_SEPARATOR}+", clean(surface)) if w]
    pieces = []
    for word in words:
        if word.lower() in ("with", "from"):
            pieces.append("(?:[Ww]ith|[Ff]rom)")
        elif len(words) == 1 and (is_acronym(word) or len(word) <= 5 and word[:1].isupper()):
            # A lone acronym or short name is exact ("DPO", "Adam"); inside a longer name, any case.
            pieces.append(re.escape(word))
        else:
            pieces.append(_any_case(re.escape(word)))
    plural = "" if is_acronym(words[-1]) and len(words) == 1 else "(?:e?s)?"
    return f"{_SEPARATOR}?".join(pieces) + plural


def _any_case(escaped: str) -> str:
    """Case-insensitive letters, spelled out so the other parts of the big regex keep their case."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() and c.lower() != c.upper() else c for c in escaped)
