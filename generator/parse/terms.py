"""Defined terms: the glossary shapes of notes, in any language.

`**Recall**: the share of …` (a colon or dash outside the bold), a run-in head (`**Alignment.** Core
to …`), the subject of a defining sentence (`**X** is …`, `A **Y** is …`, `**Z**是…`), and, in a list
under a heading that names a group, a plain `Name: definition`. Labels of an answer's parts
(`**Formula:**`, `**Note**: …`), counts (`**True positives**: 2`) and meta labels are not terms.
"""

from __future__ import annotations

import re

from generator.parse.words import A_MARKER, Q_MARKER, is_meta_title

_TERM_LEAD = re.compile(
    r"^\s*(?P<article>(?:an?|the|la|le|les|el|los|las|der|die|das|un|une|una|o|os|as)\s+)?(\*\*|__)"
    r"(?P<t>(?:(?!\2).)+?)\2"
    r"(?:(?P<colon>\s*[:：]|\s+[—–-]+)|(?P<stop>\s*[.。](?=\s))|(?<=[.。]\*\*)(?P<runin>)|(?<=[.。]__)(?P<runin2>)"
    r"|\s+(?=(?:is|are|was|were|means|refers|describes|denotes|represents"
    r"|defines|ist|sind|es|son|est|sont|é|são|является|это|là)\b)(?P<verb>)|(?=(?:是|指|即|は|とは|란|이란))(?P<verb2>))"
    r"(?P<rest>.*)$",
    re.S | re.I,
)
_LABEL_TERMS = re.compile(
    r"^(?:notes?|nb|n\.b|tips?|hint|warning|caution|important|example|examples|e\.g|i\.e|remember|update|edit|source"
    r"|disclaimer|tl;?dr|attention|answer|question|definition|use cases?|formula|summary|key points?|pros|cons|"
    r"注意|注|例|例如|备注|備註|提示|참고|주의|예|예시|remarque|nota|achtung|hinweis|beispiel|ejemplo|exemple|пример|"
    r"примечание|ví dụ|lưu ý|chú ý)$",
    re.I,
)


def split_term(source: str) -> tuple[str, str, str] | None:
    """'**Recall**: the share of …' → ('Recall', 'the share of …', 'colon'): a term and its definition.

    Styles: 'colon' (a colon or dash outside the bold), 'runin' (a run-in head ending in a full stop,
    '**Alignment.** Core to …', a sub-heading written inline), 'verb' (the subject of a defining
    sentence, '**X** is …', 'A **Y** is …', '**Z**是…': the whole sentence is the definition).
    A colon inside the bold ('**Formula:**') labels a part of an answer and is no term.
    """
    match = _TERM_LEAD.match(source)
    if not match:
        return None
    term, rest = match.group("t").strip(), match.group("rest").strip()
    if match.group("colon") is not None:
        style = "colon"
    elif match.group("verb") is not None or match.group("verb2") is not None:
        style, rest = "verb", source.strip()
    else:
        style = "runin"
    if match.group("article") and style != "verb":
        return None
    if not term or term.endswith((":", "：", "?", "？")) or _LABEL_TERMS.match(term.strip(" .")):
        return None
    if is_meta_title(term):
        return None  # '**How to use**: …' tells how to read the notes
    if len(term.split()) > 10 or "\n" in term or "](" in term or re.search(r"[$=\\]", term):
        return None
    words = re.findall(r"\w+", match.group("rest"))
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", match.group("rest")))
    if len(words) < 3 and cjk < 4:
        return None
    if style == "colon" and re.match(r"^[\d$€£¥%+\-−.,]", rest):
        return None  # '**True positives**: 2 (rows 4 and 5)': a count, not a definition
    if style == "runin":
        term = term.rstrip(".。")
        if not (term[:1].isupper() or re.match(r"[^\x00-\x7f]", term)):
            return None
    return term, rest, style


_PLAIN_TERM = re.compile(r"^(?P<t>[^\W\d_][^:：.!?。？！;,，\n]{0,60}?)\s*[:：]\s+(?P<rest>\S.*)$", re.S)


def split_plain_term(lead: str) -> tuple[str, str] | None:
    """'Bounce Rate: the share of visits …' in a list under a heading that names a group: a glossary
    written without bold. The term is a short name (a capital, at most five words), not a label."""
    match = _PLAIN_TERM.match(lead.strip())
    if not match:
        return None
    term, rest = match.group("t").strip(), match.group("rest").strip()
    if len(term.split()) > 5 or not (term[:1].isupper() or re.match(r"[^\x00-\x7f]", term)):
        return None
    if _LABEL_TERMS.match(term) or is_meta_title(term) or A_MARKER.match(term + ":") or Q_MARKER.match(term + ":"):
        return None
    words = re.findall(r"\w+", rest)
    if len(words) < 4 or re.match(r"^[\d$€£¥%+\-−.,]", rest):
        return None
    return term, rest
