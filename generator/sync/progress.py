"""Anki's own progress, reported while a long backend call (an import, a sync) runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import suppress
from typing import TypeVar

from anki.collection import Collection
from anki.errors import BackendError

from generator.sync.problems import Interrupted

T = TypeVar("T")
POLL_SECONDS = 0.05
ABORT_WAIT_SECONDS = 30
"""How long Anki gets to stop its current call after Ctrl-C."""
ABORT_REPEAT_SECONDS = 0.5

Report = Callable[[str], None]


def quiet(text: str) -> None:
    return None


def with_progress(col: Collection, call: Callable[[], T], report: Report) -> T:
    """Run `call` (a blocking backend call) in a worker thread, passing Anki's progress to `report`.
    On Ctrl-C, Anki is asked to stop the call (a sync, a media sync, an import), the call is waited
    for, and the run ends with Interrupted."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(call)
    try:
        while not future.done():
            time.sleep(POLL_SECONDS)
            text = describe(col)
            if text:
                report(text)
    except KeyboardInterrupt:
        report("interrupted: asking Anki to stop")
        done = _stop(col, future)
        pool.shutdown(wait=bool(done), cancel_futures=True)
        raise Interrupted(
            "interrupted: Anki stopped its current step"
            + ("" if done else " (it had not finished stopping)")
            + "; what was done before it stays (a backup was made before the first change). "
            "Run deckgraph sync again to finish."
        ) from None
    pool.shutdown(wait=True)
    return future.result()


def _stop(col: Collection, future: Future) -> bool:
    """Ask Anki to stop until its call returns or ABORT_WAIT_SECONDS pass. The asking is repeated: an
    abort that arrives before the backend has started its request (a busy machine) is not seen."""
    deadline = time.monotonic() + ABORT_WAIT_SECONDS
    while time.monotonic() < deadline:
        _abort(col)
        if wait([future], timeout=ABORT_REPEAT_SECONDS).done:
            return True
    return False


def _abort(col: Collection) -> None:
    for ask in (col.abort_sync, col.abort_media_sync, col.set_wants_abort):
        with suppress(BackendError):
            ask()


def describe(col: Collection) -> str:
    try:
        progress = col.latest_progress()
    except BackendError:
        return ""
    kind = progress.WhichOneof("value")
    if kind == "normal_sync":
        state = progress.normal_sync
        return f"syncing: {state.stage} {state.added} {state.removed}".strip()
    if kind == "full_sync":
        state = progress.full_sync
        return f"full sync: {state.transferred // 1024} of {state.total // 1024} KiB"
    if kind == "media_sync":
        state = progress.media_sync
        return f"media: {state.checked} {state.added} {state.removed}".strip()
    if kind == "importing":
        return f"importing: {progress.importing}"
    return ""
