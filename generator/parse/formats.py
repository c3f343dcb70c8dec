"""Questions inside a section's body: Q:/A: lines, bold questions, question lists, <details>, admonitions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.parse.blocks import Block
from generator.parse.terms import split_plain_term, split_term
from generator.parse.text import looks_like_question, strip_numbering
from generator.parse.words import A_DOT_MARKER, A_MARKER, Q_DOT_MARKER, Q_MARKER, dotted_pair, is_toggle_label


@dataclass(frozen=True, slots=True)
class Fragment:
    """Part of a block's source that needs a parse of its own (the answer after 'A:' on the same line)."""

    text: str
    line: int
    """0-based line it starts on."""


Part = Block | Fragment


@dataclass(slots=True)
class Found:
    """A question found in the notes, before rendering."""

    question_md: str
    line: int
    """0-based."""
    kind: str
    answer: list[Part] = field(default_factory=list)
    front_extra: list[Part] = field(default_factory=list)
    """Text between a question and its 'A:' marker: more of the question."""
    marked: bool = False
    """An answer marker ('**Answer:**') was read: what follows is the answer, whatever its shape."""
    number: int = 0
    """The number of a question written as a one-item numbered list ('3. Why …' over its answer)."""


@dataclass(slots=True)
class Unanswered:
    line: int
    reason: str
    text: str


_BOLD_LEAD = re.compile(r"^\s*(\*\*|__)(?P<q>(?:(?!\1).)+?)\1(?P<rest>.*)$", re.S)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_ONLY_LINKS = re.compile(r"\s*[(\[（]?\s*(?:!?\[[^\]]*\]\([^)]*\)\s*[,;|]?\s*)+[)\]）]?\s*")
_SUMMARY = re.compile(r"<summary[^>]*>(?P<q>.*?)</summary>(?P<rest>.*)", re.S | re.I)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.I)
QUESTION_ADMONITIONS = {"question", "faq", "help", "quiz", "flashcard", "card"}


def strip_answer_marker(block: Block) -> bool:
    """Remove a leading 'A:' / '**A:**' from a paragraph's own tokens; False if it has another shape."""
    inline = block.inline
    children = inline.children if inline else None
    if inline is None or not children:
        return False
    if (
        len(children) >= 3
        and children[0].type == "strong_open"
        and children[2].type == "strong_close"
        and A_MARKER.fullmatch(children[1].content.strip() + "")
    ):
        rest = children[3:]
    elif children[0].type == "text" and A_MARKER.match(children[0].content):
        children[0].content = A_MARKER.sub("", children[0].content, count=1)
        rest = children
    else:
        return False
    while rest and (
        rest[0].type in ("softbreak", "hardbreak") or (rest[0].type == "text" and not rest[0].content.strip())
    ):
        rest = rest[1:]
    if rest and rest[0].type == "text":
        rest[0].content = rest[0].content.lstrip()
    inline.children = list(rest)
    return True


def _after_bold_lead(block: Block, rest: str) -> Part:
    """The paragraph without its bold question: its own tokens trimmed when possible (no second
    parse), else the rest of its source parsed on its own."""
    inline = block.inline
    children = inline.children if inline else None
    if inline is not None and children and children[0].type == "strong_open":
        depth = 0
        for index, child in enumerate(children):
            depth += {"strong_open": 1, "strong_close": -1}.get(child.type, 0)
            if depth == 0:
                tail = children[index + 1 :]
                while tail and (
                    tail[0].type in ("softbreak", "hardbreak")
                    or (tail[0].type == "text" and not tail[0].content.strip(" \t:：—–-"))
                ):
                    tail = tail[1:]
                if tail and tail[0].type == "text":
                    tail[0].content = tail[0].content.lstrip(" \t:：—–-")
                if tail:
                    inline.children = list(tail)
                    return block
                break
    return Fragment(rest, block.start)


