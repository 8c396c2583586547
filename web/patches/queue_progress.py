"""Gradio's queue looks for progress updates to send every 10 ms: with a hundred LLM jobs
running, 10,000 looks a second, a twentieth of the serving thread's work while their answers
came.  Every PROGRESS_SECONDS is as often as a progress bar needs."""

from __future__ import annotations

from typing import Any

WRITTEN_FOR = {"gradio": "6.31.0"}
UPSTREAM = "a public setting for gradio.queueing.Queue's progress_update_sleep_when_free"
PROGRESS_SECONDS = 0.1


def attach(demo: Any, app: Any) -> None:
    """Make `demo`'s queue look for progress updates every PROGRESS_SECONDS."""
    queue = demo._queue
    queue.progress_update_sleep_when_free = max(queue.progress_update_sleep_when_free,
                                                PROGRESS_SECONDS)
