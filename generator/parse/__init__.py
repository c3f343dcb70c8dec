"""Parse: note shapes → Flashcards. Walks a note's heading tree; each section is a question, a topic or a
group, and its body may hold more questions (Q:/A: lines, bold questions, lists, <details>, tables). The
cards carry their answers rendered to Anki HTML (render.py) and their source line. `parse_source` reads
one note; `file.parse_file` wraps it with the file's diagnostics. Every block left off a card is listed
with its reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from markdown_it import MarkdownIt

from generator.model import Diagnostic, Flashcard, Skipped, SourceFile, SourceLocation
from generator.parse.blocks import Block, Outline, Section, section_tree, split_blocks
from generator.parse.formats import (
    Found,
    Fragment,
    Part,
    Unanswered,
    asks_alone,
    details_parts,
    is_details,
    is_toggle_details,
    scan_body,
    split_bold_lead,
    strip_answer_marker,
)
from generator.parse.render import render_inline, render_tokens
from generator.parse.sections import STEPS, defines_title, not_a_topic, numbered_heading, teaches
from generator.parse.tables import not_taught, table_cards
from generator.parse.text import (
    has_question_number,
    heading_kind,
    looks_like_question,
    only_numbering,
    plain_text,
    strip_numbering,
)
from generator.parse.tools import CLOZE, ToolCard, ToolResult, tool_cards
from generator.parse.words import (
    A_MARKER,
    ANSWER_WORDS,
    Q_DOT_MARKER,
    Q_MARKER,
    SOLUTION_WORDS,
    is_container_title,
    is_meta_title,
    is_placeholder,
    normal_label,
)
from generator.sources.media import MediaContext

_TOC_TITLES = re.compile(r"^(table of contents|contents|toc|index|目录|目錄)$", re.I)
_PIN = re.compile(r"^\s*<!--\s*id\s*:\s*(?P<id>[\w.:-]+)\s*-->\s*$", re.I)
_FRONT_MATTER_TITLE = re.compile(r"^title\s*[:=]\s*[\"']?(?P<t>.+?)[\"']?\s*$", re.M)


@dataclass(slots=True)
class ParsedFile:
    path: str
    title: str
    cards: list[Flashcard] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems found while rendering (images that are missing or not allowed)."""
    media: dict[str, Path] = field(default_factory=dict)
    """Flat media name → image file inside the notes folder, for the package."""
    digest: str = ""
    """SHA-256 of the note file's bytes."""
    images: tuple[Path, ...] = ()
    """Every image the note points to inside the folder, packed or missing (see media.py)."""


def parse_source(source: SourceFile, md: MarkdownIt, notes_dir: Path | None = None) -> ParsedFile:
    """Cards of one note. With `notes_dir`, local images resolve and are collected as media."""
    tools, text = tool_cards(source.text, source.syntax)
    lines = text.split("\n")
    tokens = md.parse(text)
    blocks = split_blocks(tokens, lines)
    front_matter = blocks[0].tokens[0].content if blocks and blocks[0].type == "front_matter" else ""
    root = section_tree(blocks)
    title_section = _document_title(root)
    title = _title(source.path, front_matter, title_section)
    media = MediaContext(notes_dir, source.path, lines)
    walker = _Walker(source.path, md, title, media)

    walker.preamble(root.body)
    for section in root.children:
        if section is title_section:
            walker.preamble(section.body, title_section)
            for child in section.children:
                walker.section(child, ())
        else:
            walker.section(section, ())
    walker.tool_cards(tools, _heading_lines(blocks, title_section))
    walker.cards += table_cards(tokens, md, source.path, title, title, {"media": media}, walker.answer_tables)
    walker.drop_repeated_terms(blocks, title_section)
    walker.cards.sort(key=lambda card: card.location.line)
    walker.skipped.sort(key=lambda item: item.location.line)
    return ParsedFile(
        source.path,
        title,
        walker.cards,
        walker.skipped,
        media.diagnostics,
        media.media,
        source.digest,
        tuple(sorted(media.images)),
    )


def _document_title(root: Outline) -> Section | None:
    """The file's one `#` heading, if it comes first: the subdeck name, never a card. A file without
    a `#` heading whose first heading holds all the others (a lone `## Attention`) is titled by it."""
    top = [section for section in root.children if section.level == 1]
    if len(top) == 1 and root.children[0] is top[0]:
        return top[0]
    if len(root.children) == 1 and root.children[0].level == 2 and root.children[0].children:
        return root.children[0]
    return None