def split_bold_lead(source: str) -> tuple[str, str] | None:
    """'**What is X?** rest' → ('What is X?', 'rest'); None unless the bold lead asks a question."""
    match = _BOLD_LEAD.match(source)
    if not match or not looks_like_question(match.group("q")):
        return None
    question, rest = match.group("q").strip(), match.group("rest")
    if not rest.strip() and not question.endswith(("?", "？", ".", "。")) and strip_numbering(question) == question:
        return None  # '**How it works**' alone on its line: a label over the text below
    if question.endswith((":", "：")):
        return None  # '**Why:** …' labels a point of an answer
    if not question.endswith(("?", "？")) and rest.lstrip().startswith((":", "：")):
        return None  # '**How it works**: …' is a label, not a question
    if _ONLY_LINKS.fullmatch(rest):  # a trailing source link belongs to the question
        return f"{question} {rest.strip()}", ""
    return question, rest.lstrip(" \t:：—–-").strip()


def scan_body(blocks: list[Block], terms: str = "group") -> tuple[list[Found], list[Block], list[Unanswered]]:
    """Cards written inside a body, the blocks that belong to none of them, and unanswered questions.

    `terms` is what the heading names (see text.heading_kind): under a 'group' every defined term
    ('**Term**: definition', '- **X** is …') is a card; under 'one' thing, defined terms and glossary
    lists ('- **Term**: …'), not sentences in bullets; under 'parts', none (they are the answer)."""
    found: list[Found] = []
    leftover: list[Block] = []
    unanswered: list[Unanswered] = []
    current: Found | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            if current.answer:
                found.append(current)
            else:
                unanswered.append(Unanswered(current.line, "question without an answer", current.question_md))
        current = None

    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        after = blocks[index] if index < len(blocks) else None
        if block.type == "hr":
            close()
            continue
        if block.type == "html_block" and _SUMMARY.search(block.tokens[0].content):
            asked = current if current is not None and not current.answer else None
            if asked is None and is_toggle_details(block) and leftover and _asks(leftover[-1]):
                before = leftover.pop()
                asked = Found(before.source, before.start, "toggle")
            if asked is not current:
                close()
            index, used = _take_details(blocks, index - 1, found, unanswered, asked)
            if used and asked is not None and asked is not current:
                found.append(asked)
            if asked is current:
                close()
            continue
        if block.type == "admonition_open":
            card = _admonition(block)
            if card:
                close()
                found.append(card)
            elif current:
                current.answer.append(block)
            else:
                leftover.append(block)
            continue
        if block.type == "paragraph_open":
            source = block.source
            if Q_MARKER.match(source):
                close()
                current = _q_line(source, block.start)
                continue
            if dotted_pair(source) or (Q_DOT_MARKER.match(source) and _marked_answer(after)):
                # 'Q1. What …?' is a question only over an answer marker, in its paragraph or the next.
                close()
                current = _q_line(source, block.start, Q_DOT_MARKER, A_DOT_MARKER)
                continue
            if asks_alone(source) and _marked_answer(after, dotted=False):
                # 'What is X?' / '1、什么是X？' alone, over an 'A:' / '答：' paragraph: the marker says it is asked.
                close()
                current = Found(source, block.start, "qa-lines")
                continue
            marker = _answer_marker(source, after_q_line=current is not None and current.kind == "qa-lines")
            if current is not None and not current.answer and marker is not None:
                rest = marker.sub("", source, count=1)
                current.marked = True
                if rest.strip():
                    current.answer.append(Fragment(rest, block.start))
                continue
            bold = split_bold_lead(source)
            if bold and not _is_inside_answer(current) and not _aside(current, bold[0]):
                close()
                current = Found(bold[0], block.start, "bold-question")
                if bold[1]:
                    current.answer.append(_after_bold_lead(block, bold[1]))
                continue
            term = None if bold else split_term(source)
            if term and (terms != "parts" or term[2] == "runin") and (current is None or current.kind == "term"):
                close()
                current = Found(term[0], block.start, "term")
                current.answer.append(Fragment(term[1], block.start))
                continue
        named = _named_term(block, after) if terms == "group" else None
        if named and (current is None or current.kind == "term"):
            close()
            current = Found(named, block.start, "term")
            continue
        numbered = _numbered_question(block, after)
        if numbered is not None and (
            current is None or current.kind != "numbered" or numbered[1] == current.number + 1 or not current.answer
        ):
            close()
            current = Found(numbered[0], block.start, "numbered", number=numbered[1])
            continue
        if block.type in ("bullet_list_open", "ordered_list_open") and not (current and current.marked):
            # Under a defined term, its own list of kinds ('- **Discrete**: …') are terms too, but
            # only in the bold glossary form: plain 'Name: …' bullets there are parts of its definition.
            nested = {"parts": "parts"}.get(terms, "one") if _leads_in(current) else terms
            items = _question_items(
                block, terms=terms if current is None else nested if current.kind == "term" else "parts"
            )
            if items is not None:
                cards = [item for item in items if isinstance(item, Found)]
                kept = (
                    current is not None
                    and current.kind == "term"
                    and _leads_in(current)
                    and all(i.kind == "term" for i in cards)
                )
                if kept and current is not None:
                    current.answer.append(block)  # 'of three kinds:' and the kinds: the list stays on the back
                else:
                    close()
                for item in items:
                    if isinstance(item, Found):
                        found.append(item)
                    elif not (kept and item.reason == "list item beside the cards of its list"):
                        unanswered.append(item)
                continue
        if current is not None:
            current.answer.append(block)
        else:
            leftover.append(block)
    close()
    return found, leftover, unanswered


