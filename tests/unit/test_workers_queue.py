"""The worker pool without workers: steps in threads, the order steps queued for a worker place
are let in, and what a parse leaves in the session and the downloads (the pool's processes:
tests/integration/test_workers.py)."""

from __future__ import annotations

from web.runtime.workers import CpuPool


def test_without_workers_steps_run_in_threads():
    import asyncio
    import threading

    pool = CpuPool(0)
    pool.start()
    assert not pool.active
    main_thread = threading.get_ident()
    ran_in = asyncio.run(pool.run(threading.get_ident))
    assert ran_in != main_thread


def queue_order(steps: list[tuple[str, dict]]) -> list[str]:
    """Scheduling only: the order in which `steps` (name, run() options), all queued while
    the pool's one worker place is taken, are let in."""
    import asyncio

    from web.runtime.workers import _Gate, queue_key

    order = []

    async def main():
        gate = _Gate(1)
        await gate.acquire((0, 0))

        async def step(name, priority=0, size=0):
            await gate.acquire(queue_key(priority, size))
            order.append(name)
            gate.release()
        tasks = []
        for name, options in steps:
            tasks.append(asyncio.create_task(step(name, **options)))
            await asyncio.sleep(0)
        gate.release()
        await asyncio.gather(*tasks)
        again = asyncio.ensure_future(gate.acquire((0, 0)))   # the one place came back:
        more = asyncio.ensure_future(gate.acquire((0, 0)))    # taken at once, and only once
        await asyncio.sleep(0)
        assert again.done() and not more.done()
        more.cancel()
    asyncio.run(main())
    return order


def test_urgent_steps_go_first_when_the_workers_are_busy():
    """A priority-0 step queued after two priority-1 steps is handed the worker first."""
    assert queue_order([("chunk-a", {"priority": 1}), ("chunk-b", {"priority": 1}),
                        ("parse", {"priority": 0})]) == ["parse", "chunk-a", "chunk-b"]


def test_small_inputs_go_before_big_ones_of_the_same_priority():
    """Among steps of one priority the small input goes first (a 2 KB dictionary queued behind
    forty-KB ones); inputs within a factor of two keep their order, and priority still wins."""
    steps = [("big-1", {"size": 40_000}), ("big-2", {"size": 50_000}),
             ("chunking", {"priority": 1, "size": 100}), ("small", {"size": 2_000}),
             ("big-3", {"size": 33_000})]
    assert queue_order(steps) == ["small", "big-1", "big-2", "big-3", "chunking"]


def test_the_session_keeps_the_schema_compressed(tmp_path):
    """What the parse leaves in the session (a gr.State) is compressed JSON, and the steps
    that read it (profile, analyze) get the same Table Schema back."""
    import json

    from harness.fixtures import fixture_path
    from engine.pipeline.steps import parse_rules
    from web.session import schema_of_session, session_dictionary

    path = fixture_path("house-prices", "data_description.txt")
    full = parse_rules(path, "d.txt", None, False, True, None).outputs
    assert isinstance(full.compact, bytes)
    assert len(full.compact) < 0.25 * len(json.dumps(full.descriptor, separators=(",", ":")))
    assert schema_of_session(full.compact).to_descriptor() == full.descriptor
    assert schema_of_session(None) is None and session_dictionary(b"", tmp_path) is None
    saved = session_dictionary(full.compact, tmp_path)
    assert json.loads(saved.read_text()) == full.descriptor
    # an LLM job's first result: no descriptor sent back, the same session form, the schema
    # packed
    lean = parse_rules(path, "d.txt", None, True, True, None)
    assert lean.outputs.descriptor is None and lean.outputs.compact == full.compact
    assert lean.outputs.table == full.table and lean.schema is None
    assert lean.rules.unpack().to_descriptor() == full.descriptor and lean.count == 79


def test_schema_downloads_are_indented_json_as_the_json_module_writes_it(tmp_path):
    """The Table Schema download is written with orjson (the json module with an indent was
    the largest part of finishing an LLM job): the same bytes, non-ASCII kept as is; what
    orjson refuses (a key that is not a string) still gets written."""
    import json

    from harness.fixtures import fixture_path
    from engine.pipeline.steps import parse_file
    from engine.report.downloads import pretty_json, write_schema_downloads

    schema = parse_file(fixture_path("house-prices", "data_description.txt")).schema
    descriptor = {**schema.to_descriptor(), "title": "Données – «maison» 🏠",
                  "x": [1.5, None, True]}
    expected = json.dumps(descriptor, indent=2, ensure_ascii=False).encode("utf-8")
    assert pretty_json(descriptor) == expected
    json_path, _ = write_schema_downloads(schema, "d.txt", tmp_path, descriptor=descriptor)
    assert json_path.read_bytes() == expected
    assert pretty_json({1: "a"}) == json.dumps({1: "a"}, indent=2).encode()
