"""`deckgraph check`: lint rules over the notes, each finding tied to a file and line.

A rule is one function registered with `@rule`; it receives the CheckContext (the parsed notes and the
build's diagnostics) and yields Findings. Adding a rule is writing one such function in a module
imported at the bottom of this file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from generator.build import BuildReport, parse_notes
from generator.config import BuildConfig
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
    report: BuildReport
    sources: dict[str, SourceFile] = field(default_factory=dict)
    """Read (and repaired) text of every readable note, by relative path."""
    shared: dict = field(default_factory=dict)
    """What several rules need and one builds first (the concept graph)."""


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


def check(config: BuildConfig, only: Iterable[str] = ()) -> list[Finding]:
    """Run every rule (or those named in `only`) over the notes; findings sorted by place."""
    parsed, report = parse_notes(config)
    context = CheckContext(config, parsed, report)
    for result in parsed:
        try:
            context.sources[result.path] = read_source(config.notes_dir / result.path, config.notes_dir)
        except OSError:
            continue
    wanted = set(only) or set(RULES)
    findings = [finding for info in RULES.values() if info.name in wanted for finding in info.run(context)]
    return sorted(findings, key=lambda f: (f.location.path, f.location.line, f.rule, f.message))


def to_json(findings: list[Finding]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return json.dumps(
        {"findings": [f.to_json() for f in findings], "counts": counts, "total": len(findings)},
        indent=2,
        ensure_ascii=False,
    )


def to_text(findings: list[Finding]) -> str:
    if not findings:
        return "no problems found"
    lines = [str(finding) for finding in findings]
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    lines.append(f"{len(findings)} findings: {summary}")
    return "\n".join(lines)


# Rule modules register themselves on import.
from generator.check import diagnostics, duplicates, links, registry, remarks, structure  # noqa: E402,F401
