"""The data that flows between stages: plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

CLOZE_KIND = "cloze"
"""Flashcards of this kind are cloze notes: question_html holds the Text ({{c1::…}}), answer_html the Extra."""
ACRONYM_KIND = "acronym"
"""Cloze notes the concept graph makes, one per acronym (their own note type, which users have)."""


def pickled_by_fields(cls):
    """Pickle instances as `cls(*fields)`: loading the build cache (tens of thousands of these) takes
    about half the time of dataclasses' slot-by-slot state."""
    names = tuple(cls.__dataclass_fields__)

    def __reduce__(self):
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__
    return cls


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in the notes, for messages and for the card's Source field."""

    path: str
    """Path relative to the notes folder, with forward slashes."""
    line: int
    """1-based line number."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


ACRONYM_KIND = "acronym"
"""Flashcards of this kind are cloze notes made from the concept graph: question_html holds the Text,
answer_html the Extra."""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Flashcard:
    """One question and its answer, as found in a note file."""

    question: str
    """Plain-text question (numbering and markup removed): the card's identity and search text."""
    question_html: str
    """The front, rendered for Anki."""
    answer_md: str
    """Markdown source of the answer, as the author wrote it (for fingerprints and lint)."""
    answer_html: str
    """The back, rendered for Anki."""
    location: SourceLocation
    """Where the question starts."""
    heading_path: tuple[str, ...]
    """Section headings above the card, outermost first, without the document title."""
    deck: str
    """Subdeck name: the title of the note file."""
    kind: str
    """Which note format produced the card (heading, topic, bold-question, qa-lines …)."""
    guid: str = ""
    """Anki note GUID, assigned by the identity stage."""
    tags: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    """Concept names the card mentions (filled by the concept stage)."""
    related: tuple[str, ...] = ()
    """Human-readable relations of those concepts, e.g. "QLoRA — extends LoRA"."""
    pinned_id: str = ""
    """An ID the author pinned by hand with an `<!-- id: … -->` comment."""

    @property
    def context(self) -> str:
        return " › ".join(self.heading_path)

    def evolve(self, **changes) -> Flashcard:
        """A copy with `changes`: dataclasses.replace without its per-call introspection (this runs
        for every card in every build)."""
        values = {name: getattr(self, name) for name in _FLASHCARD_FIELDS}
        values.update(changes)
        return Flashcard(**values)


_FLASHCARD_FIELDS = tuple(Flashcard.__dataclass_fields__)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Skipped:
    """A block of the notes that did not become a card, and why: nothing is dropped silently."""

    location: SourceLocation
    reason: str
    text: str = ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A warning or error tied to a place in the notes."""

    location: SourceLocation | None
    message: str
    severity: str = "warning"
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message}"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CardSyntax:
    """How the flashcard plugins of the note's Obsidian vault mark cards (their documented defaults
    when the vault has no settings for them): read by sources/vault.py, used by parse/tools.py."""

    card_tags: tuple[str, ...] = ("#flashcards",)
    """Spaced Repetition: a note carrying one of these tags (or one nested under it) holds cards."""
    inline: str = "::"
    inline_reversed: str = ":::"
    multiline: str = "?"
    multiline_reversed: str = "??"
    multiline_end: str = ""
    """Spaced Repetition's `multilineCardEndMarker`: a multi-line card ends at this line when set (its
    back may then hold blank lines), else at the first blank line."""
    highlight_clozes: bool = True
    bold_clozes: bool = False
    curly_clozes: bool = False
    cloze_patterns: tuple[str, ...] = ()
    """Spaced Repetition's own cloze patterns, e.g. '{@{[123;;]answer[;;hint]}@}'."""
    custom_regexps: tuple[tuple[str, str], ...] = ()
    """Obsidian_to_Anki: (note type, regular expression whose groups are the fields)."""


@dataclass(slots=True)
class SourceFile:
    """A note file, read and repaired."""

    path: str
    """Relative to the notes folder, forward slashes."""
    text: str
    digest: str
    """SHA-256 of the raw bytes: the cache key for parsing."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    repaired_lines: tuple[int, ...] = ()
    """1-based lines whose mojibake was repaired."""
    syntax: CardSyntax = field(default_factory=CardSyntax)
    """The card syntax of the flashcard plugins the note was written for."""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an edge exists: the sentence it was read from, or a registry declaration."""

    text: str
    location: str
    """`file.md:12`, or `declared in the registry`."""


@dataclass(frozen=True, slots=True)
class Concept:
    """A node of the concept map: one idea under all the names the notes use for it."""

    name: str
    aliases: tuple[str, ...] = ()
    topic: str = ""
    definition: str = ""
    defined_at: SourceLocation | None = None
    """Where the notes define it (an acronym expansion, a bold definition, a 'What is X?' card)."""
    cards: tuple[str, ...] = ()
    """GUIDs of the cards that mention it."""
    sources: tuple[str, ...] = ()
    """`file:line` of those cards, in the same order."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed edge; see generator/link.py for which way each type points."""

    source: str
    target: str
    type: str
    evidence: tuple[Evidence, ...]
    weight: float = 1.0
