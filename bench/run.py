"""`make bench`: deckgraph against the least possible work, measured side by side in one run.

The floor is ../shared/bench/floor.py, unchanged: render each card with markdown-it-py once and write
one package with genanki. Floor and build run as the commands a user types, each in a fresh process
(interpreter start and imports included), interleaved so both see the same machine, best of several;
CPU time and peak memory count the forked workers too. The spread of each series says how noisy the
machine was.

    python bench/run.py            # 10,000 cards: cold, nothing changed, one file edited, watch
    python bench/run.py --large    # 100,000 cards (10,000 files) and check / --merge-duplicates
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import EDIT_PHRASE, CorpusStats, card_texts, make_corpus  # noqa: E402
from bench.measure import Run, deckgraph, floor  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PACKAGE = "interview-notes.apkg"


def main() -> None:
    large = "--large" in sys.argv[1:]
    work = Path(tempfile.mkdtemp(prefix="deckgraph-bench-"))
    try:
        if large:
            _large(work)
        else:
            _standard(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _standard(work: Path) -> None:
    corpus = _corpus(work / "notes", files=1000)
    out = work / "out"
    floors, colds = _interleaved(corpus, work, ROUNDS)
    best_floor, cold = _best(floors), _best(colds)
    _report_cold(floors, colds, "10,000-card")
    print(
        f"  targets: cold <= 1.5x floor wall ({_mark(cold.wall <= 1.5 * best_floor.wall)}), "
        f"<= 2.5x floor CPU ({_mark(_best_cpu(colds) <= 2.5 * _best_cpu(floors))})"
    )

    unchanged = [deckgraph("build", str(corpus), "-o", str(out)) for _ in range(ROUNDS)]
    best = _best(unchanged)
    print(
        f"nothing changed: {best.wall:.2f} s wall, {best.cpu:.2f} s CPU = {best.wall / cold.wall:.1%} of cold, "
        f"{max(r.written for r in unchanged)} files rewritten "
        f"(target <= 5% with 0 rewritten: {_mark(best.wall <= 0.05 * cold.wall and best.written == 0)}); "
        f"runs {_series(unchanged)}"
    )

    edits = [_edit_and_build(corpus, out, k) for k in range(ROUNDS)]
    best = _best(edits)
    print(
        f"one file edited: {best.wall:.2f} s wall, {best.cpu:.2f} s CPU = {best.wall / cold.wall:.1%} of cold, "
        f"{best.written} files rewritten (target <= 10%: {_mark(best.wall <= 0.10 * cold.wall)}); "
        f"runs {_series(edits)}"
    )

    package, settled = _watch_latency(corpus, out)
    if package:
        print(
            f"watch, one file saved: package renamed after {min(package):.2f} s "
            f"(median {sorted(package)[len(package) // 2]:.2f} s, target <= 1 s: {_mark(min(package) <= 1.0)}), "
            f"every output done after {min(settled):.2f} s; saves {_series_seconds(package)}"
        )
    _concept_map(work)


def _large(work: Path) -> None:
    count, groups, seconds = _grouping_at_scale()
    print(
        f"near-duplicate grouping (check, --merge-duplicates), {count:,} cards as the corpus writes them "
        f"(not parsed): {seconds:.2f} s, {groups:,} groups (target <= 10 s: {_mark(seconds <= 10)})"
    )
    if os.environ.get("BENCH_LARGE_BUILD", "1") == "0":
        print("100,000-card builds skipped (BENCH_LARGE_BUILD=0)")
        return
    small = _corpus(work / "notes-10k", files=1000, quiet=True)
    corpus = _corpus(work / "notes", files=10_000)
    floors, colds, smalls = [], [], []
    for _ in range(max(1, ROUNDS - 1)):
        smalls.append(_cold(small, work / "out-10k"))
        floors.append(floor(corpus, work / "floor.apkg"))
        colds.append(_cold(corpus, work / "out"))
    _report_cold(floors, colds, "100,000-card")
    small_best, cold = _best(smalls), _best(colds)
    print(
        f"  10,000-card cold in the same run: {small_best.wall:.2f} s; 100,000 / 10,000 = "
        f"{cold.wall / small_best.wall:.1f}x (target <= 12x: {_mark(cold.wall <= 12 * small_best.wall)}); "
        f"peak {cold.peak_mb:,.0f} MB (target <= 1,536 MB: {_mark(cold.peak_mb <= 1536)})"
    )
    duplicates = deckgraph("check", str(corpus), "-o", str(work / "out"), "--rule", "duplicate-question")
    grouping = _grouping_seconds(corpus, work / "out")
    print(
        f"deckgraph check --rule duplicate-question, 100,000 cards (after the build): {duplicates.wall:.2f} s wall "
        f"(target <= 10 s: {_mark(duplicates.wall <= 10)}); the grouping itself {grouping:.2f} s"
    )
    if os.environ.get("BENCH_FULL_CHECK"):  # every rule: the concept graph of 100,000 cards, long
        check = deckgraph("check", str(corpus), "-o", str(work / "out"))
        print(f"deckgraph check, every rule: {check.wall:.2f} s wall, {check.cpu:.2f} s CPU")
    merged = deckgraph("build", str(corpus), "-o", str(work / "out"), "--merge-duplicates")
    print(
        f"build --merge-duplicates after the cold build: {merged.wall:.2f} s wall, {merged.cpu:.2f} s CPU, "
        f"peak {merged.peak_mb:,.0f} MB"
    )


def _corpus(folder: Path, files: int, quiet: bool = False) -> Path:
    stats = CorpusStats()
    make_corpus(folder, files=files, stats=stats)
    if not quiet:
        size = sum(path.stat().st_size for path in folder.glob("*.md"))
        print(f"corpus: {stats.describe()}; {size / 1e6:.1f} MB of notes")
        print(f"machine: {os.cpu_count()} cores, load average {_load()} at the start")
    return folder


def _interleaved(corpus: Path, work: Path, rounds: int) -> tuple[list[Run], list[Run]]:
    floors, colds = [], []
    for _ in range(rounds):
        floors.append(floor(corpus, work / "floor.apkg"))
        colds.append(_cold(corpus, work / "out"))
    return floors, colds


def _cold(corpus: Path, out: Path) -> Run:
    """A build with no cache, no previous output and no ID lockfile."""
    shutil.rmtree(out, ignore_errors=True)
    (corpus / "deckgraph.lock.json").unlink(missing_ok=True)
    return deckgraph("build", str(corpus), "-o", str(out))


def _report_cold(floors: list[Run], colds: list[Run], size: str) -> None:
    best_floor, cold = _best(floors), _best(colds)
    print(
        f"floor (../shared/bench/floor.py), {size}: {best_floor.wall:.2f} s wall, {_best_cpu(floors):.2f} s CPU, "
        f"peak {best_floor.peak_mb:,.0f} MB; runs {_series(floors)}"
    )
    print(
        f"cold build ({cold.cards:,} cards): {cold.wall:.2f} s wall, {_best_cpu(colds):.2f} s CPU, "
        f"peak {max(r.peak_mb for r in colds):,.0f} MB; runs {_series(colds)}"
    )
    print(
        f"ratio cold / floor: {cold.wall / best_floor.wall:.2f}x wall, "
        f"{_best_cpu(colds) / _best_cpu(floors):.2f}x CPU (best against best; load average now {_load()})"
    )


def _edit_and_build(corpus: Path, out: Path, round_: int) -> Run:
    """Reword one answer in one file, as a person would between two builds."""
    _edit(corpus, round_)
    return deckgraph("build", str(corpus), "-o", str(out))


def _edit(corpus: Path, round_: int) -> None:
    edited = corpus / "note-0500.md"
    text = edited.read_text(encoding="utf-8")
    start = text.index(EDIT_PHRASE) + len(EDIT_PHRASE)
    end = text.index(" frozen", start)
    edited.write_text(text[:start] + f" (edit {round_})" * (round_ % 2 == 0) + text[end:], encoding="utf-8")


def _watch_latency(corpus: Path, out: Path, saves: int = 5) -> tuple[list[float], list[float]]:
    """`deckgraph watch` on the built corpus: seconds from writing one file to the package being
    replaced, and to the watcher saying it is watching again (every output done)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    log_path = out.parent / "watch.log"
    package_path = out / PACKAGE
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", str(corpus), "-o", str(out)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        package, settled = [], []
        try:
            seen = _wait_for(log_path, "watching", 0, 600)
            time.sleep(1.0)  # the watcher's notify thread is up
            for k in range(saves):
                before = package_path.stat().st_ino
                started = time.perf_counter()
                _edit(corpus, 100 + k)
                renamed = None
                while time.perf_counter() - started < 60:
                    try:
                        if package_path.stat().st_ino != before:
                            renamed = time.perf_counter() - started
                            break
                    except FileNotFoundError:
                        pass
                    time.sleep(0.002)
                seen = _wait_for(log_path, "watching", seen, 60)
                if renamed is None:
                    print("  watch: the package was not replaced within 60 s")
                    break
                package.append(renamed)
                settled.append(time.perf_counter() - started)
                time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=20)
    return package, settled


