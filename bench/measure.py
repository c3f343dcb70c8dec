"""One benchmark measurement, run in its own process so peak memory is its own."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def floor(notes: Path, out: Path) -> dict:
    """The least possible work: read every file, one markdown-it-py parse, one genanki write."""
    import genanki
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    model = genanki.Model(
        1, "m", fields=[{"name": "Q"}, {"name": "A"}], templates=[{"name": "c", "qfmt": "{{Q}}", "afmt": "{{A}}"}]
    )
    deck = genanki.Deck(2, "d")
    start = time.perf_counter()
    for path in sorted(notes.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        tokens = md.parse(text)
        headings = sum(1 for t in tokens if t.type == "heading_open")
        deck.add_note(genanki.Note(model=model, fields=[path.name, str(headings)]))
    out.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(str(out / "floor.apkg"), timestamp=0)
    return {"seconds": time.perf_counter() - start}


def build(notes: Path, out: Path) -> dict:
    from generator.build import build as run_build
    from generator.config import BuildConfig

    start = time.perf_counter()
    report = run_build(BuildConfig(notes_dir=notes, output_dir=out, skip_unchanged=True))  # as `deckgraph build`
    return {"seconds": time.perf_counter() - start, "cards": report.counts["cards"], "written": len(report.written)}


def main() -> None:
    kind, notes, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    result = {"floor": floor, "build": build}[kind](notes, out)
    # The build's worker processes count too: the peak of the largest process.
    result["peak_mb"] = (
        max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
