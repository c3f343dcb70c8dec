"""Timing whole commands as a user runs them: wall time, CPU time and peak memory of a child process
and everything it started (its forked workers included), read from the kernel's accounting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ROOT.parent / "shared" / "bench" / "floor.py"
"""The least possible work (../shared/bench/floor.py from the repository root), run unchanged."""


@dataclass(slots=True)
class Run:
    wall: float
    cpu: float
    """User + system seconds of the process and its children."""
    peak_mb: float
    """Largest resident set of the process or any one of its children."""
    output: str

    @property
    def cards(self) -> int:
        match = re.search(r"(\d+) cards from \d+ files", self.output)
        return int(match.group(1)) if match else 0

    @property
    def written(self) -> int:
        return len(re.findall(r" \(written\)$", self.output, re.M))


def run(command: list[str], env: dict | None = None) -> Run:
    """Run `command` from the repository root and account for it, children included."""
    with open(os.devnull, "rb") as stdin, _Capture() as capture:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, stdin=stdin, stdout=capture.handle, stderr=subprocess.STDOUT, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output = capture.text()
    if process.returncode not in (0, 1):  # 1: the build found errors in the notes, which is no failure here
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{output[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def floor(notes: Path, package: Path) -> Run:
    return run([sys.executable, str(FLOOR), str(notes), str(package)])


def deckgraph(*args: str) -> Run:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return run([sys.executable, "-m", "generator", *args], env)


class _Capture:
    def __enter__(self) -> _Capture:
        self.handle = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"deckgraph-bench-{os.getpid()}.log"), "w+b")
        return self

    def text(self) -> str:
        self.handle.seek(0)
        return self.handle.read().decode("utf-8", "replace")

    def __exit__(self, *exc) -> None:
        self.handle.close()
        os.unlink(self.handle.name)
