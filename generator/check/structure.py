"""Unfinished structure: questions with no answer, headings with nothing under them."""

from __future__ import annotations

from generator.check.rules import CheckContext, Finding, rule


@rule("unanswered", "a question with no answer below it")
def unanswered(context: CheckContext):
    for item in context.report.skipped:
        if item.reason == "question without an answer":
            yield Finding(item.location, "unanswered", f"question without an answer: {item.text[:70]!r}")


@rule("empty-section", "a heading with no body and no sub-sections")
def empty_section(context: CheckContext):
    for item in context.report.skipped:
        if item.reason == "heading without a body":
            yield Finding(item.location, "empty-section", f"heading without a body: {item.text[:70]!r}")
