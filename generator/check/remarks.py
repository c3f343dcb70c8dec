"""Stray remarks: notes-to-self left in the text ("frame the question better", "text to lora").

They are short lowercase fragments that do not form a sentence, found where prose would not put them:
  * a line of its own after a heading, a finished sentence or a list item (a lazy continuation, so
    Markdown glues it onto the paragraph or item above), with no final punctuation;
  * a lowercase tail after a paragraph's last full stop ("… on a single GPU. add performance etc.").
Code, math, tables, HTML, front matter and list items themselves are never looked at.
"""

from __future__ import annotations

import re

from generator.check.rules import CheckContext, Finding, rule
from generator.model import SourceLocation

MAX_WORDS = 8
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_STRUCTURE = re.compile(r"^\s*(?:#|[-*+]\s|\d+[.)]\s|>|\||!?\[|<|\$|`|\*\*|__|---|===|\+\+\+)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_FRAGMENT = re.compile(r"^[a-z][a-z0-9'’/&+-]*(?:[ ,;][ ]?[a-z0-9'’/&+-]+)*$")
_SENTENCE_END = re.compile(r"[.!?)\]。！？]$")
_TAIL = re.compile(r"^(?P<sentence>.*[A-Za-z)\]*_][.!?])\s+(?P<tail>[a-z][^.!?]*?(?:\betc\.)?)\s*$")
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "cf",
    "al",
    "approx",
    "fig",
    "eq",
    "no",
    "resp",
    "incl",
    "esp",
    "viz",
    "ca",
    "ex",
    "v",
    "sec",
    "ch",
    "p",
    "pp",
}
_MARKUP = re.compile(r"[*`$\[\]|<>=_\\]")


def stray_remarks(text: str) -> list[tuple[int, str]]:
    """(1-based line, the remark) for every suspected note-to-self in `text`."""
    lines = text.split("\n")
    found: list[tuple[int, str]] = []
    for number in _prose_lines(lines):
        line = lines[number].rstrip()
        previous = lines[number - 1].rstrip() if number else ""
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if _is_remark_line(line, previous, following):
            found.append((number + 1, line.strip()))
            continue
        tail = _trailing_remark(line)
        if tail:
            found.append((number + 1, tail))
    return found


def _prose_lines(lines: list[str]):
    """Indices of lines that are ordinary text: outside fences, display math, comments, front matter."""
    fence: str | None = None
    in_math = in_comment = False
    front_matter = bool(lines) and lines[0].strip() in ("---", "+++")
    for number, line in enumerate(lines):
        stripped = line.strip()
        if front_matter:
            if number and stripped in ("---", "+++"):
                front_matter = False
            continue
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        if in_comment:
            in_comment = "-->" not in stripped
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if stripped.count("$$") % 2:
            in_math = not in_math
            continue
        if in_math or line.startswith(("    ", "\t")):
            continue
        yield number


def _is_remark_line(line: str, previous: str, following: str) -> bool:
    text = line.strip()
    if not text or _STRUCTURE.match(text) or _MARKUP.search(text) or not _FRAGMENT.match(text):
        return False
    if len(text.split()) > MAX_WORDS or len(text) > 60:
        return False
    before = previous.strip()
    if before and not (before.startswith("#") or _SENTENCE_END.search(before)):
        return False  # the sentence above runs on into this line
    if before.startswith("|") or (previous.startswith(("    ", "\t")) and not _LIST_ITEM.match(previous)):
        return False
    if following and not _STRUCTURE.match(following) and following[:1].islower():
        return False  # a paragraph of lowercase prose, not a lone fragment
    return True


def _trailing_remark(line: str) -> str:
    """The lowercase fragment after a line's last sentence, if it does not read as prose."""
    text = line.strip()
    if text.startswith(("#", "|")) or "`" in text or "$" in text:
        return ""
    match = _TAIL.match(text)
    if not match:
        return ""
    sentence, tail = match.group("sentence"), match.group("tail")
    last_word = re.sub(r"[*_)\]]+", "", sentence[:-1].rsplit(None, 1)[-1]).lower()
    if last_word in _ABBREVIATIONS or last_word.replace(".", "") in {a.replace(".", "") for a in _ABBREVIATIONS}:
        return ""
    if len(sentence.split()) < 5 or _MARKUP.search(tail):
        return ""
    if not 2 <= len(tail.split()) <= 10:
        return ""
    return tail


@rule("stray-remark", "a note-to-self left in the text")
def stray_remark(context: CheckContext):
    for path, source in sorted(context.sources.items()):
        for line, remark in stray_remarks(source.text):
            yield Finding(
                SourceLocation(path, line),
                "stray-remark",
                f"looks like a note to self, not part of the answer: {remark!r}",
            )
