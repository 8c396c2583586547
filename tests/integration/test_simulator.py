"""The SIMULATOR served: its limits, faults and counters, in a thread and as a subprocess (its
answers in process: tests/unit/test_simulator_answers.py)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import openai
import pytest

from engine.llm.chunking import Chunk
from engine.llm.prompt import messages, user_message
from engine.llm.schema import parse_output, response_format
from harness.processes import free_port
from harness.waiting import wait_until
from simulator import BANNER, MODEL_NAME, run_in_thread

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sim():
    handle = run_in_thread(latency="0.05", seed=3)
    yield handle
    handle.stop()


@pytest.fixture
def fresh(sim):
    sim.configure(latency="0.05", max_concurrency=0, over_capacity="429", rpm=0,
                  json_schema=True, require_key="", fail_500=0.0)
    sim.reset()
    return sim


def _request(text: str, names=(), fmt="json_schema") -> dict:
    body = {"model": "x", "messages": messages(user_message(Chunk(0, text, tuple(names), 0, (0, 0))))}
    if response_format(fmt):
        body["response_format"] = response_format(fmt)
    return body


async def _post_many(base_url: str, bodies: list[dict], key: str = "k"):
    client = openai.AsyncOpenAI(base_url=base_url, api_key=key, max_retries=0)
    try:
        return await asyncio.gather(*(client.chat.completions.create(**b) for b in bodies),
                                    return_exceptions=True)
    finally:
        await client.close()


def test_structured_answer_through_the_real_client(fresh):
    body = _request("age: Age in years\n\nsex: Sex\n   1\tMale\n   2\tFemale\n", ["age", "sex"])
    [resp] = asyncio.run(_post_many(fresh.base_url, [body]))
    assert resp.model == MODEL_NAME and resp.choices[0].finish_reason == "stop"
    result = parse_output(resp.choices[0].message.content)
    assert [f.name for f in result.fields] == ["age", "sex"]
    assert resp.usage.prompt_tokens > 0
    models = urllib.request.urlopen(fresh.base_url + "/models").read()
    assert json.loads(models)["data"][0]["id"] == MODEL_NAME


def test_concurrency_cap_answers_429_or_queues(fresh):
    fresh.configure(max_concurrency=2, latency="0.1")
    bodies = [_request(f"f{i}: field {i}") for i in range(5)]
    results = asyncio.run(_post_many(fresh.base_url, bodies))
    limited = [r for r in results if isinstance(r, openai.RateLimitError)]
    assert len(limited) == 3
    assert limited[0].response.headers["retry-after"] == "1"
    stats = fresh.stats()
    assert stats["rejected_429_concurrency"] == 3 and stats["max_in_flight"] == 2
    fresh.configure(over_capacity="queue")
    fresh.reset()
    results = asyncio.run(_post_many(fresh.base_url, bodies))
    assert not any(isinstance(r, Exception) for r in results)
    assert fresh.stats()["max_in_flight"] == 2 and fresh.stats()["completed"] == 5


def test_rpm_limit_answers_429_with_retry_after(fresh):
    fresh.configure(rpm=3, rpm_window=30, latency="0")
    results = asyncio.run(_post_many(fresh.base_url, [_request("a: b")] * 5))
    limited = [r for r in results if isinstance(r, openai.RateLimitError)]
    assert len(limited) == 2, results
    assert 25 <= int(limited[0].response.headers["retry-after"]) <= 30
    stats = fresh.stats()
    assert stats["rejected_429_rpm"] == 2 and stats["requests"] == 5
    assert stats["per_minute"] == {"0": 5} and len(stats["request_times"]) == 5


def test_key_and_json_schema_checks(fresh):
    fresh.configure(require_key="sk-right", json_schema=False)
    [bad_key] = asyncio.run(_post_many(fresh.base_url, [_request("a: b")], key="sk-wrong"))
    assert isinstance(bad_key, openai.AuthenticationError)
    [schema] = asyncio.run(_post_many(fresh.base_url, [_request("a: b")], key="sk-right"))
    assert isinstance(schema, openai.BadRequestError) and "json_schema" in str(schema)
    [ok] = asyncio.run(_post_many(fresh.base_url, [_request("a: b", fmt="json_object")],
                                  key="sk-right"))
    assert parse_output(ok.choices[0].message.content).fields[0].name == "a"
    assert "require_key" not in fresh.stats()["options"]


def test_fault_directives_and_rates(fresh):
    body = _request("a: b [[sim:truncatedx1]]")
    first, second = asyncio.run(_post_many(fresh.base_url, [body])), \
        asyncio.run(_post_many(fresh.base_url, [body]))
    assert first[0].choices[0].finish_reason == "length"
    assert second[0].choices[0].finish_reason == "stop"
    fresh.configure(fail_500=1.0)
    [err] = asyncio.run(_post_many(fresh.base_url, [_request("c: d")]))
    assert isinstance(err, openai.InternalServerError)
    assert fresh.stats()["faults"] == {"truncated": 1, "500": 1}
    fresh.reset()
    assert fresh.stats()["requests"] == 0
    with pytest.raises(urllib.error.HTTPError):
        fresh.configure(no_such_option=1)


def test_runs_as_a_subprocess():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--port", str(port),
                             "--latency", "0.01", "--seed", "1"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        banner = proc.stdout.readline()
        assert banner.strip() == BANNER and "SIMULATOR" in banner

        def stats():
            try:
                return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/stats").read())
            except OSError:
                return None
        stats = wait_until(stats, "the simulator subprocess to answer", give_up=20)
        assert stats["simulator"] == MODEL_NAME and stats["requests"] == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