_DEFINITION_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:definition|définition|definición|definição|definizione|definitie|определение"
    r"|định nghĩa|定义|定義|정의)(?:\*\*|__)?\s*[:：]",
    re.IGNORECASE,
)


def _named_term(block: Block, after: Block | None) -> str | None:
    """'* CTR' alone in its list, over a '- Definition: …' list or paragraph: a term named on its own
    line with its definition below, labelled as one."""
    if block.type not in ("bullet_list_open", "ordered_list_open") or after is None:
        return None
    items = block.children()
    if len(items) != 1 or len(items[0].children()) != 1:
        return None
    name = _LIST_MARKER.sub("", items[0].source, count=1).strip().strip("*_ ")
    if not name or "\n" in name or len(name.split()) > 5 or re.search(r"[.:;?!。：？]$", name):
        return None
    return name if _DEFINITION_LABEL.match(after.source) else None


def _leads_in(current: Found | None) -> bool:
    """The term's definition so far ends by announcing a list ('… of three kinds:')."""
    if current is None or not current.answer:
        return False
    last = current.answer[-1]
    text = last.text if isinstance(last, Fragment) else last.source
    return text.rstrip().endswith((":", "："))


def _numbered_question(block: Block, after: Block | None) -> tuple[str, int] | None:
    """'3. Why do we scale?' alone in its list, its answer below it in a code block, a quote or a
    picture: (question, 3). Markdown reads such a question as a one-item ordered list."""
    if block.type != "ordered_list_open" or after is None:
        return None
    items = block.children()
    if len(items) != 1:
        return None
    parts = items[0].children()
    if len(parts) != 1 or parts[0].type != "paragraph_open" or "\n" in parts[0].source.strip():
        return None
    question = _LIST_MARKER.sub("", parts[0].source, count=1).strip()
    shown = after.type in ("fence", "code_block", "blockquote_open", "math_block", "table_open") or (
        after.type == "paragraph_open" and after.source.lstrip().startswith("![")
    )
    if not question or not (shown or (looks_like_question(question) and after.type == "paragraph_open")):
        return None
    try:
        number = int(block.tokens[0].attrGet("start") or 1)
    except (TypeError, ValueError):
        number = 1
    return question, number


def _asks(block: Block) -> bool:
    """A paragraph that can be the question of a 'Show answer' toggle right after it."""
    return block.type == "paragraph_open" and bool(block.source.strip()) and not block.source.lstrip().startswith("<")


def _aside(current: Found | None, question: str) -> bool:
    """'**Why PPO?**' inside the answer of '**15. Why is PPO used …?**': in a numbered series, a bold
    question without a number is a point of the answer being written, not the next card."""
    return (
        current is not None
        and bool(current.answer)
        and current.kind == "bold-question"
        and strip_numbering(current.question_md) != current.question_md
        and strip_numbering(question) == question
    )