def _title(path: str, front_matter: str, title_section: Section | None) -> str:
    match = _FRONT_MATTER_TITLE.search(front_matter)
    if match:
        return match.group("t").strip()
    if title_section is not None:
        title = plain_text(title_section.heading.inline)
        if title:
            return title
    stem = PurePosixPath(path).stem
    return re.sub(r"[-_]+", " ", stem).strip().title() or stem


class _Walker:
    def __init__(self, path: str, md: MarkdownIt, deck: str, media: MediaContext) -> None:
        self.path, self.md, self.deck = path, md, deck
        self.media = media
        self.cards: list[Flashcard] = []
        self.skipped: list[Skipped] = []
        self.answer_tables: set[int] = set()
        """First lines of the tables inside a question's answer: that answer's, not cards of their own."""

    # -- structure ---------------------------------------------------------------------------
    def preamble(self, blocks: list[Block], title: Section | None = None) -> None:
        """Text before the first section: cards written inside it count, the rest is an introduction,
        unless it defines the one thing the file's title names ('# Bloom filter' / 'A Bloom filter is …')."""
        if title is not None and defines_title(blocks, plain_text(title.heading.inline)):
            title_md = strip_numbering(title.title_source)
            self._emit(Found(title_md, title.heading.start, "topic", [b for b in blocks if b.type != "hr"]), ())
            return
        found, leftover, unanswered = scan_body(blocks)
        self._emit_all(found, unanswered, ())
        self._skip(leftover, "introduction, not under a question or topic heading")

    def section(self, section: Section, path: tuple[str, ...]) -> None:
        title_md = strip_numbering(section.title_source)
        title = strip_numbering(plain_text(section.heading.inline, drop_trailing_links=True))
        inner_path = path + (title,)
        if _TOC_TITLES.match(title.strip(" :：")):
            self._skip(section.all_blocks(), "table of contents")
            return
        if is_meta_title(title):
            self._skip(section.all_blocks(), "about the notes, not their subject (resources, tips, plans …)")
            return
        if _is_question_heading(section):
            self._question_section(section, path, title_md)
            return

        kind = heading_kind(title)
        body, children = self._answer_headings(section, inner_path)
        found, leftover, unanswered = scan_body(body, terms=kind)
        self._emit_all(found, unanswered, inner_path)
        content = [block for block in leftover if block.type != "hr"]
        terms_only = bool(found) and all(item.kind == "term" for item in found)
        # A table whose rows are cards of their own, or a table of data, is not text that teaches beside the terms.
        own = [block for block in content if not (block.type == "table_open" and not_taught(block.tokens))]
        if terms_only and (teaches(own) or (kind == "one" and own and not is_container_title(title))):
            # A section that explains something and defines a few terms on the way: both are cards.
            self._emit(Found(title_md, section.heading.start, "topic", list(section.body)), path)
        elif content and found:
            self._skip(content, "text beside the questions of this section")
        elif content and is_container_title(title):
            self._skip(content, "introduction to a part of the notes (a lecture, a quiz …), not a topic")
        elif content:
            reason = not_a_topic(content, has_more=bool(section.children))
            if reason:
                self._skip(content, reason)
            else:
                self._emit(Found(title_md, section.heading.start, "topic", list[Part](content)), path)
        elif not found and not section.children:
            self._skip_at(section.heading.start, "heading without a body", title)
        if STEPS.search(title) and len(children) > 1 and all(numbered_heading(c) for c in children):
            for child in children:
                self._skip(child.all_blocks(), "a step of a worked example, part of no question")
                self._skip_at(
                    child.heading.start, "a step of a worked example, part of no question", child.title_source
                )
            return
        for child in children:
            self.section(child, inner_path)

    def _answer_headings(self, section: Section, path: tuple[str, ...]) -> tuple[list[Block], list[Section]]:
        """'**1. What is X?**' over a '#### Answer:' heading: the question ends the text above the
        heading, the answer is the heading's section (whose last paragraph may ask the next one).
        Returns the body and the sub-sections left to read as usual."""
        body, children = list(section.body), []
        above: list[Block] = body
        pairs: list[tuple[Block, list[Block], list[Block]]] = []
        for child in section.children:
            if _is_answer_heading(child.heading) and above and _asks_above(above[-1]):
                answer = list(child.body)
                pairs.append((above.pop(), answer, child.all_blocks()[len(child.body) :]))
                above = answer
            else:
                children.append(child)
                above = []
        for question, answer, below in pairs:
            bold = split_bold_lead(question.source)
            text = bold[0] if bold else Q_MARKER.sub("", question.source, count=1)
            self._emit(Found(text, question.start, "answer-heading", [*answer, *below]), path)
        return body, children

    def _question_section(self, section: Section, path: tuple[str, ...], title_md: str) -> None:
        """A question heading: its answer runs to the next heading of the same or a higher level,
        except sub-headings that are questions themselves, which become cards of their own."""
        body = [b for b in section.body if b.type != "hr"]
        if body and is_toggle_details(body[0]):
            self._toggled_section(section, path, title_md)
            return
        blocks = [b for b in section.all_blocks(keep=lambda s: not _is_question_heading(s)) if b.type != "hr"]
        blocks = [b for b in blocks if not _is_answer_heading(b)]
        cut = next((i for i, b in enumerate(blocks) if i and _opens_question(b)), len(blocks))
        blocks, below = blocks[:cut], blocks[cut:]
        if below:
            # 'Q: …' lines or a '<details>' asking its own question below the answer: cards of their own.
            more, leftover, unanswered = scan_body(below)
            self._emit_all(more, unanswered, path + (strip_numbering(plain_text(section.heading.inline)),))
            self._skip(leftover, "text beside the questions of this section")
        found = Found(title_md, section.heading.start, "heading", answer=list[Part](blocks))
        if only_numbering(title_md) and len(blocks) > 1 and blocks[0].type == "paragraph_open":
            # '### Question 4' over the question itself: the paragraph asks, the heading only numbers it.
            found = Found(blocks[0].source, blocks[0].start, "heading", answer=list[Part](blocks[1:]))
            blocks = blocks[1:]
        marked = next(
            ((i, line) for i, b in enumerate(blocks[:4]) if (line := _answer_marker_line(b)) is not None), None
        )
        if marked is not None:
            # Text before "**A:**" is more of the question; the marker itself goes.
            marker, split = marked
            block = blocks[marker]
            lines = block.source.split("\n")
            before = "\n".join(lines[:split]).strip()
            after = A_MARKER.sub("", "\n".join(lines[split:]).strip(), count=1)
            found.front_extra = [*blocks[:marker], *([Fragment(before, block.start)] if before else [])]
            head: list[Part]
            if split == 0 and strip_answer_marker(block):  # the common case, without a second parse
                head = [block] if block.inline and block.inline.children else []
            else:
                head = [Fragment(after, block.start + split)] if after.strip() else []
            found.answer = [*head, *blocks[marker + 1 :]]
        self._emit_all([found], [], path)
        inner_path = path + (strip_numbering(plain_text(section.heading.inline, drop_trailing_links=True)),)
        for child in _question_descendants(section):
            self.section(child, inner_path)

    def _toggled_section(self, section: Section, path: tuple[str, ...], title_md: str) -> None:
        """'### Question' over a 'Show answer' toggle: the toggle is the answer; what follows it is
        read like any body (more questions with their own toggles), and sub-headings as sections."""
        body = list(section.body)
        start = next(i for i, b in enumerate(body) if b.type != "hr")
        _, parts, after = details_parts(body, start)
        self._emit(Found(title_md, section.heading.start, "heading", parts), path)
        inner_path = path + (strip_numbering(plain_text(section.heading.inline, drop_trailing_links=True)),)
        found, leftover, unanswered = scan_body(body[after:], terms="parts")
        self._emit_all(found, unanswered, inner_path)
        self._skip([b for b in leftover if b.type != "hr"], "text after the answer of this question")
        for child in section.children:
            self.section(child, inner_path)

    def tool_cards(self, tools: ToolResult, headings: list[tuple[int, int, str]]) -> None:
        """Cards written in other tools' syntax (parse/tools.py), under the headings above them."""
        for line, reason, text in tools.notes:
            self._skip_at(line, reason, text)
        for card in tools.cards:
            path: list[tuple[int, str]] = []
            for start, level, title in headings:
                if start > card.line:
                    break
                path = [item for item in path if item[0] < level] + [(level, title)]
            context = tuple(title for _, title in path)
            if card.cloze:
                self._emit_cloze(card, context)
            else:
                self._emit(Found(card.front, card.line, card.kind, [Fragment(card.back, card.line)]), context)

    def _emit_cloze(self, card: ToolCard, path: tuple[str, ...]) -> None:
        if not CLOZE.search(card.front):
            self._skip_at(card.line, "cloze note without a deletion", card.front)
            return
        self.media.line = card.line
        env = {"media": self.media}
        text_html = render_tokens(self.md, self.md.parse(card.front, env), env).strip()
        if text_html.startswith("<p>") and text_html.endswith("</p>") and text_html.count("<p>") == 1:
            text_html = text_html[3:-4]
        extra_html = render_tokens(self.md, self.md.parse(card.back, env), env).strip() if card.back else ""
        question = re.sub(r"\s+", " ", card.front).strip()
        self.cards.append(
            Flashcard(
                question=question,
                question_html=text_html,
                answer_md=card.back,
                answer_html=extra_html,
                location=SourceLocation(self.path, card.line + 1),
                heading_path=path,
                deck=self.deck,
                kind="cloze",
            )
        )

    def drop_repeated_terms(self, blocks: list[Block], title: Section | None) -> None:
        """A term defined again inside another card ('- **Input**: …' under a framework, where
        '### Input' is a card of its own) is part of that card, not a second card."""
        headings = {
            _key(plain_text(b.inline, drop_trailing_links=True))
            for b in blocks
            if b.type == "heading_open" and (title is None or b is not title.heading)
        }
        others = {_key(_SUBJECT.sub("", card.question)) for card in self.cards if card.kind != "term"} | headings
        kept = []
        for card in self.cards:
            if card.kind == "term" and _key(card.question) in others:
                self._skip_at(card.location.line - 1, "term defined again inside another card", card.question)
            else:
                kept.append(card)
        self.cards = kept

    # -- cards -------------------------------------------------------------------------------
    def _emit_all(self, found: list[Found], unanswered: list[Unanswered], path: tuple[str, ...]) -> None:
        for card in found:
            self._emit(card, path)
        for question in unanswered:
            self._skip_at(question.line, question.reason, question.text)

    def _emit(self, found: Found, path: tuple[str, ...]) -> None:
        pinned, answer = _take_pin(found.answer)
        answer_md = "\n\n".join(_source(part) for part in answer)
        question_md = strip_numbering(found.question_md).rstrip(" \t:：")
        if answer and is_placeholder(A_MARKER.sub("", _source(answer[0]).lstrip(), count=1)):
            # 'A: TODO' (a table or a picture may follow it): the question is not answered yet.
            self._skip_at(found.line, "question without an answer (only a placeholder such as 'TODO')", question_md)
            for part in answer[1:]:
                self._skip_at(_line(part), "text after a placeholder answer", _source(part))
            return
        answer_html = "\n".join(filter(None, (self._render(part) for part in answer)))
        if not answer_html.strip():
            self._skip_at(found.line, "question without an answer", question_md)
            return
        self.media.line = found.line
        inline = self.md.parseInline(question_md, {"media": self.media})[0]
        question_html = render_inline(self.md, inline.children or [], {"media": self.media})
        extra = "\n".join(filter(None, (self._render(part) for part in found.front_extra)))
        if extra:
            question_html += f'\n<div class="question-detail">{extra}</div>'
        if found.kind not in ("topic", "term"):  # a topic or a term can sit over a table that teaches on its own
            self.answer_tables |= {
                part.start for part in answer if isinstance(part, Block) and part.type == "table_open"
            }
        self.cards.append(
            Flashcard(
                question=plain_text(inline, drop_trailing_links=True) or question_md,
                question_html=question_html,
                answer_md=answer_md,
                answer_html=answer_html,
                location=SourceLocation(self.path, found.line + 1),
                heading_path=path,
                deck=self.deck,
                kind=found.kind,
                pinned_id=pinned,
            )
        )

    def _render(self, part: Part) -> str:
        env = {"media": self.media}
        if isinstance(part, Fragment):
            self.media.line = part.line
            return render_tokens(self.md, self.md.parse(part.text, env), env)
        self.media.line = part.start
        return render_tokens(self.md, part.tokens, env)

    def _skip(self, blocks: list[Block], reason: str) -> None:
        for block in blocks:
            if block.type not in ("hr", "front_matter"):
                self._skip_at(block.start, reason, block.source)

    def _skip_at(self, line: int, reason: str, text: str) -> None:
        self.skipped.append(Skipped(SourceLocation(self.path, line + 1), reason, text.strip()[:200]))


