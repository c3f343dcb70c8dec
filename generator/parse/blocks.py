"""Group markdown-it's flat token stream into blocks, list items and a tree of heading sections."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token


@dataclass(slots=True)
class Block:
    """One block-level element (paragraph, list, fence, table …) with its source lines."""

    tokens: list[Token]
    lines: list[str]
    """All lines of the file, shared, to recover the block's source text."""

    @property
    def type(self) -> str:
        return self.tokens[0].type

    @property
    def start(self) -> int:
        """0-based first line."""
        return self.tokens[0].map[0] if self.tokens[0].map else 0

    @property
    def end(self) -> int:
        """0-based line after the block."""
        return self.tokens[0].map[1] if self.tokens[0].map else self.start + 1

    @property
    def source(self) -> str:
        return textwrap.dedent("\n".join(self.lines[self.start : self.end])).strip("\n")

    @property
    def inline(self) -> Token | None:
        """The inline token of a paragraph or heading."""
        if len(self.tokens) > 1 and self.tokens[1].type == "inline":
            return self.tokens[1]
        return None

    def children(self) -> list[Block]:
        """Blocks directly inside this one (list items of a list, blocks of an item …)."""
        level = self.tokens[0].level + 1
        return split_blocks(self.tokens[1:-1], self.lines, level)


def split_blocks(tokens: list[Token], lines: list[str], level: int = 0) -> list[Block]:
    blocks: list[Block] = []
    start: int | None = None
    for index, token in enumerate(tokens):
        if token.level != level:
            continue
        if token.nesting == 1:
            start = index
        elif token.nesting == -1 and start is not None:
            blocks.append(Block(tokens[start : index + 1], lines))
            start = None
        elif token.nesting == 0 and start is None:
            blocks.append(Block(tokens[index : index + 1], lines))
    return blocks


@dataclass(slots=True)
class Section:
    """A heading with the blocks under it, up to the next heading of the same or a higher level."""

    level: int
    """1 to 6, the heading's level."""
    heading: Block
    body: list[Block] = field(default_factory=list)
    """The section's own blocks, before its first sub-heading."""
    children: list[Section] = field(default_factory=list)

    @property
    def title_source(self) -> str:
        return self.heading.inline.content.strip() if self.heading.inline else ""

    @property
    def line(self) -> int:
        """1-based line of the heading."""
        return self.heading.start + 1

    def all_blocks(self, keep: Callable[[Section], bool] = lambda section: True) -> list[Block]:
        """Body and sub-sections (headings included) in order, leaving out sub-sections `keep` rejects."""
        blocks = list(self.body)
        for child in self.children:
            if keep(child):
                blocks.append(child.heading)
                blocks.extend(child.all_blocks(keep))
        return blocks


@dataclass(slots=True)
class Outline:
    """A whole file: the blocks before its first heading, and its top sections."""

    body: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


def section_tree(blocks: list[Block]) -> Outline:
    root = Outline()
    stack: list[Section] = []
    for block in blocks:
        if block.type == "heading_open":
            level = int(block.tokens[0].tag[1])
            while stack and stack[-1].level >= level:
                stack.pop()
            section = Section(level=level, heading=block)
            (stack[-1].children if stack else root.children).append(section)
            stack.append(section)
        else:
            (stack[-1].body if stack else root.body).append(block)
    return root
