"""Memory a burst of users freed goes back to the OS: a thread trimming glibc's heaps now and then."""

from __future__ import annotations

import threading

from engine.memory import release_free_memory


class Trimmer(threading.Thread):
    """A daemon thread calling release_free_memory every `interval` seconds until stop()."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="malloc-trim", daemon=True)
        self.interval = interval
        self.runs = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            release_free_memory()
            self.runs += 1

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def start_trimming(interval: float = 10.0) -> Trimmer | None:
    """Start a Trimmer (None without glibc or with interval <= 0)."""
    if interval <= 0 or not release_free_memory():
        return None
    trimmer = Trimmer(interval)
    trimmer.start()
    return trimmer
