"""The simulated users' side: gradio_client clients (one shared SSL context), the timing of
their HTTP posts, niced client threads, and the heavy jobs: their records and the one thread
that polls them all."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import ssl
import threading
import time
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any, Callable

from gradio_client import Client, handle_file

from .common import POLL, T, now


SSL_CONTEXT = ssl.create_default_context()


class PostTimes:
    """Times every httpx.post gradio_client makes (uploads, queue/join), by endpoint: which
    step of a request is slow under load."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, float, str]] = []  # start, path, seconds, error
        self._post = None

    def install(self) -> None:
        import httpx

        self._post = real = httpx.post

        def post(url, *args, **kwargs):
            t, start, err = time.monotonic(), now(), ""
            try:
                return real(url, *args, **kwargs)
            except Exception as exc:
                err = type(exc).__name__
                raise
            finally:
                path = str(url).split("/gradio_api/", 1)[-1].split("?")[0]
                with self.lock:
                    self.samples.append((start, path, time.monotonic() - t, err))

        httpx.post = post

    def between(self, a: float, b: float) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        with self.lock:
            for start, path, sec, _ in self.samples:
                if a <= start <= b:
                    out.setdefault(path, []).append(sec)
        return out


POSTS = PostTimes()


def new_client(url: str, downloads: Path | None = None) -> Client:
    return Client(url, verbose=False, ssl_verify=SSL_CONTEXT,  # type: ignore[arg-type]
                  download_files=str(downloads) if downloads else False,
                  analytics_enabled=False)


def new_clients(url: str, n: int) -> list[Client]:
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: new_client(url), range(n)))


def close_clients(clients: list[Client], wait: float = 0.0) -> None:
    """Close clients (in parallel: each close() waits up to 1 s for its heartbeat thread);
    with `wait`, wait up to that long for their heartbeat connections to end (they notice the
    close only at the server's next heartbeat, every 15 s)."""
    if not clients:
        return

    def close(c: Client) -> None:
        with contextlib.suppress(Exception):
            c.close()

    with concurrent.futures.ThreadPoolExecutor(min(64, len(clients))) as pool:
        list(pool.map(close, clients))
    deadline = time.monotonic() + wait
    for c in clients:
        hb = getattr(c, "heartbeat", None)
        if hb is not None and hb.is_alive():
            hb.join(max(0.0, deadline - time.monotonic()))


