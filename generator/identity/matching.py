"""Edit-proof note GUIDs, decided by the ID lockfile: a card keeps its GUID when it is reworded,
edited, renumbered, moved to another section or file, or its file is renamed.

Matching runs from the surest evidence to the weakest: pinned IDs, then identical content, then
the same question, then a fuzzy pass (rapidfuzz) guarded so that two different questions are never
merged. Cards nothing matches get a new GUID from their words; lock entries nothing matches are
marked removed.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

import genanki
from rapidfuzz import fuzz, process

from generator.identity.lockfile import LockEntry, Lockfile
from generator.model import Diagnostic, Flashcard

# Words whose presence or absence does not change what a question asks.
_FUNCTION_WORDS = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "what",
        "whats",
        "which",
        "who",
        "how",
        "why",
        "when",
        "where",
        "does",
        "do",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "there",
        "their",
        "them",
        "they",
        "you",
        "your",
        "we",
        "our",
        "i",
        "me",
        "my",
        "vs",
        "versus",
        "between",
        "difference",
        "differ",
        "differs",
        "different",
        "compare",
        "explain",
        "describe",
        "define",
        "give",
        "examples",
        "example",
        "e",
        "g",
        "eg",
        "use",
        "used",
        "using",
        "about",
        "also",
        "other",
        "others",
    ]
)

QUESTION_ALONE = 88
"""Question similarity that, with a loosely similar answer, says it is the same card."""
ANSWER_ALONE = 90
"""Answer similarity that says a reworded question is the same card."""


_DASHES = re.compile(r"[\u2010-\u2015\-]")
_PUNCTUATION = re.compile(r"[^\w\s]")
_ANSWER_MARKUP = re.compile(r"[*_`#>|$\\\[\](){}=+~-]+")


def normalize_question(text: str) -> str:
    """Case, spacing, punctuation and dash style do not change what is asked."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DASHES.sub(" ", text)
    text = _PUNCTUATION.sub("", text)
    return " ".join(text.split())


def plain_answer(answer_md: str) -> str:
    text = _ANSWER_MARKUP.sub(" ", answer_md.lower())
    return " ".join(text.split())


def fingerprint(card: Flashcard) -> LockEntry:
    answer = plain_answer(card.answer_md)
    return LockEntry(
        file=card.location.path,
        heading_path=list(card.heading_path),
        question=normalize_question(card.question),
        text=card.question,
        answer_hash=hashlib.sha256(answer.encode()).hexdigest()[:16],
        answer_excerpt=answer[:240],
        deck=card.deck,
        line=card.location.line,
    )


def content_guid(card: Flashcard, salt: str = "") -> str:
    return genanki.guid_for("deckgraph", normalize_question(card.question), salt)


@dataclass(slots=True)
class IdentityResult:
    cards: list[Flashcard]
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """GUIDs that left the notes in this build."""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def assign_identities(
    cards: list[Flashcard], lock: Lockfile, now: int, prints: list[LockEntry] | None = None
) -> IdentityResult:
    """Give every card its GUID and bring the lockfile up to date (removals included).
    `prints` are the cards' fingerprints when already known (from the build cache)."""
    prints = [p.copy() for p in prints] if prints is not None else [fingerprint(card) for card in cards]
    matcher = _Matcher(cards, prints, lock.entries)
    guids = matcher.run()
    result = IdentityResult(
        cards=[card.evolve(guid=guid) for card, guid in zip(cards, guids)], diagnostics=matcher.diagnostics
    )

    for _card, guid, new in zip(cards, guids, prints):
        old = lock.entries.get(guid)
        if old is None:
            result.added.append(guid)
        elif old.removed:
            # Back in the notes: Anki holds the removed version, stamped when it was removed, so the
            # live one must be newer still (an empty hash makes the stamping stage re-stamp it).
            result.added.append(guid)
            new.fields_hash, new.mod = "", max(old.mod, old.removed_at)
        else:
            content = (old.question, old.answer_hash) != (new.question, new.answer_hash)
            place = (old.file, old.heading_path) != (new.file, new.heading_path)
            if content:
                result.changed.append(guid)
            if place:
                result.moved.append(guid)
            if not content and not place:
                result.unchanged.append(guid)
            new.fields_hash, new.mod = old.fields_hash, old.mod
        lock.entries[guid] = new
    live = set(guids)
    for guid, entry in lock.entries.items():
        if guid not in live and not entry.removed:
            entry.removed_at = max(now, entry.mod + 1)
            result.removed.append(guid)
    return result


