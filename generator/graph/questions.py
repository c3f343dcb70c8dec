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
    return subject if plausible_term(re.sub(r"\s*\([^)]*\)$", "", subject)) else ""


def question_target(question: str) -> str:
    """'What's the Bradley-Terry model for reward modeling?' → 'reward modeling' (which uses the subject)."""
    match = _WHAT_IS.match(clean(strip_markup(question)))
    return (match.group(2) or "").strip() if match and not _COMPARISON.search(question) else ""


def compared_parts(question: str) -> list[str]:
    """What a comparison question compares, as written, names or not: 'Generative vs discriminative'
    → ['Generative', 'discriminative'] (see ConceptIndex.compared for the names they stand for)."""
    text = clean(strip_markup(question)).rstrip("?.")
    text = re.sub(r"\s*\((?:high-level|[^)]*side)\)", "", text, flags=re.I)
    # "A Comparison Between General Attention vs. Self-Attention": the comparison is the wording.
    text = re.sub(
        r"^(?:an?\s+|the\s+)?comparisons?\s+(?:between|of)\s+(?=.+\b(?:vs\.?|versus)\s)", "", text, flags=re.I
    )
    found = (
        re.search(r"difference between (?:an? |the )?(.+)$", text, re.I)
        or re.search(r"^how (?:do|does) (.+) differ", text, re.I)
        or re.search(r"^compare (.+)$", text, re.I)
        or re.search(
            rf"^(?:what is |what's |when to use |why use |{_CHOOSING})?(.+\b(?:vs\.?|versus|over)\b.+)$", text, re.I
        )
    )
    if not found:
        return []
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?:an?\s+|the\s+)?|\s+(?:vs\.?|versus|over)\s+", found.group(1))
    terms = [clean(re.sub(r"^(?:an?|the)\s+", "", p, flags=re.I)) for p in parts]
    # "pointwise, pairwise and listwise ranking": the last item's head noun is every item's.
    if len(terms) > 1 and len(terms[-1].split()) > 1:
        head = terms[-1].split()[-1]
        terms = [f"{t} {head}" if " " not in t and t.islower() else t for t in terms[:-1]] + terms[-1:]
    return [t for t in terms if t]