def in_niced_thread(nice: int, fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in a thread of its own running at niceness `nice` (on Linux niceness is per
    thread, and the threads a thread starts inherit it: the clients' heartbeat, job and
    event-stream threads started from `fn` run at it too; this process's other threads, and
    the processes it starts later, do not).  Where the niceness cannot be set, at the usual one."""
    out: dict[str, Any] = {}

    def run() -> None:
        if nice:
            with contextlib.suppress(OSError, AttributeError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            out["error"] = exc

    t = threading.Thread(target=run, name=f"clients-nice{nice}")
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def thread_niceness() -> dict[int, int]:
    """This process's threads by niceness (from /proc; empty elsewhere)."""
    counts: dict[int, int] = {}
    for stat in Path("/proc/self/task").glob("*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            nice = int(stat.read_text().rsplit(")", 1)[1].split()[16])
            counts[nice] = counts.get(nice, 0) + 1
    return counts


@dataclass
class JobRecord:
    """One LLM parse as its client saw it (times relative to the benchmark's start)."""

    name: str
    chunks: int
    submit: float = 0.0
    first: float | None = None       # any output (the rule-based partial result)
    first_llm: float | None = None   # first output with an LLM chunk done
    done: float | None = None
    outputs: int = 0
    ok: bool = False
    error: str | None = None
    calls: int = 0
    retries: int = 0
    cache_hits: int = 0
    chunks_done: int = 0
    flagged: int = 0
    job: Any = dc_field(default=None, repr=False)

    def total(self) -> float | None:
        return None if self.done is None else self.done - self.submit


def llm_of(out: Any) -> dict | None:
    if isinstance(out, (tuple, list)) and len(out) > 5 and isinstance(out[5], dict):
        llm = out[5].get("llm")
        return llm if isinstance(llm, dict) else None
    return None


def where(exc: BaseException) -> str:
    """' (in gradio_client's <function>)' for an exception raised inside gradio_client (e.g.
    _upload_file or send_data for a ReadTimeout: its default HTTP timeout is 5 s)."""
    tb, name = exc.__traceback__, None
    while tb is not None:
        if "gradio_client" in tb.tb_frame.f_code.co_filename:
            name = tb.tb_frame.f_code.co_name
        tb = tb.tb_next
    return f" (in gradio_client's {name})" if name else ""


def submit_llm(client: Client, path: Path, rec: JobRecord) -> None:
    rec.submit = now()
    rec.job = client.submit(handle_file(str(path)), True, api_name="/parse_dictionary")


def finish(rec: JobRecord) -> None:
    """Record the outcome of a finished job."""
    try:
        final = rec.job.result(timeout=0)
    except Exception as exc:  # noqa: BLE001
        rec.error = f"{type(exc).__name__}: {exc}" + where(exc)
        return
    llm = llm_of(final)
    if llm is None:
        rec.error = "no LLM details in the final output"
        return
    usage = llm.get("usage") or {}
    rec.calls, rec.retries = usage.get("calls", 0), usage.get("retries", 0)
    rec.cache_hits = usage.get("cache_hits", 0)
    rec.chunks_done, rec.flagged = llm.get("chunks_done", 0), len(llm.get("flagged") or [])
    problems = []
    if llm.get("error"):
        problems.append(f"llm.error: {llm['error']}")
    if rec.flagged:
        problems.append(f"{rec.flagged} flagged chunks: {llm['flagged'][:2]}")
    if not llm.get("done") or rec.chunks_done != llm.get("chunks_total"):
        problems.append(f"{rec.chunks_done} of {llm.get('chunks_total')} chunks done")
    if llm.get("chunks_total") != rec.chunks:
        problems.append(f"{llm.get('chunks_total')} chunks, expected {rec.chunks}")
    rec.error = "; ".join(problems) or None
    rec.ok = not problems


class Poller(threading.Thread):
    """Watches every registered job's outputs every POLL seconds (one thread for all)."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="job-poller")
        self.active: list[JobRecord] = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.all_done = threading.Condition(self.lock)

    def add(self, rec: JobRecord) -> None:
        with self.lock:
            self.active.append(rec)

    def pending(self) -> int:
        with self.lock:
            return len(self.active)

    def run(self) -> None:
        while not self.stop_event.is_set():
            with self.lock:
                recs = list(self.active)
            finished = []
            for rec in recs:
                job = rec.job
                if job is None:
                    continue
                outs = job.outputs()
                n = len(outs)
                if n > rec.outputs:
                    t = now()
                    if rec.first is None:
                        rec.first = t
                    if rec.first_llm is None:
                        for out in outs[rec.outputs:n]:
                            llm = llm_of(out)
                            if llm and llm.get("chunks_done", 0) >= 1:
                                rec.first_llm = t
                                break
                    rec.outputs = n
                if job.done():
                    rec.done = now()
                    finish(rec)
                    finished.append(rec)
            if finished:
                with self.lock:
                    self.active = [r for r in self.active if r not in finished]
                    self.all_done.notify_all()
            self.stop_event.wait(POLL)

    def wait_all(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.active:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.all_done.wait(min(left, 1.0))
        return True


def run_one(client: Client, path: Path, name: str, chunks: int, poller: Poller,
            timeout: float) -> JobRecord:
    rec = JobRecord(name, chunks)
    submit_llm(client, path, rec)
    poller.add(rec)
    poller.wait_all(timeout)
    return rec
