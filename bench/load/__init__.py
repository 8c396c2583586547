"""Load benchmark: the real app and the LLM SIMULATOR on loopback, driven only through
gradio_client, as real clients would drive it.

    .venv/bin/python bench/load.py                 # 100 users x 10 chunks, 2 s per call, ~6 min
    .venv/bin/python bench/load.py --quick         # 20 users x 10 chunks, 0.5 s per call, ~1.5 min
    .venv/bin/python bench/load.py --old-way --old-way-users 3 --waves 1   # + the old way
    .venv/bin/python bench/load.py --naive         # the same drive, the issue's naive app

Phases (one run): start the simulator (latency, RPM limit, max_concurrency = the app's LLM
concurrency with 429 beyond it, so any excess shows) and the app; warm up; IDLE baseline (one
light user profiles a small CSV and parses a small dictionary by rules once a second, at a
random moment of each second, alone, for --idle-seconds);
FAIRNESS baseline (a 2-chunk LLM job alone); LOAD (--users heavy users each submit an
LLM-refined parse of a --chunks-chunk dictionary at nearly the same moment, the light user keeps
going, and --small-delay s in a 2-chunk job is submitted and timed; the app's RSS, threads, open
files and CPU are sampled every 0.25 s); AFTER (the heavy clients leave, 15 s idle, RSS again);
with --waves 4 (the default) the same load three more times with new users and new
dictionaries, to tell a one-off high-water mark from memory that grows with every wave (the
growth per wave is the least-squares slope of the RSS after each wave); OVERLOAD (a second
app with a queue of 5 and 2 LLM jobs at once is filled; extra submissions must be refused at
once with "Queue is full", and the app must then serve a new request by itself); with
--old-way, the OLD WAY (an app with CODEBOOK_LLM_CONCURRENCY=1 and the heavy jobs sent one
after another;
--old-way-users N times N of them and extrapolates linearly, labelled so).  --upload-ttl N also
checks that uploads and downloads are deleted after N s.

Every simulated user has its own gradio_client.Client (one session each), created before the
timed part.  All clients share one SSL context (`ssl_verify=ssl.create_default_context()`):
gradio_client otherwise builds a new one for every HTTP request (~40 ms of client CPU each, even
for http://), which a tuned real client would not do.  Otherwise the clients keep gradio_client's
defaults, including its 5 s HTTP timeout on uploads and queue/join (a slower answer fails the
job, as it would for a real caller).  Heavy users' clients do not download the result files
(download_files=False); the light user's client does (its latency is a full round trip).  The
light user runs in a process of its own, as another user's client would (in this one it shared
the interpreter lock with the hundred heavy clients' threads, and its latency included theirs:
it measured the bench as much as the app).  One poller thread watches every job's outputs
every 20 ms (first partial, first LLM chunk and completion are timed to that resolution).  The
heavy users' clients run at niceness --client-nice (10; their threads only: the app, the
simulator and the light user keep the usual one): on one 2-core machine their CPU, up to 0.9 of
a core while a hundred jobs are submitted and again while their results are parsed, was taken
from the app and the light user, whereas real clients run on their users' machines.  The
CPU used by the app, the simulator, this process (the clients) and other processes on the
machine is measured and printed: with many clients on 2 cores the client side, or a neighbour,
can become the bottleneck.  So is the machine's speed, as the time of a fixed CPU loop before
and after the main phase: on a shared VM it varies by half within minutes, and with it every
latency figure of a run.

Prints a table (metric, value, target, PASS/FAIL/info) and writes bench/out/load-<timestamp>.json
(every job's and light request's timings, RSS samples, simulator counters).  Exit code 0 when
every target is met, 1 otherwise; with --quick, 1 only when a target that is no time, ratio of
times or memory figure was missed (a job failed, a call was lost, the app logged an error …):
a busy machine misses the others without anything being wrong.  The last line sums up:

    load targets=N missed=N (measured N, other N)

Use --py-spy for a flame graph of the app during the load.

The package, by concern: `common` (constants, clock, log), `machine` (readings of the machine
and the app's processes), `workload` (the files sent), `clients` (the users' clients, their
jobs, the poller), `light` (the light user's process), `apps` (apps and replicas), `phases`,
`evaluate` (the rows of the main phase), `report` (header, table, JSON), `run` (Run: the
phases in order), `cli` (options, entry point).
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")   # before gradio_client is imported

from .cli import main, parse_args  # noqa: E402
from .common import slope, split_limit  # noqa: E402
from .light import light_user_main  # noqa: E402

__all__ = ["light_user_main", "main", "parse_args", "slope", "split_limit"]
