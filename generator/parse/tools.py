"""Cards written for other flashcard tools, read as those tools read them, before the Markdown shapes.

- Obsidian Spaced Repetition, in notes carrying one of its card tags: `front::back`, `front:::back`
  (two cards), multi-line cards split by a line holding only `?` (`??`: two cards), clozes from
  `==highlights==` (and `**bold**`, `{{curly}}` or the user's own patterns when the settings say so);
  its `<!--SR:…-->` scheduling comments are never shown.
- Obsidian_to_Anki: `START` / note type / `Front:` … `Back:` … / `END` blocks, `STARTI … ENDI` on one
  line, `TARGET DECK` and `FILE TAGS` lines, and the vault's own regular expressions.
- inka2: `---` … `---` sections (with `Deck:` / `Tags:` lines, or clozes) of numbered items, a question
  over its `> answer` lines, or a text with `{clozes}` (`{{c1::…}}`, `{1::…}`, `{…}`).
- Obsidian callouts: `> [!question] …` with the answer inside (a nested `>> [!success]- Answer`).
- `{{c1::…}}` clozes anywhere.

Every line a tool's card takes is blanked for the Markdown reader (line numbers stay), so no line
becomes two cards. Separators are the vault's (`CardSyntax`), so a user's own `::@::` works too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from generator.model import CardSyntax
from generator.parse.words import is_toggle_label

CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::([^}]*))?\}\}", re.S)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_COMMENT = re.compile(r"\s*<!--(?:SR|ID)\s*:.*?-->", re.S | re.I)
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TAG = re.compile(r"(?<![\w&/#])#([^\s#,;:()\[\]{}\"'`]+)")
_YAML_TAGS = re.compile(r"^tags\s*:\s*(?P<inline>.*)$((?:\n\s*-\s*.*$)*)", re.M)
_FIELD = re.compile(r"^(?P<name>[A-Z][\w ()+-]{0,30}?)\s*:\s?(?P<value>.*)$")
_TARGET = re.compile(r"^\s*(TARGET DECK|FILE TAGS)\s*:?\s*(?P<value>.*)$")
_CALLOUT = re.compile(r"^\s*>\s*\[!(?P<type>[\w-]+)\][+-]?\s*(?P<title>.*)$")
_NESTED = re.compile(r"^\s*>\s*>\s?(?P<text>.*)$")
_QUOTED = re.compile(r"^\s*>\s?(?P<text>.*)$")
_WIKILINK = re.compile(r"(?P<embed>!?)\[\[(?P<target>[^\]|\n]+)(?:\|(?P<shown>[^\]\n]+))?\]\]")
QUESTION_CALLOUTS = {"question", "faq", "help", "quiz", "flashcard", "card", "q"}
_FIELD_NAMES = {"front", "back", "text", "extra", "question", "answer", "back extra", "context", "tags", "source"}


@dataclass(slots=True)
class ToolCard:
    """A card another tool's syntax marks: a question and answer, or a cloze text and its extra."""

    front: str
    back: str
    line: int
    """0-based."""
    kind: str
    cloze: bool = False


@dataclass(slots=True)
class ToolResult:
    cards: list[ToolCard] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)
    """0-based lines the cards (or the tools' own settings lines) use up."""
    notes: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, reason, text) of what is dropped on purpose (embeds, deck settings)."""


def tool_cards(text: str, syntax: CardSyntax) -> tuple[ToolResult, str]:
    """The cards other tools' syntax marks in `text`, and the text left for the Markdown reader."""
    if not re.search(r"START|TARGET DECK|FILE TAGS|#|\[!|\{\{c|\[\[", text) and not syntax.custom_regexps:
        return ToolResult(), text  # nothing another tool would read
    lines = text.split("\n")
    code = _code_lines(lines)
    front_matter = "\n".join(lines[: max((i for i in code if lines[i].strip() == "---"), default=0)])
    if not (lines and lines[0].strip() == "---"):
        front_matter = ""
    result = ToolResult()
    # Each reader looks only where its markers occur at all: most notes hold none of them.
    if "START" in text or "TARGET DECK" in text or "FILE TAGS" in text:
        _obsidian_to_anki(lines, code, result)
    for name, pattern in syntax.custom_regexps:
        _custom_regexp(text, lines, name, pattern, result)
    if "#" in text and _tagged(text, front_matter, syntax.card_tags, code):
        _spaced_repetition(lines, code, syntax, result)
    if "[!" in text:
        _callouts(lines, code, result)
    if "---" in text:
        _inka(lines, code, result)
    if "{{c" in text:
        _clozes(lines, code, result)
    remaining = [("" if i in result.taken else line) for i, line in enumerate(lines)]
    if "[[" in text:
        remaining = [_wikilinks(line, i, result) if i not in code else line for i, line in enumerate(remaining)]
    if "[!" in text:
        remaining = [_callout_title(line) if i not in code else line for i, line in enumerate(remaining)]
    for card in result.cards:  # the sides of the tools' cards show links as text too
        card.front, card.back = _wikilinks(card.front, card.line, result), _wikilinks(card.back, card.line, result)
    result.cards.sort(key=lambda card: card.line)
    return result, "\n".join(remaining)


