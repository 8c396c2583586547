"""CPU-bound steps in worker processes: same results as in-process, errors pass through with
their message; a worker killed, out of memory, out of time or cancelled fails its step with a
message saying so and is replaced (the pool keeps its size; nothing runs in the serving
process instead); workers end with the app (the pool without workers, and its queue order:
tests/unit/test_workers_queue.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from harness.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import asyncio, functools, os, signal, sys
    sys.path.insert(0, {root!r})
    from engine.errors import InputError, NoFieldsFound
    from engine.pipeline.steps import parse_rules, profile_step, schema_outputs
    from engine.llm import dictionary_text, prepare_refine
    from engine.llm.merge import split_rules
    from engine.model import unpack_fields
    from engine.llm.chunking import chunk_text
    from web.runtime.workers import CpuPool
    from web.views import profile_view

    dictionary, empty, dataset, out = sys.argv[1:5]
    pool = CpuPool(2)
    pool.start()
    assert pool.active
    rules_of = functools.partial(parse_rules, sheet=None, llm_job=False, outputs=False,
                                 outdir=None)
    profiled = functools.partial(profile_step, present=profile_view)

    async def main():
        parsed = await pool.run(rules_of, dictionary, "data_description.txt")
        here = rules_of(dictionary, "data_description.txt")
        assert parsed.schema.to_descriptor() == here.schema.to_descriptor()
        lean = await pool.run(parse_rules, dictionary, "d.txt", None, True, True, None)
        assert lean.schema is None and lean.rules.unpack() == here.schema
        assert lean.outputs.descriptor is None and lean.outputs.downloads == (None, None)
        chunks, split = await pool.run(prepare_refine, dictionary, "d.txt", lean.rules, 400)
        text = dictionary_text(dictionary, "d.txt")
        assert len(chunks) > 3 and chunks == chunk_text(text, here.schema.names, budget=400)
        mine = split_rules(here.schema, chunks)   # the same fields (not always the same bytes)
        assert list(map(unpack_fields, split.parts)) == list(map(unpack_fields, mine.parts))
        assert (split.missing_values, split.extras) == (mine.missing_values, mine.extras)
        full = await pool.run(parse_rules, dictionary, "d.txt", None, False, True,
                              os.path.join(out, "p"))
        made = full.outputs
        assert made.descriptor == here.schema.to_descriptor() and full.schema is None
        cells = [c for row in made.table for c in row]   # equal cells stay one object
        assert len(set(map(id, cells))) == len(set(cells)) < len(cells)
        mine = schema_outputs(here.schema, "d.txt", os.path.join(out, "m"))
        assert (made.table, made.descriptor, made.compact) == (
            mine.table, mine.descriptor, mine.compact) and made.compact == lean.outputs.compact
        assert [open(p, "rb").read() for p in made.downloads] == [
            open(p, "rb").read() for p in mine.downloads]
        bare = await pool.run(schema_outputs, here.schema, "d.txt", None)
        assert bare.downloads == (None, None) and bare.table == made.table
        try:
            await pool.run(rules_of, empty, "empty.txt")
        except NoFieldsFound as exc:
            print("error:", exc)
        warnings, prof = await pool.run(profiled, dataset, "train.csv", None, made.compact, out)
        _, mine = profiled(dataset, "train.csv", None, made.compact, out)
        same = lambda d: {{k: v for k, v in d.items() if k != "seconds"}}
        assert same(prof.data) == same(mine.data) and prof.table.equals(mine.table)
        assert prof.download == mine.download and prof.warnings == mine.warnings == warnings
        print("profiled:", prof.data["rows"], "rows")
        blank = os.path.join(out, "blank.csv")
        open(blank, "w").close()
        try:
            await pool.run(profiled, blank, "blank.csv", None, None, out)
        except InputError as exc:
            print("error:", exc)
        pids = pool.worker_pids()
        os.kill(pids[0], signal.SIGKILL)     # a worker killed while idle: replaced, and the
        while os.path.exists(f"/proc/{{pids[0]}}/stat") and \\
                open(f"/proc/{{pids[0]}}/stat").read().split()[2] != "Z":
            await asyncio.sleep(0.01)
        results = await asyncio.gather(*[pool.run(rules_of, dictionary, "d.txt")
                                         for _ in range(4)])   # steps run in workers all along
        assert all(r.count == len(r.schema.fields) == 79 for r in results)
        assert pool.active and len(pool.worker_pids()) == 2 and pids[0] not in pool.worker_pids()
        print("fields:", results[0].count)
    asyncio.run(main())
    pool.close()
""")


def test_steps_run_in_workers_and_survive_a_dead_worker(tmp_path):
    from harness.fixtures import fixture_path
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing to see here\n")
    script = tmp_path / "pool.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    out = subprocess.run([sys.executable, str(script),
                          str(fixture_path("house-prices", "data_description.txt")), str(empty),
                          str(fixture_path("house-prices", "train.csv")), str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "error: No field definitions could be recognised in empty.txt" in out.stdout
    assert "profiled: 1460 rows" in out.stdout
    assert "error: blank.csv is empty: upload a file that contains the data." in out.stdout
    assert "fields: 79" in out.stdout


def test_workers_end_with_the_app(tmp_path):
    """The app killed outright (no clean shutdown) takes its fork server and workers with it."""
    import os
    import signal

    from harness.app_server import AppServer

    app = AppServer(env={"CODEBOOK_CACHE_DIR": str(tmp_path), "CODEBOOK_CPU_WORKERS": "2"})
    try:
        servers = children(app.proc.pid)
        assert len(servers) == 1 and "2 CPU worker processes ready" in app.log()
        workers = children(servers[0])
        assert len(workers) == 2
    finally:
        os.kill(app.proc.pid, signal.SIGKILL)
        app.stop()
    wait_until(lambda: not any(map(running, servers + workers)),
               "the fork server and workers to end with the app", give_up=10)


def children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux)."""
    return [int(p) for p in (Path("/proc") / str(pid) / "task" / str(pid) /
                             "children").read_text().split()]


def running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False
