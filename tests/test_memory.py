"""engine.readers.memory: the memory a burst of work freed goes back to the OS."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from engine.readers.memory import release_free_memory, start_trimming

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from engine.readers.memory import keep_freed_memory, release_free_memory

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
    deadline = time.monotonic() + 5
    while trimmer.runs < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    trimmer.stop()
    assert trimmer.runs >= 2 and not trimmer.is_alive()
