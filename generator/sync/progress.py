"""Anki's own progress, reported while a long backend call (an import, a sync) runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from anki.collection import Collection
from anki.errors import BackendError

T = TypeVar("T")
POLL_SECONDS = 0.05

Report = Callable[[str], None]


def quiet(text: str) -> None:
    return None


def with_progress(col: Collection, call: Callable[[], T], report: Report) -> T:
    """Run `call` (a blocking backend call) in a worker thread, passing Anki's progress to `report`."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(call)
        while not future.done():
            time.sleep(POLL_SECONDS)
            text = describe(col)
            if text:
                report(text)
        return future.result()


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
