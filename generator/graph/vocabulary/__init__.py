"""The built-in vocabulary of the field: about a thousand concepts of machine learning, deep learning,
LLMs, NLP, statistics, evaluation and data tooling, so a map is rich on the first build of anyone's
notes. Data, not code: one TOML file per topic beside this module (format in FORMAT.md there).

ARCHITECTURE
- Loaded once per process (`load_vocabulary` is cached), from package data; a build takes it from
  the memory of the last build while the files are the same (`remembered_vocabulary`).
- It sits *under* the user's notes/concepts.toml: the registry extends and overrides it (see
  concepts.index_concepts). A setting in notes/deckgraph.toml (`vocabulary = false`) or the build
  option `--no-vocabulary` turns it off.
- A vocabulary concept becomes a node only when the notes make it a subject, not when they name it
  in passing; one flagged `common_word` (precision, recall, attention …) needs stronger evidence (see
  graph/salience.py). Its relations are drawn only between two concepts that are nodes, with the
  evidence VOCABULARY_EVIDENCE.
- Problems in the data (an alias on two concepts, a relation to a missing concept, a cycle) do not
  stop a build: the first concept keeps the name, the relation is dropped. tests/graph/
  test_vocabulary.py keeps the shipped data free of them.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from generator.graph.memory import CardMemory

RELATION_TYPES = (
    "extends",
    "variant_of",
    "simplifies",
    "alternative_to",
    "uses",
    "part_of",
    "precedes",
    "contrasts_with",
)
VOCABULARY_EVIDENCE = "built-in vocabulary"
LANGUAGES = ("zh-Hans", "zh-Hant", "ja", "ko", "ru", "es", "pt", "de", "fr", "vi")
ACYCLIC = ("extends", "variant_of", "part_of")


@dataclass(frozen=True, slots=True)
class Declared:
    """`subject type target`, as written: "QLoRA extends LoRA" (in the registry or the vocabulary)."""

    subject: str
    type: str
    target: str


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    topic: str
    definition: str = ""
    expansion: str = ""
    aliases: tuple[str, ...] = ()
    names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(language, names in that language), languages as in LANGUAGES."""
    common_word: bool = False

    @property
    def english(self) -> tuple[str, ...]:
        return (self.name, *((self.expansion,) if self.expansion else ()), *self.aliases)

    @property
    def translated(self) -> tuple[str, ...]:
        return tuple(name for _, names in self.names for name in names)


UMBRELLA_SIZE = 25
"""A concept with at least this many kinds and parts below it in the vocabulary (through extends,
variant_of and part_of) is an umbrella: a field or a large family."""


@dataclass(slots=True)
class Vocabulary:
    terms: dict[str, Term] = field(default_factory=dict)
    relations: list[Declared] = field(default_factory=list)
    digest: str = ""
    umbrellas: frozenset[str] = frozenset()


def _umbrellas(relations: list[Declared]) -> frozenset[str]:
    below: dict[str, set[str]] = {}
    for r in relations:
        if r.type in ACYCLIC:
            below.setdefault(r.target, set()).add(r.subject)

    def members(name: str) -> set[str]:
        seen: set[str] = set()
        stack = [name]
        while stack:
            for child in below.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    return frozenset(name for name in below if len(members(name)) >= UMBRELLA_SIZE)


def _files() -> list[tuple[str, bytes]]:
    folder = resources.files(__name__)
    return sorted((entry.name, entry.read_bytes()) for entry in folder.iterdir() if entry.name.endswith(".toml"))


def _digest(files: list[tuple[str, bytes]]) -> str:
    sha = hashlib.sha256()
    for name, data in files:
        sha.update(name.encode() + b"\0" + data + b"\0")
    return sha.hexdigest()


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Every file of the package's vocabulary, merged; the same object for the whole process."""
    return _read(_files())


def remembered_vocabulary(memo: CardMemory | None) -> Vocabulary:
    """The vocabulary, taken from `memo` while its files are the same: reading the TOML costs half
    a second, taking it from the memory of the last build a few hundredths."""
    if memo is None:
        return load_vocabulary()
    files = _files()
    return memo.get(("vocabulary", _digest(files)), lambda: _read(files))


def _read(files: list[tuple[str, bytes]]) -> Vocabulary:
    vocabulary = Vocabulary()
    for name, data in files:
        table = tomllib.loads(data.decode("utf-8"))
        topic = str(table.get("topic") or name.removesuffix(".toml"))
        for concept, body in (table.get("concepts") or {}).items():
            if concept in vocabulary.terms or not isinstance(body, dict):
                continue
            names = body.get("names") or {}
            vocabulary.terms[concept] = Term(
                concept,
                topic,
                str(body.get("definition", "")).strip(),
                str(body.get("expansion", "")).strip(),
                tuple(_list(body.get("aliases"))),
                tuple((lang, tuple(_list(names.get(lang)))) for lang in LANGUAGES if names.get(lang)),
                bool(body.get("common_word", False)),
            )
            for kind in RELATION_TYPES:
                vocabulary.relations += [Declared(concept, kind, target) for target in _list(body.get(kind))]
    vocabulary.relations = [r for r in vocabulary.relations if r.target in vocabulary.terms and r.target != r.subject]
    vocabulary.umbrellas = _umbrellas(vocabulary.relations)
    vocabulary.digest = _digest(files)
    return vocabulary


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [item.strip() for item in value if isinstance(item, str) and item.strip()] if isinstance(value, list) else []