def _is_inside_answer(current: Found | None) -> bool:
    # A bold question right after a Q: line is the question's own emphasis, not a new card.
    return current is not None and current.kind == "qa-lines" and not current.answer


def _answer_marker(source: str, after_q_line: bool) -> re.Pattern[str] | None:
    """The marker an answer paragraph starts with: 'A:', or 'A.' under a 'Q:'/'Q.' line only (elsewhere a
    line starting 'A.' is as often the first option of a multiple-choice question)."""
    if A_MARKER.match(source):
        return A_MARKER
    options = re.search(r"\n\s*B[.)]\s", source)  # 'A. …' over 'B. …': the choices, not the answer
    return A_DOT_MARKER if after_q_line and A_DOT_MARKER.match(source) and not options else None


def _asks_first(source: str) -> bool:
    """A paragraph of several lines whose first line alone is a question ending in a question mark."""
    first, _, rest = source.strip().partition("\n")
    return bool(rest.strip()) and first.rstrip().endswith(("?", "？")) and not split_bold_lead(first)


def asks_alone(source: str) -> bool:
    """A one-line paragraph that asks, without a bold lead (that shape has its own reading)."""
    return "\n" not in source and looks_like_question(source) and not split_bold_lead(source)


def _marked_answer(block: Block | None, dotted: bool = True) -> bool:
    """A paragraph that starts with an answer marker: 'A:', or with `dotted` also 'A.'."""
    return block is not None and block.type == "paragraph_open" and _answer_marker(block.source, dotted) is not None


def _q_line(
    source: str, line: int, q_marker: re.Pattern[str] = Q_MARKER, a_marker: re.Pattern[str] = A_MARKER
) -> Found:
    text = q_marker.sub("", source, count=1)
    if source.lstrip().startswith(("**", "__")):
        # '**Q: Why …?**' closes its bold after the question: the marker took the opening one.
        text = re.sub(r"^(.*?)(\*\*|__)[ \t]*(?=\n|$)", r"\1", text, count=1)
    lines = text.split("\n")
    for offset, candidate in enumerate(lines):
        if offset and a_marker.match(candidate.strip()):
            question = "\n".join(lines[:offset]).strip()
            answer = a_marker.sub("", candidate.strip(), count=1) + "\n" + "\n".join(lines[offset + 1 :])
            found = Found(question, line, "qa-lines")
            if answer.strip():
                found.answer.append(Fragment(answer.strip(), line + offset))
            return found
    return Found(text.strip(), line, "qa-lines")


def _question_items(block: Block, terms: str = "parts") -> list[Found | Unanswered] | None:
    """Cards for a list whose items are questions (bold, or ending in '?', with the answer nested),
    or, with `terms`, a glossary list ('- **Term**: definition')."""
    results: list[Found | Unanswered] = []
    beside: list[Unanswered] = []
    items = block.children()
    for item in items:
        parts = item.children()
        if not parts or parts[0].type != "paragraph_open":
            beside.append(Unanswered(item.start, "list item beside the cards of its list", item.source))
            continue
        lead = _LIST_MARKER.sub("", parts[0].source, count=1)
        bold = split_bold_lead(lead)
        kind = "question-list"
        if Q_MARKER.match(lead) and Q_MARKER.sub("", lead, count=1).strip():
            # '- **Q:** What …?' with its answer nested below ('  - *A:* …') or on the next line
            marked = _q_line(lead, item.start)
            lines = list(marked.answer) + [_unmarked(part) for part in parts[1:]]
            results.append(
                Found(marked.question_md, item.start, "qa-lines", lines)
                if lines
                else Unanswered(item.start, "question without an answer", marked.question_md)
            )
            continue
        term = split_term(lead)
        plain = split_plain_term(lead) if terms == "group" else None
        if bold:
            question, rest = bold
        elif lead.rstrip().endswith(("?", "？")) and "\n" not in lead.strip():
            question, rest = lead.strip(), ""
        elif _asks_first(lead):
            # '1. What is X?' with the answer on the item's next lines: the first line asks.
            question, rest = (part.strip() for part in lead.strip().split("\n", 1))
        elif term is not None and term[2] in {"group": ("colon", "verb"), "one": ("colon",)}.get(terms, ()):
            (question, rest, _), kind = term, "term"
        elif plain is not None:
            (question, rest), kind = plain, "term"
        else:
            beside.append(Unanswered(item.start, "list item beside the cards of its list", item.source))
            continue
        if kind == "term":
            answer: list[Part] = [Fragment(rest, item.start)]
        else:
            answer = [_after_bold_lead(parts[0], rest)] if rest else []
        answer.extend(parts[1:])
        if answer:
            results.append(Found(question, item.start, kind, answer))
        else:
            results.append(Unanswered(item.start, "question without an answer", question))
    if not results or 2 * len(results) < len(items):
        return None
    return sorted([*results, *beside], key=lambda found: found.line)


