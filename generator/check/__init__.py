"""`deckgraph check`: lint rules over the notes, each finding tied to a file and line.

A rule is one function registered with `@rule` (generator/check/rules.py) in a module of this package;
adding a rule is writing one such function and importing its module below.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.build import parse_notes
from generator.check import diagnostics, duplicates, links, registry, remarks, structure  # noqa: F401 - they register
from generator.check.rules import RULES, CheckContext, Finding, rule
from generator.config import BuildConfig
from generator.incremental import IncrementalBuild

__all__ = ["RULES", "CheckContext", "Finding", "check", "rule", "to_json", "to_text"]


def check(config: BuildConfig, only: Iterable[str] = ()) -> list[Finding]:
    """Run every rule (or those named in `only`) over the notes; findings sorted by place."""
    # The last build's parses, where the notes are unchanged (read only: check writes nothing).
    session = IncrementalBuild(config)
    parsed, report = parse_notes(config, cache=session.cache)
    # and its concept readings, for the rules that build the graph (read when one asks).
    context = CheckContext(config, parsed, report, memory=session.card_memory)
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
