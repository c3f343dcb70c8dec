"""Export: the build's outputs. The Anki package (`write_package`, with each note's change stamp from
`stamp`), graph.json and the offline concept map (its layout and templates). Each output is written aside
and renamed, so no reader sees half a file; the same inputs give the same bytes."""

from generator.export.apkg import PackageNote, write_package
from generator.export.graph_json import write_graph_json
from generator.export.html import write_concept_map
from generator.export.stamps import REMOVED_TAG, removed_notes, stamp, stamp_generated

__all__ = [
    "REMOVED_TAG",
    "PackageNote",
    "removed_notes",
    "stamp",
    "stamp_generated",
    "write_concept_map",
    "write_graph_json",
    "write_package",
]
