"""Finding the concepts' names in text: every known spelling, as whole words, leftmost-longest."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from generator.digests import digest
from generator.graph.memory import CardMemory
from generator.graph.names import CJK, SEPARATOR, clean, cyrillic_stem, is_acronym, is_cjk, key

# A token: one CJK or Hangul character (those scripts run words together or glue particles on),
# or a run of other word characters. Split on it, a text alternates gap, token, gap, …, gap.
_TOKEN = re.compile(f"[{CJK}]|[^\\W{CJK}]+")
_PARTS = re.compile(f"({_TOKEN.pattern})")
_SPAN_BREAK = re.compile(r"[,;:!?()\[\]{}<>|\"\n\u3001\u3002\uff0c\uff1b\uff1a\uff08\uff09]")
_TAIL = re.compile(r"[+#]*(?![\w+#])|")
"""The '+' or '#' that ends a name after its last word ("k-means++", "C#"), before a word break."""
_MAX_TOKENS = 12
_REMEMBERED = 100_000
_SEPARATORS = re.compile(SEPARATOR)
_ASCII_SEPARATORS = frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f-")
"""The ASCII characters `key` splits words on (`SEPARATOR`)."""


def kept_matcher(memo: CardMemory, surfaces: list[tuple[str, str]], kind: str = "matcher") -> Matcher:
    """`Matcher(surfaces)`, or the one `memo` keeps from the build before for the same spellings: a
    matcher costs a quarter to half a second to make, and has read the notes' lines once made."""
    return memo.keep((kind, digest(surfaces)), lambda: Matcher(surfaces))


def exact_spelling(surface: str) -> bool:
    """A lone acronym or short capitalised name ("DPO", "kNN", "Adam"): it matches only as written."""
    return len(_TOKEN.findall(surface)) == 1 and (is_acronym(surface) or (len(surface) <= 5 and surface[:1].isupper()))