def _unmarked(part: Block) -> Part:
    """A nested list holding only '- *A:* answer' is the answer itself, without its marker."""
    if part.type not in ("bullet_list_open", "ordered_list_open"):
        return part
    items = part.children()
    if len(items) != 1:
        return part
    text = _LIST_MARKER.sub("", items[0].source, count=1)
    if not A_MARKER.match(text):
        return part
    return Fragment(A_MARKER.sub("", text, count=1).strip(), items[0].start)


def details_parts(blocks: list[Block], index: int) -> tuple[str, list[Part], int]:
    """The summary and the inside of a `<details>` block opening at `index`, and the index after it."""
    opening = blocks[index]
    match = _SUMMARY.search(opening.tokens[0].content)
    summary = re.sub(r"</?[A-Za-z][^<>]*>", "", match.group("q")).strip() if match else ""
    parts: list[Part] = []
    rest = match.group("rest") if match else opening.tokens[0].content
    closed = bool(_DETAILS_CLOSE.search(rest))
    rest = _DETAILS_CLOSE.split(rest)[0].strip()
    if rest:
        parts.append(Fragment(rest, opening.start + 1))
    index += 1
    while not closed and index < len(blocks):
        block = blocks[index]
        index += 1
        if block.type == "html_block" and _DETAILS_CLOSE.search(block.tokens[0].content):
            before = _DETAILS_CLOSE.split(block.tokens[0].content)[0].strip()
            if before:
                parts.append(Fragment(before, block.start))
            break
        parts.append(block)
    return summary, parts, index


def is_details(block: Part) -> bool:
    return isinstance(block, Block) and block.type == "html_block" and bool(_SUMMARY.search(block.tokens[0].content))


def is_toggle_details(block: Part) -> bool:
    """A `<details>` whose summary is a label such as 'Show answer' or '回答', not a question."""
    if not isinstance(block, Block) or block.type != "html_block":
        return False
    summary = _SUMMARY.search(block.tokens[0].content)
    return summary is not None and is_toggle_label(summary.group("q"))


def _take_details(
    blocks: list[Block], index: int, found: list[Found], unanswered: list[Unanswered], asked: Found | None
) -> tuple[int, bool]:
    """A `<details><summary>Q</summary> A </details>` card; returns the index after it, and whether
    the block answered `asked` (a question written just before a 'Show answer' toggle)."""
    opening = blocks[index]
    question, parts, index = details_parts(blocks, index)
    if is_toggle_label(question):
        if asked is not None and parts:
            asked.answer.extend(parts)
            return index, True
        unanswered.append(Unanswered(opening.start, "answer toggle without a question before it", question))
        return index, False
    card = Found(question, opening.start, "details", parts)
    if card.answer and question:
        found.append(card)
    else:
        unanswered.append(Unanswered(opening.start, "<details> block without a question or answer", question))
    return index, False


def _admonition(block: Block) -> Found | None:
    """`??? question "What is X?"` with an indented answer."""
    opening = block.tokens[0]
    inner = block.children()
    title = ""
    if inner and inner[0].type == "admonition_title_open" and inner[0].inline:
        title = inner[0].inline.content.strip()
        inner = inner[1:]
    kind = (opening.meta or {}).get("tag", "").lower()
    if not title or not inner:
        return None
    if kind not in QUESTION_ADMONITIONS and not looks_like_question(title):
        return None
    return Found(title, opening.map[0] if opening.map else 0, "admonition", list(inner))