class _Matcher:
    def __init__(self, cards: list[Flashcard], prints: list[LockEntry], entries: dict[str, LockEntry]) -> None:
        self.cards, self.prints, self.entries = cards, prints, entries
        self.guids: list[str | None] = [None] * len(cards)
        self.taken: set[str] = set()
        self.diagnostics: list[Diagnostic] = []

    def run(self) -> list[str]:
        self._pinned()
        self._by_key(lambda p: (p.question, p.answer_hash))
        self._by_key(lambda p: p.question)
        self._fuzzy()
        self._new()
        return self.guids  # type: ignore[return-value]

    def _open(self) -> list[int]:
        return [i for i, guid in enumerate(self.guids) if guid is None]

    def _take(self, index: int, guid: str) -> None:
        self.guids[index] = guid
        self.taken.add(guid)

    def _pinned(self) -> None:
        for index, card in enumerate(self.cards):
            if not card.pinned_id:
                continue
            if card.pinned_id in self.taken:
                self.diagnostics.append(
                    Diagnostic(
                        card.location,
                        f"ID {card.pinned_id!r} is pinned twice; this card gets a new one",
                        "warning",
                        "duplicate-pin",
                    )
                )
                continue
            self._take(index, card.pinned_id)

    def _by_key(self, key) -> None:
        """One-to-one matches on an exact key; among several, the one in the same file and section."""
        by_key: dict[object, list[str]] = {}
        for guid, entry in self.entries.items():
            if guid not in self.taken:
                by_key.setdefault(key(entry), []).append(guid)
        for index in self._open():
            new = self.prints[index]
            options = [g for g in by_key.get(key(new), ()) if g not in self.taken]
            if len(options) > 1:
                options.sort(key=lambda g: (self._closeness(new, self.entries[g]), g))
            if options:
                self._take(index, options[0])

    def _closeness(self, new: LockEntry, old: LockEntry) -> tuple:
        return (old.removed, old.file != new.file, old.heading_path != new.heading_path, abs(old.line - new.line))

    def _fuzzy(self) -> None:
        open_cards = self._open()
        candidates = {g: e for g, e in self.entries.items() if g not in self.taken}
        if not open_cards or not candidates:
            return
        guids = sorted(candidates)
        questions = [candidates[g].question for g in guids]
        answers = [candidates[g].answer_excerpt for g in guids]
        pairs: list[tuple[float, int, str]] = []
        for index in open_cards:
            new = self.prints[index]
            near = {
                guids[j]
                for _, _, j in process.extract(
                    new.question, questions, scorer=fuzz.token_sort_ratio, limit=8, score_cutoff=50
                )
            }
            if new.answer_excerpt:
                near |= {
                    guids[j]
                    for _, _, j in process.extract(
                        new.answer_excerpt, answers, scorer=fuzz.ratio, limit=8, score_cutoff=ANSWER_ALONE
                    )
                }
            for guid in sorted(near):
                score = _same_card_score(new, candidates[guid])
                if score:
                    pairs.append((score, index, guid))
        pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
        best: dict[int, float] = {}
        for score, index, guid in pairs:
            if self.guids[index] is None and guid not in self.taken:
                self._take(index, guid)
                best[index] = score
        for score, index, guid in pairs:
            kept = self.guids[index]
            if kept is not None and kept != guid and best.get(index, 0) - score < 3 and index in best:
                card = self.cards[index]
                self.diagnostics.append(
                    Diagnostic(
                        card.location,
                        (
                            f"doubtful match: {card.question!r} kept the ID of {self.entries[kept].question!r}, "
                            f"but {self.entries[guid].question!r} was nearly as close; pin it with <!-- id: … --> if wrong"
                        ),
                        "warning",
                        "doubtful-match",
                    )
                )

    def _new(self) -> None:
        reserved = set(self.entries) | self.taken
        for index in self._open():
            card = self.cards[index]
            guid = next(g for g in map(lambda salt: content_guid(card, salt), _salts(card)) if g not in reserved)
            reserved.add(guid)
            self._take(index, guid)


def _salts(card: Flashcard):
    """Ways to tell apart questions asked in the same words: file, then section, then a counter."""
    yield ""
    yield card.location.path
    place = f"{card.location.path}|{card.context}"
    yield place
    yield from (f"{place}|{n}" for n in itertools.count(2))


def _same_card_score(new: LockEntry, old: LockEntry) -> float:
    """How surely `new` is `old` edited (0: not the same card). Never merges two different questions:
    when the questions differ in a content word (LoRA vs QLoRA), the answers must agree closely."""
    question = fuzz.token_sort_ratio(new.question, old.question)
    answer = fuzz.ratio(new.answer_excerpt, old.answer_excerpt) if new.answer_excerpt and old.answer_excerpt else 0
    words_new, words_old = set(new.question.split()), set(old.question.split())
    subject_changed = bool((words_new ^ words_old) - _FUNCTION_WORDS)
    same = (answer >= ANSWER_ALONE and question >= 40) or (
        not subject_changed and question >= QUESTION_ALONE and answer >= 50
    )
    if not same:
        return 0.0
    place = (old.file == new.file) + (old.heading_path == new.heading_path)
    return question + answer + place - 100 * old.removed