def _is_question_heading(section: Section) -> bool:
    title = plain_text(section.heading.inline, drop_trailing_links=True)
    if looks_like_question(title) or has_question_number(section.title_source):
        return True
    body = [block for block in section.body if block.type != "hr"]
    if body and is_toggle_details(body[0]):
        return True  # '### Statement' over a 'Show answer' toggle
    for block in body[:4]:
        if _asks_itself(block):
            return False  # the '**Answer:**' below answers that question, not the heading
        if _answer_marker_line(block) is not None:
            return True
    return False


def _opens_question(block: Block) -> bool:
    """A block that asks a new question, whatever is above it: a 'Q:' line, or a '<details>' whose
    summary is a question rather than a 'Show answer' toggle."""
    if block.type == "paragraph_open":
        return bool(Q_MARKER.match(block.source))
    return is_details(block) and not is_toggle_details(block)


def _is_answer_heading(block: Block) -> bool:
    """'#### Answer:' under a question: a marker, not words of the answer."""
    if block.type != "heading_open":
        return False
    text = plain_text(block.inline).strip()
    label = normal_label(text)
    return bool(text) and (label in ANSWER_WORDS or label in SOLUTION_WORDS or bool(A_MARKER.fullmatch(text + " ")))


def _asks_itself(block: Block) -> bool:
    """A body paragraph that asks a question of its own (so an answer marker below is its answer)."""
    if block.type != "paragraph_open":
        return False
    source = block.source
    return bool(Q_MARKER.match(source) or Q_DOT_MARKER.match(source) or split_bold_lead(source) or asks_alone(source))