def _wait_for(log_path: Path, fragment: str, count: int, timeout: float) -> int:
    """Wait until `fragment` has been printed more than `count` times; the new count."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        seen = log_path.read_text(encoding="utf-8", errors="replace").count(fragment)
        if seen > count:
            return seen
        time.sleep(0.005)
    raise RuntimeError(f"the watcher never printed {fragment!r}: {log_path.read_text()[-2000:]}")


def _grouping_seconds(corpus: Path, out: Path) -> float:
    """The near-duplicate grouping alone, on every card of the corpus (parsed by the build before)."""
    from generator.build import parse_notes
    from generator.config import BuildConfig
    from generator.graph.duplicates import near_duplicate_groups
    from generator.incremental import IncrementalBuild

    config = BuildConfig(notes_dir=corpus, output_dir=out)
    parsed, _ = parse_notes(config, cache=IncrementalBuild(config).cache)
    cards = [card for result in parsed for card in result.cards]
    start = time.perf_counter()
    near_duplicate_groups(cards)
    return time.perf_counter() - start


def _grouping_at_scale() -> tuple[int, int, float]:
    """The near-duplicate grouping alone on 100,000 cards, made straight from the corpus' texts."""
    from generator.graph.duplicates import near_duplicate_groups
    from generator.model import Flashcard, SourceLocation

    cards = [
        Flashcard(
            question=question,
            question_html=question,
            answer_md=answer,
            answer_html="",
            location=SourceLocation(path, line),
            heading_path=(),
            deck="d",
            kind="heading",
        )
        for question, answer, path, line in card_texts(files=10_000, questions=10)
    ]
    start = time.perf_counter()
    groups = near_duplicate_groups(cards)
    return len(cards), len(groups), time.perf_counter() - start


def _concept_map(work: Path) -> None:
    from bench.map_bench import measure_map

    result = measure_map(work)
    print(
        f"concept map, 2,000 concepts and 10,000 edges: interactive {result['interactive_seconds']:.2f} s "
        f"after opening in headless Chromium (target <= 3 s); page {result['html_bytes'] / 1e6:.1f} MB, "
        f"{result['outside_requests']} outside requests"
    )


def _best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def _best_cpu(runs: list[Run]) -> float:
    return min(r.cpu for r in runs)


def _series(runs: list[Run]) -> str:
    walls = [r.wall for r in runs]
    return _series_seconds(walls)


def _series_seconds(values: list[float]) -> str:
    spread = max(values) / min(values) - 1 if min(values) > 0 else 0.0
    return ", ".join(f"{v:.2f}" for v in values) + f" s (spread {spread:.0%})"


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


if __name__ == "__main__":
    main()