# -- helpers -------------------------------------------------------------------------------------
def _code_lines(lines: list[str]) -> set[int]:
    """0-based lines inside fenced code (fence lines included) and YAML front matter."""
    inside: set[int] = set()
    fence = ""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            inside.update(range(end + 1))
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            inside.add(index)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            fence = match.group(1)
            inside.add(index)
    return inside


def clean(text: str) -> str:
    """A side of a card without the tools' own comments and trailing spaces."""
    return _COMMENT.sub("", text).strip()


def _take(result: ToolResult, start: int, end: int) -> None:
    result.taken.update(range(start, end))


def _free(result: ToolResult, code: set[int], index: int) -> bool:
    return index not in result.taken and index not in code


def _wikilinks(line: str, index: int, result: ToolResult) -> str:
    """`[[target|shown]]` → shown, `[[target]]` → target; `![[embed]]` is dropped (and said so)."""
    if "[[" not in line:
        return line

    def shown(match: re.Match[str]) -> str:
        if match.group("embed"):
            result.notes.append((index, "embedded note or file (![[…]]), not shown on cards", match.group(0)))
            return ""
        return (match.group("shown") or match.group("target").split("#")[-1]).strip()

    return _WIKILINK.sub(shown, line)


def _callout_title(line: str) -> str:
    """`> [!note]- Remember` → `> **Remember**`: a callout that is not a card reads as a titled quote."""
    match = re.match(r"^(?P<quote>\s*(?:>\s*)+)\[!(?P<type>[\w-]+)\][+-]?\s*(?P<title>.*)$", line)
    if not match:
        return line
    title = match.group("title").strip() or match.group("type").replace("-", " ").capitalize()
    return f"{match.group('quote')}**{title}**"


# -- Obsidian_to_Anki ----------------------------------------------------------------------------
def _obsidian_to_anki(lines: list[str], code: set[int], result: ToolResult) -> None:
    index = 0
    while index < len(lines):
        line = lines[index]
        if index in code:
            index += 1
            continue
        target = _TARGET.match(line)
        if target:
            end = index + 1 if target.group("value").strip() or index + 1 >= len(lines) else index + 2
            result.notes.append((index, "a deck or tag setting of Obsidian_to_Anki", "\n".join(lines[index:end])))
            _take(result, index, end)
            index = end
            continue
        inline = re.match(r"^\s*STARTI\s*(?:\[(?P<type>[^\]]*)\])?(?P<body>.*?)\s*ENDI\s*$", line)
        if inline:
            body = re.sub(r"\s+(?=(?:Back|Extra|Answer)\s*:)", "\n", inline.group("body").strip())
            _note(inline.group("type") or "Basic", body.split("\n"), index, result)
            _take(result, index, index + 1)
            index += 1
            continue
        if line.strip() == "START":
            close = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == "END"), None)
            if close is not None and close > index + 1:
                _note(lines[index + 1].strip(), lines[index + 2 : close], index + 1, result)
                _take(result, index, close + 1)
                index = close + 1
                continue
        index += 1


def _note(note_type: str, body: list[str], line: int, result: ToolResult) -> None:
    """One Obsidian_to_Anki note: named fields ('Front:' …), or the whole body as its first field."""
    fields: list[list[str]] = []
    for text in body:
        match = _FIELD.match(text.strip())
        if match and match.group("name").strip().lower() in _FIELD_NAMES:
            if match.group("name").strip().lower() == "tags":
                continue
            fields.append([match.group("value")])
        elif fields:
            fields[-1].append(text)
        else:
            fields.append([text])
    values = [clean("\n".join(value)) for value in fields]
    values = [v for v in values if v] or [""]
    cloze = "cloze" in note_type.lower() or bool(CLOZE.search(values[0]))
    if cloze:
        result.cards.append(ToolCard(values[0], "\n\n".join(values[1:]), line, "obsidian-to-anki", cloze=True))
    elif len(values) >= 2:
        result.cards.append(ToolCard(values[0], "\n\n".join(values[1:]), line, "obsidian-to-anki"))
    else:
        result.notes.append((line, "Obsidian_to_Anki note without a back", values[0]))


