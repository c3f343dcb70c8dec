"""Names of concepts: one key for all spellings, acronym checks, what makes a plausible term."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from wordfreq import zipf_frequency

from generator.graph.locate import SPACES

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
SEPARATOR = f"[\\s{DASHES}]"
_SEPARATOR_RUN = re.compile(f"{SEPARATOR}+")
_WORD_BREAK = re.compile(f"{SEPARATOR}+|/")
_NOT_IN_KEY = re.compile(r"[^\w+#@]")
_LINK_WORDS = {"of", "from", "with", "for", "the", "and", "to", "a", "an", "in", "on", "by", "+", "&"}


@lru_cache(maxsize=1 << 16)
def clean(surface: str) -> str:
    """Tidy a name as written: NFKC, curly quotes straight, inner whitespace single."""
    text = unicodedata.normalize("NFKC", surface).replace("\u2019", "'")
    return SPACES.sub(" ", text).strip(" \t*_`'\".,:;")


@lru_cache(maxsize=1 << 18)  # the same spellings, and spans of text tried as names, again and again
def key(surface: str) -> str:
    """One key for every spelling: 'Bradley–Terry' = 'bradley-terry', 'pre training' = 'pretraining',
    'Reinforcement Learning with Human Feedback' = '… from …', 'reward models' = 'reward model'."""
    words = _SEPARATOR_RUN.split(clean(surface).lower())
    words = ["from" if word == "with" else cyrillic_stem(word) for word in words if word]
    if words and len(words[-1]) > 4 and words[-1].endswith("ies"):
        words[-1] = words[-1][:-3] + "y"  # "probabilities" = "probability"
    elif words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is")):
        words[-1] = words[-1][:-1]
    return _NOT_IN_KEY.sub("", "".join(words))


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_CYRILLIC_ENDING = re.compile(
    r"(?:ыми|ими|ами|ями|ого|его|ому|ему|ая|яя|ое|ее|ые|ие|ый|ий|ой|ей|ых|их|ым|им|ую|юю|ов|ев|ам|ям|ах|ях"
    r"|ом|ем|ии|ию|ия|ье|ья|ью|а|я|ы|и|у|ю|е|о|ь|й)$"
)
_CYRILLIC_STEM = 3
"""Letters a stem keeps at least: a short word ("на", "для", "нет") is no inflected form."""


def cyrillic_stem(word: str) -> str:
    """A Russian word without its case or number ending: names inflect in a sentence ("центроид",
    "к ближайшему центроиду", "ковариационной матрицы" for "ковариационная матрица"), so every word
    of a key is cut to its stem. Words in other scripts are returned as they are."""
    if word.isascii() or not _CYRILLIC_WORD.fullmatch(word):
        return word
    ending = _CYRILLIC_ENDING.search(word)
    if ending and ending.start() >= _CYRILLIC_STEM:
        return word[: ending.start()]
    return word


EVERYDAY_ZIPF = 4.0
"""A word at least this frequent in everyday English (wordfreq's Zipf scale: 4 = ten per million
words: 'search', 'event', 'recall') says little as a mention on its own."""


EVERYDAY_LANGUAGES = ("en", "fr", "es", "pt", "de")
"""Languages written with spaces that wordfreq knows without a segmenter."""


@lru_cache(maxsize=1 << 14)
def everyday(word: str) -> bool:
    """An everyday English word (the vocabulary's names are English; 'transformer' is a French verb).
    Only a word of letters: wordfreq reads 'recall@k', 'pass@1' or 'R²' as the words in them."""
    return word.replace("'", "").isalpha() and zipf_frequency(word.lower(), "en") >= EVERYDAY_ZIPF


@lru_cache(maxsize=1 << 14)
def word_zipf(word: str) -> float:
    """How common a word is in the everyday language where it is most common (Zipf scale)."""
    if is_cjk(word):
        return 0.0
    return max(zipf_frequency(word.lower(), language) for language in EVERYDAY_LANGUAGES)


def is_acronym(word: str) -> bool:
    """'LoRA', 'RLHF', 'vLLM', 'MT-DNN': at least two capitals and no spaces."""
    return " " not in word and sum(char.isupper() for char in word) >= 2


def spells(short: str, long: str) -> bool:
    """Whether `long` is an expansion of the acronym `short`: 'Low-Rank Adaptation' spells 'LoRA',
    'Reinforcement Learning from AI Feedback' spells 'RLAIF', 'Quantized LoRA' spells 'QLoRA'."""
    words = [w for w in _WORD_BREAK.split(long) if w]
    if not words or words[0].lower() in _LINK_WORDS or (len(words) < 2 and not is_acronym(words[0])):
        return False
    capitals = [c.lower() for i, c in enumerate(short) if c.isupper() or (i == 0 and c.isalpha())]
    letters = [c.lower() for c in short if c.isalpha()]
    return any(_match(seq, words) for seq in {tuple(capitals), tuple(letters)} if len(seq) >= 2)


def _match(letters: tuple[str, ...], words: list[str]) -> bool:
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    options: list[tuple[str, ...]] = []
    if word[:1].isalpha():
        options.append((word[0].lower(),))
    if is_acronym(word):
        options.append(tuple(c.lower() for c in word if c.isupper()))
    if any(_match(letters[len(o) :], rest) for o in options if letters[: len(o)] == o):
        return True
    return (word.lower() in _LINK_WORDS or not word[:1].isalnum()) and _match(letters, rest)


def surface_regex(surfaces: Iterable[str]) -> re.Pattern | None:
    """One regex finding any of the surfaces as whole words, loose about dashes and spaces; longest first."""
    parts = sorted({_surface_pattern(s) for s in surfaces if s.strip()}, key=lambda p: (-len(p), p))
    if not parts:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


def _surface_pattern(surface: str) -> str:
    words = [w for w in _SEPARATOR_RUN.split(clean(surface)) if w]
    pieces = []
    for word in words:
        if word.lower() in ("with", "from"):
            pieces.append("(?:[Ww]ith|[Ff]rom)")
        elif len(words) == 1 and (is_acronym(word) or (len(word) <= 5 and word[:1].isupper())):
            # A lone acronym or short name is exact ("DPO", "Adam"); inside a longer name, any case.
            pieces.append(re.escape(word))
        else:
            pieces.append(_any_case(re.escape(word)))
    plural = "" if is_acronym(words[-1]) and len(words) == 1 else "(?:e?s)?"
    return f"{SEPARATOR}?".join(pieces) + plural


def _any_case(escaped: str) -> str:
    """Case-insensitive letters, spelled out so the other parts of the big regex keep their case."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() and c.lower() != c.upper() else c for c in escaped)


STOP_TERMS = {
    "used for",
    "key principles",
    "best practices",
    "next steps",
    "further reading",
    "resources",
    "references",
    "in short",
    "examples",
    "example",
    "key insight",
    "key finding",
    "result",
    "results",
    "purpose",
    "effect",
    "description",
    "techniques",
    "process",
    "method",
    "solution",
    "solutions",
    "summary",
    "note",
    "notes",
    "advantages",
    "disadvantages",
    "benefits",
    "trade-off",
    "tradeoff",
    "why",
    "how",
    "when",
    "data",
    "objective",
    "output",
    "input",
    "training",
    "model",
    "models",
    "approach",
    "idea",
    "analogy",
    "answer",
    "question",
    "interpretation",
    "evidence",
    "practical impact",
    "implication",
    "alternative",
    "challenge",
    "typical",
    "total",
    "finding",
    "use cases",
    "key features",
    "comparison",
    "overview",
    "introduction",
}
_STOP_FIRST = {
    "other",
    "some",
    "main",
    "common",
    "key",
    "best",
    "different",
    "difference",
    "these",
    "this",
    "that",
    "it",
    "which",
    "why",
    "how",
    "one",
    "two",
    "three",
    "four",
    "five",
    "three-stage",
    "new",
    "more",
    "many",
    "most",
    "each",
    "all",
    "stage",
    "step",
    "part",
    "use",
    "when",
}
_GENERIC = {
    "trends",
    "tricks",
    "ways",
    "methods",
    "techniques",
    "examples",
    "advantages",
    "benefits",
    "points",
    "table",
    "questions",
    "stages",
    "steps",
    "pipeline",
    "things",
    "options",
    "types",
}


_ACTIVITY = re.compile(r"\w+ing\s+(?:the|an?|your|our|my|this|these|those|each|every|its|their)\b")
"""A gerund and its object ("Making the filter", "Choosing a threshold"): something to do, not a name."""
_PROPERTY = re.compile(r"\w+(?:ity|ness)\s+(?:in|to|across|between|under|with)\b")
"""A property of something ("Linearity in log-odds", "Robustness to noise"): a statement, not a name."""
_HEADING_HEADS = {
    *("description", "overview", "summary", "details", "explanation", "introduction", "basics", "intuition"),
    *("motivation", "implementation", "example", "examples", "notes", "tips", "setup", "usage", "recap"),
}
"""Head nouns of headings about a thing rather than names of one ("Algorithm description")."""
_ADJECTIVE = re.compile(r"(?:ive|ic|ical|ous|able|ible|ful|less|ary)$")


_CJK_RUN = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}"
_CONJOINED = re.compile(
    r"\s(?:and|or|und|oder|et|ou|y|e|o|и|или|và|hoặc)\s"
    rf"|{_CJK_RUN}(?:和|与|與|及|以及|或|跟|と|や){_CJK_RUN}|分别|分別|それぞれ",
    re.I,
)
"""Two names joined by a conjunction (English, the languages with spaces, Chinese and Japanese)."""


