"""queue_progress: the queue looks for progress updates every PROGRESS_SECONDS (streamed
results and progress reaching clients: test_app_client, test_patches' same responses)."""

from __future__ import annotations

from harness.patch_checks import app_demo
from web.patches import queue_progress


def test_the_queue_looks_for_progress_less_often():
    plain, patched = app_demo(), app_demo()
    queue_progress.attach(patched, None)
    assert plain._queue.progress_update_sleep_when_free < queue_progress.PROGRESS_SECONDS
    assert patched._queue.progress_update_sleep_when_free == queue_progress.PROGRESS_SECONDS
