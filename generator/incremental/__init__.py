"""Incremental builds: a layer around the stages, never inside them. It parses each note file once per
content (on all cores), remembers the concept stage's per-card results, tells when nothing changed since
the last build, and writes an output only when its inputs changed. Deleting output/.cache changes no
result, only the time taken. Entry point: `IncrementalBuild`."""

from generator.incremental.parsing import NoteScan, NotesRead, parse_notes, scan_notes
from generator.incremental.session import IncrementalBuild, KeptBuild

__all__ = ["IncrementalBuild", "KeptBuild", "NoteScan", "NotesRead", "parse_notes", "scan_notes"]
