"""Comparison tables → cards: only what the table says, nothing invented, empty cells skipped.

A table is a comparison table when it has a header row, at least two data rows and at least two
columns, and its first column names things. Two shapes:

- items in rows (`| Technique | Strength | Weakness |`): one card per row, "SFT — Strength,
  Weakness?", answered by that row's cells under their column names (kind `table-row`);
- items in columns (`| Aspect | vLLM | sglang |`, the first header cell is "Aspect", "Feature",
  "Criterion" … or empty): one card per cell, "vLLM — Primary Focus?" → the cell (kind `table-cell`).

Two more: a glossary (`| Term | Definition |`, kind `table-term`) and a table of questions
(`| Question | Answer |`, kind `table-qa`): one card per row, the term or question on the front.

The whole table is on the back of every card but a `table-qa` one, for context. The cards are ordinary Flashcards, so
they go through the ID lockfile like any other card; their question text changes only when the
table's item or column names change.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.model import Flashcard, SourceLocation
from generator.parse.render import render_tokens
from generator.parse.text import plain_text, strip_numbering
from generator.parse.words import ANSWER_WORDS, QUESTION_WORDS, SOLUTION_WORDS, normal_label

TABLE_TAG = "deckgraph::table"
"""Every card made from a table carries it: a user finds, suspends or deletes them all in one search."""

TRANSPOSED_HEADERS = {
    "",
    "aspect",
    "aspects",
    "feature",
    "features",
    "criterion",
    "criteria",
    "property",
    "properties",
    "dimension",
    "attribute",
    "characteristic",
}


def table_cards(
    tokens: list[Token],
    md: MarkdownIt,
    path: str,
    deck: str,
    title: str,
    env: dict | None = None,
    answered: Collection[int] = (),
) -> list[Flashcard]:
    """Cards of every comparison table in `tokens`, except those starting on a line in `answered`
    (a table under a question is part of its answer: 'What is the difference between L1 and L2?')."""
    cards: list[Flashcard] = []
    headings: list[tuple[int, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and index + 1 < len(tokens):
            level = int(token.tag[1:])
            text = strip_numbering(plain_text(tokens[index + 1]))
            headings = [h for h in headings if h[0] < level] + [(level, text)]
        elif token.type == "table_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            path_ = tuple(text for level, text in headings if not (level == 1 and text == title))
            if (token.map or [0])[0] not in answered:
                cards += _cards(tokens[index : end + 1], md, path, deck, path_, env)
            index = end
        index += 1
    return cards


_TERM_HEADERS = re.compile(
    r"^(?:terms?|concepts?|words?|names?|keywords?|abbreviations?|acronyms?|glossary|notions?|termes?|términos?"
    r"|termos?|begriffe?|термины?|понятия?|thuật ngữ|khái niệm|术语|術語|概念|名词|名詞|用語|용어|개념)$",
    re.I,
)
_MEANING_HEADERS = re.compile(
    r"^(?:definitions?|meanings?|descriptions?|explanations?|stands for|expansion|définitions?|significations?"
    r"|definición|definiciones|significado|descripción|definição|significado|bedeutung|beschreibung|erklärung"
    r"|определение|значение|описание|định nghĩa|ý nghĩa|giải thích|定义|定義|含义|含義|解释|解釋|说明|説明|意味"
    r"|정의|의미|설명)$",
    re.I,
)


def is_glossary_header(header: list[str]) -> bool:
    """'| Term | Definition |', '| 用語 | 意味 |': a two-column table of terms and what they mean."""
    first, second = (text.strip(" :*") for text in header[:2])
    return bool(_MEANING_HEADERS.match(second) or (_TERM_HEADERS.match(first) and second))


def is_qa_header(header: list[str]) -> bool:
    """'| Question | Answer |', '| 问题 | 答案 |', '| Q | A |': a table of questions and their answers."""
    first, second = (normal_label(text) for text in header[:2])
    return first in QUESTION_WORDS and (second in ANSWER_WORDS or second in SOLUTION_WORDS)


_NUMBER = re.compile(r"^[\s$€£¥+\-−]*\d[\d\s.,:/%]*[a-zA-Z%]{0,3}$")


def _says(cell: Token) -> bool:
    """A cell with words or a value in it, not a placeholder ('…', '-', '?')."""
    return bool(re.search(r"\w", plain_text(cell)))


def is_data_table(rows: list[tuple[int, list[Token]]]) -> bool:
    """Rows of measurements (first column numbers or ids, most cells numbers, or a column that holds
    only numbers, such as a count per row): data, not a comparison."""
    body = [cells for _, cells in rows[1:] if cells]
    if not body:
        return False
    first = [plain_text(cells[0]) for cells in body]
    if sum(bool(_NUMBER.match(text)) for text in first) * 2 > len(first):
        return True
    width = min(len(cells) for cells in body)
    if len(body) >= 3 and any(
        all(_NUMBER.match(plain_text(cells[column])) for cells in body) for column in range(1, width)
    ):
        return True
    values = [plain_text(cell) for cells in body for cell in cells[1:]]
    return bool(values) and sum(bool(_NUMBER.match(v)) for v in values) * 4 > len(values) * 3


def card_table(table: list[Token]) -> bool:
    """Whether `table_cards` makes cards of this table (its tokens, table_open … table_close)."""
    rows = _rows(table)
    if len(rows) < 3 or len(rows[0][1]) < 2:
        return False
    header = [plain_text(cell) for cell in rows[0][1]]
    body = [cells for _, cells in rows[1:] if cells and plain_text(cells[0]) and any(_says(c) for c in cells[1:])]
    return len(body) >= 2 and all(header[1:]) and not is_data_table(rows)


def not_taught(table: list[Token]) -> bool:
    """A table that teaches nothing beside the cards around it: its rows are cards, or it holds data."""
    return card_table(table) or is_data_table(_rows(table))


def table_rows(table: list[Token]) -> list[tuple[int, list[Token]]]:
    return _rows(table)


def _rows(table: list[Token]) -> list[tuple[int, list[Token]]]:
    """(0-based line, the cells' inline tokens) for every row, header first."""
    rows: list[tuple[int, list[Token]]] = []
    current: list[Token] | None = None
    line = 0
    for token in table:
        if token.type == "tr_open":
            current, line = [], (token.map or [0])[0]
        elif token.type == "inline" and current is not None:
            current.append(token)
        elif token.type == "tr_close" and current is not None:
            rows.append((line, current))
            current = None
    return rows


def _cards(
    table: list[Token], md: MarkdownIt, path: str, deck: str, heading_path: tuple[str, ...], env: dict | None
) -> list[Flashcard]:
    rows = _rows(table)
    if len(rows) < 3 or len(rows[0][1]) < 2:
        return []
    header = [plain_text(cell) for cell in rows[0][1]]
    body = [(line, cells) for line, cells in rows[1:] if cells and plain_text(cells[0])]
    body = [(line, cells) for line, cells in body if any(_says(cell) for cell in cells[1:])]
    if len(body) < 2 or not all(header[1:]) or is_data_table(rows):
        return []
    context = f'<div class="table-context">{render_tokens(md, table, env)}</div>'

    def cell_html(cell: Token) -> str:
        return md.renderer.render(cell.children or [], md.options, env or {}).strip()

    def card(question: str, answer_md: str, answer_html: str, line: int, kind: str) -> Flashcard:
        # The whole table on the back gives context, except in a table of questions: there it holds the others' answers.
        return Flashcard(
            question=question,
            question_html=html.escape(question),
            answer_md=answer_md,
            answer_html=answer_html if kind == "table-qa" else answer_html + "\n" + context,
            location=SourceLocation(path, line + 1),
            heading_path=heading_path,
            deck=deck,
            kind=kind,
            tags=(TABLE_TAG,),
        )

    cards = []
    if is_qa_header(header):
        # '| Question | Answer |': the question cell is the front, the answer cell the back.
        for line, cells in body:
            answer = cells[1] if len(cells) > 1 else None
            if answer is not None and plain_text(answer):
                question = plain_text(cells[0])
                cards.append(card(question, answer.content, f"<p>{cell_html(answer)}</p>", line, "table-qa"))
        return cards
    if len(header) == 2 and is_glossary_header(header):
        # '| Term | Definition |': a glossary, one card per term, the term on the front.
        for line, cells in body:
            term, meaning = plain_text(cells[0]), cells[1] if len(cells) > 1 else None
            if meaning is not None and plain_text(meaning):
                cards.append(card(term, meaning.content, f"<p>{cell_html(meaning)}</p>", line, "table-term"))
        return cards
    if header[0].strip().lower() in TRANSPOSED_HEADERS:
        for line, cells in body:
            aspect = plain_text(cells[0]).rstrip(" :?")
            for column, cell in enumerate(cells[1:], start=1):
                if column < len(header) and plain_text(cell):
                    cards.append(
                        card(
                            f"{header[column]} — {aspect}?",
                            cell.content,
                            f"<p>{cell_html(cell)}</p>",
                            line,
                            "table-cell",
                        )
                    )
    else:
        for line, cells in body:
            item = plain_text(cells[0])
            filled = [
                (header[c], cell) for c, cell in enumerate(cells[1:], start=1) if c < len(header) and plain_text(cell)
            ]
            if filled:
                question = f"{item} — {', '.join(name for name, _ in filled)}?"
                answer_md = "\n".join(f"{name}: {cell.content}" for name, cell in filled)
                answer_html = (
                    "<dl>"
                    + "".join(f"<dt>{html.escape(name)}</dt><dd>{cell_html(cell)}</dd>" for name, cell in filled)
                    + "</dl>"
                )
                cards.append(card(question, answer_md, answer_html, line, "table-row"))
    return cards
