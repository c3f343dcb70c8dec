"""`make bench`: build times and memory on a synthetic 1,000-file corpus, against the least possible work.

Each measurement runs in a fresh process, which reports its own time and peak memory.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import make_corpus  # noqa: E402


def measure(kind: str, *args: str) -> dict:
    """Run one measurement in a child process; it prints {"seconds":…, "peak_mb":…, …} as JSON."""
    out = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), kind, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="deckgraph-bench-"))
    try:
        corpus = make_corpus(work / "notes")
        print(
            f"corpus: {len(list(corpus.glob('*.md')))} files, "
            f"{sum(p.stat().st_size for p in corpus.glob('*.md')) / 1e6:.1f} MB"
        )
        # Interleaved, best of three each: the machine's speed drifts, and both should see the same.
        floors, colds = [], []
        for _ in range(3):
            floors.append(measure("floor", str(corpus), str(work / "floor")))
            colds.append(_cold_build(corpus, work))
        floor = min(floors, key=lambda r: r["seconds"])
        cold = min(colds, key=lambda r: r["seconds"])
        print(
            f"floor (read + one markdown-it parse + one genanki write): {floor['seconds']:.2f} s, "
            f"peak {floor['peak_mb']:.0f} MB"
        )
        print(f"full build (cold): {cold['seconds']:.2f} s, {cold['cards']} cards, peak {cold['peak_mb']:.0f} MB")
        print(f"ratio full build / floor: {cold['seconds'] / floor['seconds']:.2f}x (target <= 2x)")
        unchanged = min(
            (measure("build", str(corpus), str(work / "out")) for _ in range(2)), key=lambda r: r["seconds"]
        )
        print(
            f"rebuild, nothing changed: {unchanged['seconds']:.2f} s = {unchanged['seconds'] / cold['seconds']:.1%} "
            f"of cold (target < 10%), {unchanged['written']} output files rewritten (target 0)"
        )
        one = min((_edit_and_build(corpus, work, word) for word in ("fixed", "pinned")), key=lambda r: r["seconds"])
        print(
            f"rebuild after editing one file: {one['seconds']:.2f} s = {one['seconds'] / cold['seconds']:.1%} "
            f"of cold (target < 20%)"
        )
        for extra in _extra_sections():
            extra(corpus, work, cold)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cold_build(corpus: Path, work: Path) -> dict:
    """A build with no cache, no previous output and no ID lockfile."""
    shutil.rmtree(work / "out", ignore_errors=True)
    (corpus / "deckgraph.lock.json").unlink(missing_ok=True)
    return measure("build", str(corpus), str(work / "out"))


def _edit_and_build(corpus: Path, work: Path, word: str) -> dict:
    """Reword one answer in one file, as a person would between two builds."""
    edited = corpus / "note-0500.md"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("keeps the base weights", f"keeps the base weights {word}", 1), encoding="utf-8")
    return measure("build", str(corpus), str(work / "out"))


def _extra_sections():
    """Further measurements beyond the build itself."""
    return [_concept_map]


def _concept_map(corpus: Path, work: Path, cold: dict) -> None:
    from bench.map_bench import measure_map

    result = measure_map(work)
    print(
        f"concept map, 2,000 concepts and 10,000 edges: interactive {result['interactive_seconds']:.2f} s "
        f"after opening in headless Chromium (target <= 3 s); page {result['html_bytes'] / 1e6:.1f} MB, "
        f"{result['outside_requests']} outside requests"
    )


if __name__ == "__main__":
    main()