def _custom_regexp(text: str, lines: list[str], note_type: str, pattern: str, result: ToolResult) -> None:
    """The vault's own Obsidian_to_Anki expression: its groups are the note's fields, in order."""
    try:
        regexp = re.compile(re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", pattern), re.M)
    except re.error:
        result.notes.append((0, "an Obsidian_to_Anki expression Python cannot read", pattern))
        return
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for match in regexp.finditer(text):
        if not match.group(0).strip() or not match.groups():
            continue
        first = _line_at(starts, match.start())
        last = _line_at(starts, max(match.start(), match.end() - 1))
        if any(i in result.taken for i in range(first, last + 1)):
            continue
        values = [clean(g or "") for g in match.groups()]
        end = last + 1
        while end < len(lines) and re.match(r"^\s*<!--\s*ID\s*:.*-->\s*$", lines[end]):
            end += 1  # the note's ID, written back by the plugin below the card
        front_line = first + match.group(0)[: match.start(1) - match.start()].count("\n")
        cloze = "cloze" in note_type.lower()
        result.cards.append(
            ToolCard(values[0], "\n\n".join(v for v in values[1:] if v), front_line, "obsidian-to-anki", cloze)
        )
        _take(result, first, end)


def _line_at(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


# -- Spaced Repetition ---------------------------------------------------------------------------
def _tagged(text: str, front_matter: str, card_tags: tuple[str, ...], code: set[int]) -> bool:
    """Whether the note carries a card tag (inline `#tag` or in the YAML `tags:`), or one nested under it."""
    wanted = [tag.lstrip("#").lower() for tag in card_tags if tag.strip("#")]
    found: set[str] = set()
    for index, line in enumerate(text.split("\n")):
        if index not in code and "#" in line:
            found.update(tag.lower() for tag in _TAG.findall(re.sub(r"`[^`]*`", "", line)))
    for match in _YAML_TAGS.finditer(front_matter):
        values = re.split(r"[,\s\[\]]+", match.group("inline")) + re.findall(r"-\s*(\S+)", match.group(2) or "")
        found.update(value.strip("'\"#").lower() for value in values if value.strip("'\"#"))
    return any(tag == want or tag.startswith(want + "/") for tag in found for want in wanted)


def _spaced_repetition(lines: list[str], code: set[int], syntax: CardSyntax, result: ToolResult) -> None:
    _multiline(lines, code, syntax, result)
    separators = sorted(
        [(syntax.inline_reversed, True), (syntax.inline, False)], key=lambda pair: len(pair[0]), reverse=True
    )
    for index, line in enumerate(lines):
        if not _free(result, code, index):
            continue
        bare = re.sub(r"`[^`]*`|\{\{.*?\}\}", lambda m: "\0" * len(m.group(0)), line)
        for separator, reversed_ in separators:
            at = bare.find(separator)
            if at < 0:
                continue
            front = clean(_LIST.sub("", line[:at], count=1))
            back = clean(line[at + len(separator) :])
            end = index + 1
            while end < len(lines) and re.match(r"^\s*<!--\s*SR\s*:.*-->\s*$", lines[end]):
                end += 1
            if front and back:
                result.cards.append(ToolCard(front, back, index, "spaced-repetition"))
                if reversed_:
                    result.cards.append(ToolCard(back, front, index, "spaced-repetition"))
                _take(result, index, end)
            break
    _highlight_clozes(lines, code, syntax, result)


def _multiline(lines: list[str], code: set[int], syntax: CardSyntax, result: ToolResult) -> None:
    """Sides touching a line that holds only the separator: the front above it, the back below."""
    marks = [
        (i, lines[i].strip() == syntax.multiline_reversed)
        for i in range(len(lines))
        if _free(result, code, i) and lines[i].strip() in (syntax.multiline, syntax.multiline_reversed)
    ]
    fronts = []
    for index, _ in marks:
        start = index
        while start > 0 and lines[start - 1].strip() and not _HEADING.match(lines[start - 1]):
            start -= 1
        fronts.append(start)
    for number, (index, reversed_) in enumerate(marks):
        start = fronts[number]
        if start == index:
            continue
        limit = fronts[number + 1] if number + 1 < len(marks) else len(lines)
        end = index + 1
        marker = syntax.multiline_end
        # The back ends where the plugin ends it: at the first blank line, or at the vault's end marker
        # (a blank line inside a code block never ends it).
        while end < limit:
            if end not in code and (
                _HEADING.match(lines[end]) or (lines[end].strip() == marker if marker else not lines[end].strip())
            ):
                break
            end += 1
        front = clean("\n".join(lines[start:index]))
        back = clean("\n".join(lines[index + 1 : end]))
        if front and back:
            result.cards.append(ToolCard(front, back, start, "spaced-repetition"))
            if reversed_:
                result.cards.append(ToolCard(back, front, start, "spaced-repetition"))
            _take(result, start, end + (1 if marker and end < len(lines) and lines[end].strip() == marker else 0))


def _highlight_clozes(lines: list[str], code: set[int], syntax: CardSyntax, result: ToolResult) -> None:
    """Paragraphs with `==highlights==` (or the user's own cloze patterns): one cloze note each."""
    patterns = [p for p in map(_user_pattern, syntax.cloze_patterns) if p is not None]
    if syntax.highlight_clozes:
        patterns.append(re.compile(r"==(?P<answer>[^=\n]+?)==()"))
    if syntax.bold_clozes:
        patterns.append(re.compile(r"\*\*(?P<answer>[^*\n]+?)\*\*()"))
    if syntax.curly_clozes:
        patterns.append(re.compile(r"(?<!\{)\{\{(?!c\d+::)(?P<answer>[^{}\n]+?)\}\}()"))
    if not patterns:
        return
    for start, end in _paragraphs(lines, code, result):
        text = "\n".join(lines[start:end])
        numbers = iter(range(1, 1000))
        converted = text
        for pattern in patterns:
            converted = pattern.sub(partial(_to_cloze, counter=numbers), converted)
        if converted != text:
            result.cards.append(ToolCard(clean(_LIST.sub("", converted, count=1)), "", start, "cloze", cloze=True))
            _take(result, start, end)


def _user_pattern(pattern: str) -> re.Pattern[str] | None:
    """'{@{[123;;]answer[;;hint]}@}' → a regular expression with the groups answer, hint."""
    if "answer" not in pattern:
        return None
    before, after = pattern.split("answer", 1)
    number = re.escape(before.split("[123", 1)[0]) if "[123" in before else re.escape(before)
    sep = re.search(r"\[123(?P<sep>[^\]]*)\]", before)
    number_part = f"(?:\\d+{re.escape(sep.group('sep'))})?" if sep else ""
    hint = re.search(r"\[(?P<sep>[^\]]*)hint\]", after)
    closing = re.escape(after.split("]", 1)[1] if hint else after)
    hint_part = f"(?:{re.escape(hint.group('sep'))}(?P<hint>.*?))?" if hint else "()"
    try:
        return re.compile(f"{number}{number_part}(?P<answer>.+?){hint_part}{closing}", re.S)
    except re.error:
        return None


def _to_cloze(match: re.Match[str], counter: Iterator[int]) -> str:
    answer = match.group("answer")
    hint = match.groupdict().get("hint")
    return f"{{{{c{next(counter)}::{answer}{'::' + hint if hint else ''}}}}}"


def _paragraphs(lines: list[str], code: set[int], result: ToolResult) -> list[tuple[int, int]]:
    """Runs of free, non-blank lines that are not headings; list items stand alone."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index in range(len(lines) + 1):
        ok = index < len(lines) and _free(result, code, index) and bool(lines[index].strip())
        ok = ok and not _HEADING.match(lines[index])
        if ok and start is not None and _LIST.match(lines[index]):
            runs.append((start, index))
            start = index
            continue
        if ok and start is None:
            start = index
        elif not ok and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _quoted_text(line: str) -> str:
    """A quoted line's text without its '>' (the line itself when it is not quoted)."""
    quoted = _QUOTED.match(line)
    return quoted.group("text") if quoted else line


# -- callouts and clozes anywhere ----------------------------------------------------------------
def _callouts(lines: list[str], code: set[int], result: ToolResult) -> None:
    """`> [!question] Q` with its own lines (options) on the front; the back is a nested answer
    callout (`>> [!success]- Answer`) when there is one, else the rest of the callout."""
    index = 0
    while index < len(lines):
        match = _CALLOUT.match(lines[index]) if _free(result, code, index) else None
        if not match or match.group("type").lower() not in QUESTION_CALLOUTS:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and _QUOTED.match(lines[end]) and _free(result, code, end):
            end += 1
        own: list[str] = []
        nested: list[str] = []
        for text in lines[index + 1 : end]:
            inner = _NESTED.match(text) or (_QUOTED.match(text) if nested else None)
            if inner:
                nested.append(inner.group("text"))
            else:
                own.append(_quoted_text(text))
        title = match.group("title").strip()
        if nested:
            head = _CALLOUT.match("> " + nested[0])
            if head:
                label = head.group("title").strip()
                nested = ([label] if label and not is_toggle_label(label) else []) + nested[1:]
            front, back = "\n".join([title] + own), "\n".join(nested)
        else:
            front, back = title, "\n".join(own)
        if clean(front) and clean(back):
            result.cards.append(ToolCard(clean(front), clean(back), index, "callout"))
            _take(result, index, end)
        index = end


def _clozes(lines: list[str], code: set[int], result: ToolResult) -> None:
    """A paragraph (or list item) with `{{c1::…}}` deletions is one cloze note."""
    for start, end in _paragraphs(lines, code, result):
        text = "\n".join(lines[start:end])
        if CLOZE.search(re.sub(r"`[^`]*`", "", text)):
            result.cards.append(ToolCard(clean(_LIST.sub("", text, count=1)), "", start, "cloze", cloze=True))
            _take(result, start, end)


# -- inka2 ---------------------------------------------------------------------------------------
_INKA_ITEM = re.compile(r"^(?P<number>\d+)\.\s+(?P<text>.*)$")
_INKA_SETTING = re.compile(r"^(?:Deck|Tags)\s*:")
_INKA_CLOZE = re.compile(r"\{\{c\d+::.*?\}\}|\{(?:c?(?P<number>\d+)::)?(?P<answer>[^{}\n]+)\}")
_MATH_OR_CODE = re.compile(r"`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)", re.S)


def _inka(lines: list[str], code: set[int], result: ToolResult) -> None:
    """inka2's sections: between two `---` lines, numbered questions over `> answer` lines, and
    numbered texts with clozes. A section is read as inka2's only when it says so: a `Deck:` or
    `Tags:` line, or every item a card, one at least a question with its answer (elsewhere `---` is a
    rule, and '1. The set {a, b}' no cloze)."""
    rules = [i for i, line in enumerate(lines) if line.strip() == "---" and _free(result, code, i)]
    for open_, close in zip(rules[::2], rules[1::2], strict=False):
        body = range(open_ + 1, close)
        if any(not _free(result, code, i) for i in body):
            continue
        items = _inka_items(lines, body)
        settings = [i for i in body if _INKA_SETTING.match(lines[i].strip())]
        cards = [card for card in (_inka_card(lines, item) for item in items) if card is not None]
        shaped = len(cards) == len(items) and any(not card.cloze for card in cards)
        if not cards or not (settings or shaped):
            continue
        for index in settings:
            result.notes.append((index, "a deck or tag setting of inka2", lines[index].strip()))
        result.cards.extend(cards)
        _take(result, open_, close + 1)


def _inka_items(lines: list[str], body: range) -> list[list[int]]:
    items: list[list[int]] = []
    for index in body:
        text = lines[index].strip()
        if _INKA_ITEM.match(text):
            items.append([index])
        elif items and not _INKA_SETTING.match(text):
            items[-1].append(index)
    return items


def _inka_card(lines: list[str], item: list[int]) -> ToolCard | None:
    first = _INKA_ITEM.match(lines[item[0]].strip())
    assert first is not None
    front = [first.group("text")] + [lines[i] for i in item[1:] if not _QUOTED.match(lines[i])]
    back = [_quoted_text(lines[i]) for i in item[1:] if _QUOTED.match(lines[i])]
    question, answer = clean("\n".join(front)), clean("\n".join(back))
    if answer:
        return ToolCard(question, answer, item[0], "inka2")
    cloze = _inka_clozes(question)
    return ToolCard(cloze, "", item[0], "cloze", cloze=True) if cloze != question else None


def _inka_clozes(text: str) -> str:
    """`{answer}`, `{2::answer}` and `{c2::answer}` as Anki's `{{cN::answer}}`; math and code untouched."""
    numbers = iter(range(1, 1000))
    parts = _MATH_OR_CODE.split(text)
    kept = _MATH_OR_CODE.findall(text)

    def convert(match: re.Match[str]) -> str:
        if match.group("answer") is None:
            return match.group(0)
        number = match.group("number") or str(next(numbers))
        return f"{{{{c{number}::{match.group('answer')}}}}}"

    out = [_INKA_CLOZE.sub(convert, part) for part in parts]
    return "".join(piece for pair in zip(out, [*kept, ""], strict=True) for piece in pair)