class Matcher:
    """Finds every known spelling in a text, as whole words, leftmost-longest; loose about case,
    dashes, spaces and a plural "s" like `key`, except that a lone acronym or short capitalised
    name must be written as registered ("DPO", "Adam"). Names in CJK scripts match inside runs of
    text without spaces. One dictionary look-up per candidate span: fast with thousands of names."""

    def __init__(self, surfaces: Iterable[tuple[str, str]]) -> None:
        self._names: dict[str, str] = {}
        self._exact: dict[str, set[str]] = {}
        self._loose: set[str] = set()
        self._starts: dict[str, int] = {}
        for surface, name in surfaces:
            surface = clean(surface)
            tokens = _TOKEN.findall(surface)
            k = key(surface)
            if not tokens or not k or (is_cjk(surface) and len(k) < 2) or not re.search(r"[^\W\d_]", surface):
                continue
            self._names.setdefault(k, name)
            if exact_spelling(surface):
                self._exact.setdefault(k, set()).add(re.sub(SEPARATOR, "", surface))
            else:
                self._loose.add(k)
            first = cyrillic_stem(tokens[0].lower())
            self._starts[first] = max(self._starts.get(first, 0), min(len(tokens), _MAX_TOKENS))
        self._prefixes = {k[:n] for k in self._names for n in range(1, len(k) + 1)}
        """Every beginning of every key: a span whose key cannot begin so is no name (`_reach`)."""
        self._words: dict[str, _Word] = {}
        self._gaps: dict[str, _Gap] = {}
        self._found: dict[tuple[str, bool], tuple[tuple[int, int, str], ...]] = {}
        """The last lines read, and their mentions."""
        self._spans: dict[str, str | None] = {}
        """Spans tried, and the name each spells (the same word pairs recur from text to text)."""

    def __len__(self) -> int:
        return len(self._names)

    def find(self, text: str, overlapping: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, name) of each mention; `overlapping`: also names inside longer ones.
        A span runs from a token that begins a name over at most as many tokens as that name
        has, never over a gap holding a break (a comma, a bracket, a newline). No span crosses a
        line, so each line is read once and remembered: a card's lines recur in its sentences,
        in the readers of relations and in the prose of the same text."""
        if "\n" not in text:
            return list(self._line(text, overlapping))
        found: list[tuple[int, int, str]] = []
        offset = 0
        for line in text.split("\n"):
            if offset:
                found += [(start + offset, end + offset, name) for start, end, name in self._line(line, overlapping)]
            else:
                found += self._line(line, overlapping)
            offset += len(line) + 1
        return found

    def find_within(self, line: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """The mentions of `line[start:end]` (a sentence of a line), from those of the whole line."""
        return [(s - start, e - start, name) for s, e, name in self._line(line, False) if s >= start and e <= end]

    def _line(self, line: str, overlapping: bool) -> tuple[tuple[int, int, str], ...]:
        known = self._found.get((line, overlapping))
        if known is None:
            if len(self._found) >= _REMEMBERED:
                self._found.clear()
            known = self._found[(line, overlapping)] = tuple(self._find(line, overlapping))
        return known

    def _find(self, text: str, overlapping: bool) -> list[tuple[int, int, str]]:
        parts = _PARTS.split(text)
        count = len(parts) // 2
        offsets = list(accumulate(map(len, parts), initial=0))  # where each part starts
        words = self._words
        found = []
        i = 0
        while i < count:
            word = parts[2 * i + 1]
            first = words.get(word) or self._word(word)
            if not first.width:
                i += 1
                continue
            start, last = offsets[2 * i + 1], -1
            for j in range(self._reach(parts, i, min(count, i + first.width) - 1, first), i - 1, -1):
                spans = self._spans_to(text, start, offsets[2 * j + 2], None if j > i else first)
                if overlapping:
                    found += spans
                elif spans:
                    found.append(spans[0])
                    last = j
                    break
            i = last + 1 if last >= 0 and not overlapping else i + 1
        return found

    def _spans_to(self, text: str, start: int, end: int, first: _Word | None) -> list[tuple[int, int, str]]:
        """The names a span ending on the token at `end` spells, longest first: with the '+' or '#'
        after it ("k-means++"), then as it ends. `first`: the span is that one word."""
        found = []
        # Most spans end before a space or a stop: only a '+' or '#' next can make a tail.
        tail = _TAIL.match(text, end).end() if text[end : end + 1] in ("+", "#") else end  # type: ignore[union-attr]
        if tail > end:
            name = self._match(text[start:tail])
            if name:
                found.append((start, tail, name))
        name = self._match(text[start:end]) if first is None else first.name
        if name:
            found.append((start, end, name))
        return found

    def _reach(self, parts: list[str], i: int, furthest: int, first: _Word) -> int:
        """The last token a name beginning at token `i` may end on, up to `furthest`. Over plain
        ASCII (no '_', which `clean` strips at the ends), a span's key begins with its words before
        the last one, lower-cased, joined and with 'with' read as 'from', and with the '+', '#' and
        '@' between them: once that is no key's beginning, no longer span is a name either."""
        begun, piece, plain, after_separator = "", first.lowered, first.plain, True
        for j in range(i + 1, furthest + 1):
            gap = self._gaps.get(parts[2 * j]) or self._gap(parts[2 * j])
            if gap.breaks:
                return j - 1
            token = self._words.get(parts[2 * j + 1]) or self._word(parts[2 * j + 1])
            if not (plain and gap.plain and token.plain):
                return self._unbroken(parts, j, furthest)
            if piece == "with" and after_separator and gap.separator_first:
                piece = "from"
            begun += piece + gap.kept
            if begun not in self._prefixes:
                return j - 1
            piece, after_separator = token.lowered, gap.separator_last
        return furthest

    def _unbroken(self, parts: list[str], j: int, furthest: int) -> int:
        """The last token before the first break from gap `j` on, up to `furthest`."""
        for k in range(j, furthest + 1):
            if (self._gaps.get(parts[2 * k]) or self._gap(parts[2 * k])).breaks:
                return k - 1
        return furthest

    def _word(self, word: str) -> _Word:
        lowered = word.lower()
        starts = self._starts
        width = starts.get(lowered, 0) or starts.get(lowered.rstrip("s"), 0) or starts.get(cyrillic_stem(lowered), 0)
        found = _Word(width, self._match(word) if width else None, lowered, word.isascii() and "_" not in word)
        self._words[word] = found
        return found

    def _gap(self, gap: str) -> _Gap:
        plain = gap.isascii()
        found = _Gap(
            breaks=bool(_SPAN_BREAK.search(gap)),
            kept="".join(char for char in gap if char in "+#@"),
            plain=plain,
            separator_first=plain and gap[:1] in _ASCII_SEPARATORS,
            separator_last=plain and gap[-1:] in _ASCII_SEPARATORS,
        )
        self._gaps[gap] = found
        return found

    def _match(self, span: str) -> str | None:
        if span in self._spans:
            return self._spans[span]
        if len(self._spans) >= _REMEMBERED:
            self._spans.clear()
        k = key(span)
        name = self._names.get(k)
        if name is not None and k not in self._loose:
            written = _SEPARATORS.sub("", span)
            exact = self._exact[k]
            name = name if written in exact or (written.endswith("s") and written[:-1] in exact) else None
        self._spans[span] = name
        return name


@dataclass(slots=True)
class _Word:
    """What the matcher knows of one token as written."""

    width: int
    """Most tokens of a name beginning with this word; 0: none begins with it."""
    name: str | None
    """The name the word alone spells, if any."""
    lowered: str
    plain: bool
    """ASCII without '_'."""


@dataclass(slots=True)
class _Gap:
    """What the matcher knows of the characters between two tokens."""

    breaks: bool
    kept: str
    """What `key` keeps of it."""
    plain: bool
    separator_first: bool
    separator_last: bool
