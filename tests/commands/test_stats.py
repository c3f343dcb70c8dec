"""deckgraph stats: its numbers are graph.json's."""

from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from generator.build import build
from generator.commands.cli import main
from generator.config import BuildConfig


def test_stats_match_graph_json(seed_copy, tmp_path):
    report = build(BuildConfig(seed_copy, tmp_path / "out"))
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["stats", str(seed_copy), "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["concepts"] == len(graph["nodes"])
    assert stats["edges"] == len(graph["edges"])
    assert stats["edges_by_type"] == dict(Counter(edge["type"] for edge in graph["edges"]))
    assert stats["cards"] == len(report.cards) == sum(stats["cards_per_file"].values())
    assert sum(stats["cards_per_topic"].values()) == stats["cards"]
    assert stats["cards_per_file"] == dict(Counter(card.location.path for card in report.cards))
    degree = Counter()
    for edge in graph["edges"]:
        degree[edge["source"]] += 1
        degree[edge["target"]] += 1
    top = stats["most_connected"][0]
    assert top["edges"] == max(degree.values()) and degree[top["concept"]] == top["edges"]
    typed = {n for e in graph["edges"] if e["type"] != "related" for n in (e["source"], e["target"])}
    assert stats["orphan_concepts"] == sorted(n["id"] for n in graph["nodes"] if n["id"] not in typed)
    assert len(stats["cards_without_concept"]) == sum(1 for card in report.cards if not card.concepts)

    text = CliRunner().invoke(main, ["stats", str(seed_copy)]).output
    assert f"{stats['concepts']} concepts, {stats['edges']} edges" in text
    assert "Most connected concepts:" in text and "Orphan concepts" in text
