"""How long the concept map takes to become interactive at scale: 2,000 concepts, 10,000 edges.

    python bench/map_bench.py        # prints the measurements as JSON

`measure_map(tmpdir)` builds a synthetic graph, writes it with the real exporter, opens it from
file:// in headless Chromium (every non-file request aborted) and times it until the page's own
API says it is ready and answers a search.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.export.html import write_concept_map
from generator.graph.link import ConceptGraph
from generator.model import Concept, Evidence, Flashcard, Relation, SourceLocation

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOPICS = ["alignment", "fine-tuning", "optimization", "inference", "architecture", "scaling", "training", "evaluation"]
TYPES = [
    "extends",
    "variant_of",
    "simplifies",
    "alternative_to",
    "uses",
    "part_of",
    "precedes",
    "contrasts_with",
    "related",
]


def synthetic_graph(
    concepts: int = 2000, edges: int = 10_000, seed: int = 20240601
) -> tuple[ConceptGraph, list[Flashcard]]:
    rng = random.Random(seed)
    names = [f"concept {i:04d}" for i in range(concepts)]
    cards, nodes = [], {}
    for i, name in enumerate(names):
        location = SourceLocation(f"topic-{i % 40:02d}.md", 1 + i)
        card = Flashcard(
            question=f"What is {name}?",
            question_html=f"What is {name}?",
            answer_md="…",
            answer_html=f"<p>{name} is defined by \\(x_{{{i}}} = {i}\\).</p>",
            location=location,
            heading_path=(),
            deck="Synthetic",
            kind="heading",
            guid=f"g{i:05d}",
        )
        cards.append(card)
        nodes[name] = Concept(
            name,
            (f"alias {i}",),
            TOPICS[i % len(TOPICS)],
            f"Definition of {name}.",
            location,
            (card.guid,),
            (str(location),),
        )
    pairs = set()
    while len(pairs) < edges:
        a, b = rng.sample(range(concepts), 2)
        pairs.add((names[a], names[b], rng.choice(TYPES)))
    relations = [
        Relation(a, b, kind, (Evidence(f"{a} {kind} {b}.", "synthetic.md:1"),), 1.0) for a, b, kind in sorted(pairs)
    ]
    return ConceptGraph(nodes, relations, {}), cards


def measure_map(tmpdir, browser=None) -> dict:
    """Seconds for the 2,000-concept map to become interactive in headless Chromium (plus context).
    Pass a Playwright `browser` to reuse one; otherwise Debian's Chromium is launched and closed."""
    path = Path(tmpdir) / "concept-map.html"
    started = time.perf_counter()
    graph, cards = synthetic_graph()
    write_concept_map(path, graph, cards, "Synthetic concept map")
    build_seconds = time.perf_counter() - started
    if browser is not None:
        timings = _open(browser, path)
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                timings = _open(launched, path)
            finally:
                launched.close()
    return {
        "concepts": len(graph.concepts),
        "edges": len(graph.relations),
        **timings,
        "build_seconds": round(build_seconds, 3),
        "html_bytes": path.stat().st_size,
    }


def _open(browser, path: Path) -> dict:
    outside: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file://")
                else (outside.append(route.request.url), route.abort())
            ),
        )
        opened = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("window.deckgraphMap && window.deckgraphMap.ready", timeout=60_000)
        found = page.evaluate("window.deckgraphMap.search('concept 1999')")
        interactive = time.perf_counter() - opened
        clicked = time.perf_counter()
        page.evaluate("window.deckgraphMap.select('concept 0042')")
        select_seconds = time.perf_counter() - clicked
    finally:
        page.close()
    return {
        "interactive_seconds": round(interactive, 3),
        "select_seconds": round(select_seconds, 3),
        "search_found": found,
        "outside_requests": len(outside),
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="map-bench-") as folder:
        print(json.dumps(measure_map(folder), indent=2))
