"""What a question asks about: 'What is X?' has a subject, 'X vs Y' a pair to contrast."""

from __future__ import annotations

import re

from generator.graph.locate import strip_markup
from generator.graph.names import clean, plausible_term
from generator.graph.patterns import what_is

_WHAT_IS = re.compile(
    r"^(?:what\s+is|what's|whats|what\s+are)\s+(?:the\s+|a\s+|an\s+)?(.+?)"
    r"(?:\s*\?|\s*,|\s+and\s+(?:why|how|what|when|at|where)\b|\s+(?:for|in)\s+(.+?)\?|$)",
    re.I,
)
_EXPLAIN = re.compile(r"^(?:explain|define|describe)\s+(?:the\s+)?([^:?.]+?)\s*(?:[:?.]|$)", re.I)
_COMPARISON = re.compile(
    r"\bvs\.?\b|\bversus\b|\bdifference\b|\bdiffer\b|^compare\b|\bcompared\b"
    r"|区别|區別|差异|差異|違い|차이|khác biệt|phân biệt|différence|diferencia|diferença|unterschied|разница|отличи",
    re.I,
)
_TRAILING = re.compile(r"\s+(?:originally|exactly|really|actually|in practice|in detail)$", re.I)


_CHOOSING = r"(?:when|why|where) (?:should|would|do|does|to|might|could) (?:you |we |one |i )?(?:prefer|choose|pick) "
"""'When should you prefer X over Y?', 'Why would you choose X over Y?': the choice's words, before X."""


def clean_question(question: str) -> str:
    return clean(strip_markup(question))


def question_subject(question: str) -> str:
    """'What is gradient clipping, and why …?' → 'gradient clipping'; comparisons have none."""
    question = clean(strip_markup(question))
    if _COMPARISON.search(question):
        return ""
    match = _WHAT_IS.match(question) or _EXPLAIN.match(question)
    subject = _TRAILING.sub("", match.group(1).strip()) if match else what_is(question)
    if not subject:
        return ""
    return subject if plausible_term(FINAL_BRACKET.sub("", subject)) else ""


def question_target(question: str) -> str:
    """'What's the Bradley-Terry model for reward modeling?' → 'reward modeling' (which uses the subject)."""
    match = _WHAT_IS.match(clean(strip_markup(question)))
    return (match.group(2) or "").strip() if match and not _COMPARISON.search(question) else ""


_COMPARING_WORDS = ("differ", "compar", "vs", "versus", "over")
"""One of these is in every question the patterns below read as a comparison."""
FINAL_BRACKET = re.compile(r"\s*\([^)]*\)$")
"""A bracket that ends a name: "gradient clipping (GC)" is the term "gradient clipping"."""
_SIDE_NOTE = re.compile(r"\s*\((?:high-level|[^)]*side)\)", re.I)
_COMPARISON_OPENING = re.compile(r"^(?:an?\s+|the\s+)?comparisons?\s+(?:between|of)\s+(?=.+\b(?:vs\.?|versus)\s)", re.I)
_DIFFERENCE_BETWEEN = re.compile(r"difference between (?:an? |the )?(.+)$", re.I)
_HOW_DIFFER = re.compile(r"^how (?:do|does) (.+) differ", re.I)
_COMPARE = re.compile(r"^compare (.+)$", re.I)
_VERSUS = re.compile(rf"^(?:what is |what's |when to use |why use |{_CHOOSING})?(.+\b(?:vs\.?|versus|over)\b.+)$", re.I)
_COMPARED_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+(?:an?\s+|the\s+)?|\s+(?:vs\.?|versus|over)\s+")
ARTICLE = re.compile(r"^(?:an?|the)\s+", re.I)


def compared_parts(question: str) -> list[str]:
    """What a comparison question compares, as written, names or not: 'Generative vs discriminative'
    → ['Generative', 'discriminative'] (see ConceptIndex.compared for the names they stand for)."""
    text = clean(strip_markup(question)).rstrip("?.")
    # Most questions compare nothing: five searches saved. (ASCII only: re.I reads "ſ" as "s".)
    if text.isascii() and not any(word in text.lower() for word in _COMPARING_WORDS):
        return []
    text = _SIDE_NOTE.sub("", text)
    # "A Comparison Between General Attention vs. Self-Attention": the comparison is the wording.
    text = _COMPARISON_OPENING.sub("", text)
    found = (
        _DIFFERENCE_BETWEEN.search(text) or _HOW_DIFFER.search(text) or _COMPARE.search(text) or _VERSUS.search(text)
    )
    if not found:
        return []
    parts = _COMPARED_SEPARATOR.split(found.group(1))
    terms = [clean(ARTICLE.sub("", p)) for p in parts]
    # "pointwise, pairwise and listwise ranking": the last item's head noun is every item's.
    if len(terms) > 1 and len(terms[-1].split()) > 1:
        head = terms[-1].split()[-1]
        terms = [f"{t} {head}" if " " not in t and t.islower() else t for t in terms[:-1]] + terms[-1:]
    return [t for t in terms if t]
