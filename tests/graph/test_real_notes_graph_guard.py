"""A guard against regressions of the concept graph on real notes other people wrote (the samples in
../shared, beside the clone): each is built and its graph.json scored with the samples' own scorer;
concept recall, node precision, relation recall and typed precision must not fall below what the graph
reaches today (minus 0.02). The targets belong to the measurement (`make realnotes`), not here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import build_real_sample

MEASURES = ("concept_recall", "node_precision", "relation_recall", "typed_precision")
FLOORS = {
    # sample: (concept recall, node precision, relation recall, typed precision) reached, minus 0.02
    "real-notes": (0.950, 0.858, 0.703, 0.758),
    "real-notes-intl": (0.943, 0.897, 0.680, 0.98),
}


@pytest.mark.parametrize("sample", sorted(FLOORS))
def test_real_notes_graph_does_not_regress(sample: str, tmp_path: Path):
    scorer, labels = build_real_sample(sample, tmp_path)
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    score = scorer.score_graph(labels, graph)
    details = {
        "concept_recall": score["missed_concepts"][:10],
        "node_precision": score["junk_nodes"][:10],
        "relation_recall": score["missed_relations"][:10],
        "typed_precision": score["unsupported_edges"][:10],
    }
    low = [
        f"{measure} {score[measure]:.3f} < {floor}; e.g. {details[measure]}"
        for measure, floor in zip(MEASURES, FLOORS[sample])
        if score[measure] < floor
    ]
    assert not low, f"{sample}: " + "; ".join(low)