def _asks_above(block: Block) -> bool:
    """The paragraph above an '#### Answer' heading that asks: a bold or marked question, or one line
    ending in a question mark."""
    if _asks_itself(block):
        return True
    return (
        block.type == "paragraph_open"
        and "\n" not in block.source.strip()
        and block.source.rstrip().endswith(("?", "？"))
    )


def _question_descendants(section: Section) -> list[Section]:
    """Question sub-headings at any depth below non-question ones: they are cards of their own."""
    found = []
    for child in section.children:
        if _is_question_heading(child):
            found.append(child)
        else:
            found.extend(_question_descendants(child))
    return found


def _answer_marker_line(block: Block) -> int | None:
    """Index of the paragraph line that starts with an 'A:' marker, if any."""
    if not isinstance(block, Block) or block.type != "paragraph_open":
        return None
    for index, line in enumerate(block.source.split("\n")):
        if A_MARKER.match(line.strip()):
            return index
    return None


def _heading_lines(blocks: list[Block], title: Section | None) -> list[tuple[int, int, str]]:
    """(0-based line, level, words) of every heading but the file's title."""
    return [
        (b.start, int(b.tokens[0].tag[1]), strip_numbering(plain_text(b.inline, drop_trailing_links=True)))
        for b in blocks
        if b.type == "heading_open" and (title is None or b is not title.heading)
    ]


# 'What is vLLM?' asks for the definition of the term 'vLLM': the same card.
_SUBJECT = re.compile(
    r"^\s*(?:what(?:'s| is| are)|who(?:'s| is| are)|define|explain|was ist|qu'est-ce que|qué es|o que é|что такое|là gì)"
    r"\s+(?:an?\s+|the\s+)?|^\s*(?:什么是|什麼是)",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", strip_numbering(text).lower()))


def _take_pin(parts: list[Part]) -> tuple[str, list[Part]]:
    """An `<!-- id: … -->` the author wrote to pin the card's identity by hand."""
    for index, part in enumerate(parts):
        if isinstance(part, Block) and part.type == "html_block":
            match = _PIN.match(part.tokens[0].content)
            if match:
                return match.group("id"), parts[:index] + parts[index + 1 :]
    return "", parts


def _line(part: Part) -> int:
    return part.line if isinstance(part, Fragment) else part.start


def _source(part: Part) -> str:
    return part.text if isinstance(part, Fragment) else part.source


__all__ = ["ParsedFile", "parse_source"]
