"""The command line: options (and what --quick, --naive change), and the entry point that
runs a Run, or the light user's process (--light-user)."""

from __future__ import annotations

import argparse
import math
import signal
import sys
import time

from . import __doc__ as DOC
from .clients import POSTS
from .common import CLIENT_NICE, log
from .light import light_user_main
from .run import Run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="load.py", description=" ".join(DOC.split("\n")[:2]))
    p.add_argument("--users", type=int, default=100,
                   help="heavy users, one LLM job each (default 100; 20 with --quick)")
    p.add_argument("--chunks", type=int, default=10, help="chunks per heavy dictionary (10)")
    p.add_argument("--latency", type=float, default=2.0,
                   help="simulator seconds per call (default 2; 0.5 with --quick)")
    p.add_argument("--concurrency", type=int, default=50,
                   help="CODEBOOK_LLM_CONCURRENCY, and the simulator's max_concurrency "
                        "(default 50; 20 with --quick)")
    p.add_argument("--client-nice", type=int, default=CLIENT_NICE,
                   help="niceness of the heavy users' clients (their threads in this process; "
                        f"default {CLIENT_NICE}, 0 = as the app): on one machine they take "
                        "CPU that in use is their users' own")
    p.add_argument("--rpm", type=int, default=None,
                   help="CODEBOOK_LLM_RPM and the simulator's rpm (default: 1.5x the "
                        "concurrency-bound rate, so it does not bind; 0 = no limit)")
    p.add_argument("--old-way", action="store_true",
                   help="also run the heavy workload the old way (one job at a time, one "
                        "chunk at a time: an app with CODEBOOK_LLM_CONCURRENCY=1) and print "
                        "the speed-up")
    p.add_argument("--old-way-users", type=int, default=None,
                   help="time only N old-way jobs and extrapolate linearly (default: all)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 20 users x 10 chunks at 0.5 s per call, concurrency 20, "
                        "shorter idle phases; the exit status judges only the targets that "
                        "are no time or memory figure")
    p.add_argument("--idle-seconds", type=float, default=None,
                   help="idle baseline length (default 30 s, 6 s with --quick)")
    p.add_argument("--after-seconds", type=float, default=None,
                   help="idle time after the load before RSS 'after' is read (default 15 s: "
                        "anyio keeps an idle worker thread 10 s; 6 s with --quick)")
    p.add_argument("--small-delay", type=float, default=None,
                   help="seconds after the heavy submissions when the 2-chunk job is sent "
                        "(default 5 s, or a quarter of the ideal time if that is shorter)")
    p.add_argument("--waves", type=int, default=None,
                   help="identical heavy waves (new users each time) run one after another; "
                        "wave 1 gives the timings, later ones show whether memory keeps "
                        "growing (default 4: the second wave still settles the allocator; "
                        "2 with --quick; 1 = a single wave)")
    p.add_argument("--upload-ttl", type=int, default=None,
                   help="run the main app with CODEBOOK_UPLOAD_TTL=N and, after the load, "
                        "wait until the load's uploads and downloads should be gone, then "
                        "count those left (default: the app's own TTL, not checked)")
    p.add_argument("--replicas", type=int, default=1,
                   help="run the main phase on N app processes behind nginx (deploy/nginx.conf,"
                        " Debian's nginx), the LLM concurrency and RPM split between them, as "
                        "docker-compose does (default 1: one process, no nginx)")
    p.add_argument("--naive", action="store_true",
                   help="drive bench/naive_app.py instead of the app: the issue's reference "
                        "(the same parsing code served the naive way: handlers in the serving "
                        "process, asyncio.gather under a semaphore, max_threads=200, no "
                        "tuning), to see what Gradio itself costs on this machine; the main "
                        "phase only")
    p.add_argument("--skip-overload", action="store_true", help="skip the overload phase")
    p.add_argument("--py-spy", action="store_true",
                   help="record a py-spy flame graph of the app during the load "
                        "(bench/out/load-<timestamp>-app.svg)")
    p.add_argument("--keep", action="store_true",
                   help="keep the scratch directory and save the app logs")
    a = p.parse_args(argv)
    if a.quick:
        defaults = {"users": 100, "latency": 2.0, "concurrency": 50}
        given = {k for k in defaults if getattr(a, k) != defaults[k]}
        a.users = a.users if "users" in given else 20
        a.latency = a.latency if "latency" in given else 0.5
        a.concurrency = a.concurrency if "concurrency" in given else 20
    if a.rpm is None:
        a.rpm = math.ceil(1.5 * a.concurrency / a.latency * 60)
    if a.waves is None:
        a.waves = 2 if a.quick else 4
    if a.idle_seconds is None:
        a.idle_seconds = 6.0 if a.quick else 30.0
    if a.after_seconds is None:
        # anyio ends a worker thread after 10 s idle: read threads after that
        a.after_seconds = 6.0 if a.quick else 15.0
    if a.small_delay is None:
        ideal = a.users * a.chunks / a.concurrency * a.latency
        a.small_delay = min(5.0, ideal / 4)
    if a.old_way_users is None:
        a.old_way_users = a.users
    if a.naive:
        if a.replicas > 1 or a.old_way or a.upload_ttl:
            p.error("--naive runs the main phase of one naive app: no --replicas, --old-way "
                    "or --upload-ttl")
        a.skip_overload = True   # the naive app has no queue limit to fill
    return a


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--light-user"]:
        return light_user_main(argv[1:])
    args = parse_args(argv)
    POSTS.install()
    run = Run(args)
    run.stamp = time.strftime("%Y%m%d-%H%M%S")

    def on_term(signum, frame):  # noqa: ARG001 - clean up on kill as on Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    # Ctrl-C even when started in the background by a shell (which ignores SIGINT for it)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run.main()
    except KeyboardInterrupt:
        log("interrupted; stopping the app(s) and the simulator")
        return 130
    finally:
        run.cleanup()