def plausible_term(term: str, max_words: int = 4, joined: bool = False) -> bool:
    """Would a person call this a concept? Short, made of words, not a stock phrase of study notes,
    not two names joined by 'and'. (An acronym's expansion may run longer, `max_words`, and join its
    words, `joined`: "Extract, Transform and Load".)"""
    words = term.split()
    if not words or len(words) > max_words or len(term) > 10 * max_words or len(term) < 2:
        return False
    if not re.fullmatch(r"[\w\s'\-\u2010-\u2014./+]+", term) or term[0].isdigit():
        return False
    if not joined and _CONJOINED.search(term):
        return False  # "bias and variance", "偏差和方差分别": two things asked about at once, not a name
    lowered = term.lower()
    if len(words) == 1 and term.islower() and term.endswith("ing"):
        return False  # "What is doing in …": a verb, not a name (known ones come from the registry)
    if len(words) == 1 and not is_acronym(term) and (_ADJECTIVE.search(lowered) or word_zipf(lowered) >= 4.5):
        return False  # "Generative", "Parametric", "hard", "Tank": an adjective or an everyday word alone
    if words[-1].lower() in _LINK_WORDS or re.match(r"(?:role|use|uses|types?|kinds?|importance) of\b", lowered):
        return False  # "perplexity used for", "role of layer normalization": a phrase, not a name
    if _ACTIVITY.match(lowered) or _PROPERTY.match(lowered) or words[-1].lower() in _HEADING_HEADS:
        return False  # "Making the filter", "Linearity in log-odds", "Algorithm description": headings
    return (
        lowered not in STOP_TERMS
        and words[0].lower() not in _STOP_FIRST
        and not _GENERIC & {w.lower() for w in words}
        and not re.search(r"\d+[kmbt]?\b", lowered)
    )


CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
_CJK_CHAR = re.compile(f"[{CJK}]")


def is_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))
