"""engine.memory and web.runtime: the memory a burst of work freed goes back to the OS;
the garbage collector leaves the start-up heap alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.memory import release_free_memory
from harness.waiting import wait_until
from web.runtime.memory import start_trimming

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from engine.memory import keep_freed_memory, release_free_memory

    def rss_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024

    keep_freed_memory()            # as the app's profiles set it: freed blocks are kept
    blocks = [bytearray(20_000) for _ in range(10_000)]   # 200 MB in malloc'd blocks
    kept = blocks[::50]            # a few survive, scattered over the heap
    del blocks
    before = rss_mb()
    assert release_free_memory()
    print(before, rss_mb(), len(kept))
""")


def test_freed_memory_goes_back_after_a_burst(tmp_path):
    script = tmp_path / "trim.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    before, after, _ = (int(x) for x in out.stdout.split())
    assert before > 150 and after < before - 100, (before, after)


def test_the_trimming_thread_runs_in_the_background():
    assert release_free_memory()          # glibc (Debian, the Docker image)
    assert start_trimming(0) is None
    trimmer = start_trimming(0.01)
    assert trimmer is not None and trimmer.daemon
    try:
        wait_until(lambda: trimmer.runs >= 2, "two trims", give_up=5, every=0.01)
    finally:
        trimmer.stop()
    assert trimmer.runs >= 2 and not trimmer.is_alive()


GC_SCRIPT = textwrap.dedent("""
    import gc, sys
    sys.path.insert(0, {root!r})
    from web.runtime.heap import FULL_COLLECTION_EVERY, freeze_startup_heap

    startup = [[i] for i in range(50_000)]      # long-lived objects of the start-up
    if {tuned}:
        freeze_startup_heap()
    else:
        gc.collect()
        gc.freeze()
    counts = {{0: 0, 1: 0, 2: 0}}
    gc.callbacks.append(lambda phase, info: phase == "start" and counts.__setitem__(
        info["generation"], counts[info["generation"]] + 1))
    kept = []
    for i in range(400_000):                    # requests: objects that stay (jobs' schemas)
        kept.append([i])
    class Cycle:
        pass
    c = Cycle(); c.me = c; del c                # garbage only the cycle collector frees
    gc.collect()
    print(counts[1], counts[2], gc.get_freeze_count() >= 50_000,
          gc.get_threshold()[2] == (FULL_COLLECTION_EVERY if {tuned} else 10),
          not any(type(o).__name__ == "Cycle" for o in gc.get_objects()))
""")


def test_full_collections_are_rare_after_start_up(tmp_path):
    """Each full collection walks every object the jobs keep (0.1-0.2 s of the serving thread
    under load): after freeze_startup_heap there are far fewer of them than by default, and a
    cycle still gets collected."""
    runs = {}
    for tuned in (False, True):
        script = tmp_path / f"gc_{tuned}.py"
        script.write_text(GC_SCRIPT.format(root=str(ROOT), tuned=tuned))
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
        young, full, frozen, threshold, freed = out.stdout.split()
        assert (frozen, threshold, freed) == ("True", "True", "True")
        runs[tuned] = int(young), int(full)
    default_young, default_full = runs[False]
    tuned_young, tuned_full = runs[True]
    assert default_full >= 4                       # (the final gc.collect() counts as one)
    assert tuned_full <= tuned_young // 1000 + 1 < default_full


@pytest.mark.parametrize("environment, expected", [(None, "small"), ("1", "huge")])
def test_large_table_work_keeps_numpy_off_huge_pages_unless_the_environment_asks(
        environment, expected):
    """numpy asks for huge pages for arrays of 4 MiB and more; the kernel zeroes each whole on
    first touch, which cost the profile's short-lived temporaries more than it saved.  A
    NUMPY_MADVISE_HUGEPAGE the user set is left alone."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if environment is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = environment
    code = ("from engine.memory import keep_freed_memory; keep_freed_memory(); "
            "from numpy._core import multiarray; "   # the switch returns the setting it replaces
            "print('huge' if multiarray._set_madvise_hugepage(False) else 'small')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == expected
