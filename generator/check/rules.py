"""The lint framework: a rule is one function registered with `@rule`; it receives the CheckContext
(the parsed notes and the build's diagnostics) and yields Findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from generator.config import BuildConfig
from generator.graph.memory import CardMemory
from generator.incremental.parsing import NotesRead
from generator.model import SourceFile, SourceLocation
from generator.parse import ParsedFile
from generator.sources.files import read_source


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in the notes worth fixing."""

    location: SourceLocation
    rule: str
    """The rule's name, e.g. "stray-remark"."""
    message: str
    severity: str = "warning"
    """"error" or "warning"."""
    related: tuple[SourceLocation, ...] = ()
    """Other places involved (the rest of a group of near-duplicate questions)."""

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.rule}]"

    def to_json(self) -> dict:
        data = asdict(self)
        data["location"] = {"path": self.location.path, "line": self.location.line}
        data["related"] = [{"path": r.path, "line": r.line} for r in self.related]
        return data


@dataclass(slots=True)
class CheckContext:
    config: BuildConfig
    parsed: list[ParsedFile]
    report: NotesRead
    memory: Callable[[], CardMemory] | None = None
    """The last build's per-card concept readings: the graph of unchanged notes is not read again."""
    shared: dict = field(default_factory=dict)
    """What several rules need and one builds first (the concept graph)."""
    _sources: dict[str, SourceFile] | None = None

    @property
    def sources(self) -> dict[str, SourceFile]:
        """Read (and repaired) text of every readable note, by relative path: read when a rule first
        asks, for the rules that need only the parses skip reading 10,000 files again."""
        if self._sources is None:
            self._sources = {}
            for result in self.parsed:
                try:
                    self._sources[result.path] = read_source(self.config.notes_dir / result.path, self.config.notes_dir)
                except OSError:
                    continue
        return self._sources


Rule = Callable[[CheckContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    name: str
    summary: str
    run: Rule


RULES: dict[str, RuleInfo] = {}


def rule(name: str, summary: str) -> Callable[[Rule], Rule]:
    """Register a rule under `name`."""

    def register(function: Rule) -> Rule:
        RULES[name] = RuleInfo(name, summary, function)
        return function

    return register
