"""The reference point for bench/load.py: the same features served the naive way.

Issue #5 gives a "naive Gradio app" as the scale for its targets: chunks fanned out with
`asyncio.gather` under a semaphore, generator streaming, `max_threads=200`, no other tuning.
This is that app, with this project's own parsing code, so that `bench/load.py --naive`
measures what Gradio itself costs on the machine at hand, driven exactly like the real app:

- the same API (`/parse_dictionary(file, use_llm)`, `/profile(file, sheet)`) and the same
  output layout, so the benchmark's checks apply unchanged;
- handlers run the engine's pipeline jobs in the serving process (its inline executor: no
  worker processes), with no Gradio tuning; the LLM part is the issue's naive fan-out, kept
  apart from the engine's on purpose (the engine's LLM service is the fair scheduler, rate
  limiter and cache this reference is measured against): one `AsyncOpenAI` client, every
  chunk at once under an `asyncio.Semaphore(CODEBOOK_LLM_CONCURRENCY)`, answers counted, not
  merged;
- the events have no concurrency limit (Gradio's default of 1 would make user 100 wait for
  the 99 before it, which is not the comparison the issue means).

Not part of the product: nothing imports it; only bench/load.py starts it, with the same
environment as app.py (OPENAI_*, CODEBOOK_CHUNK_TOKENS, CODEBOOK_LLM_CONCURRENCY, CODEBOOK_PORT).
`--quick` runs each handler once in process, by rules (no server, no LLM), and prints

    naive_app parse=FIELDS profile=ROWS
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gradio as gr  # noqa: E402
from openai import AsyncOpenAI  # noqa: E402

from engine.llm.chunking import chunk_text  # noqa: E402
from engine.llm.schema import response_format  # noqa: E402
from engine.llm.prompt import messages, user_message  # noqa: E402
from engine.llm.schema import parse_output  # noqa: E402
from engine.llm.source import dictionary_text  # noqa: E402
from engine.pipeline import (Failed, Final, InlineExecutor, Parsed, parse_job,  # noqa: E402
                             profile_job, run_job)
from web.session import json_safe  # noqa: E402

OUT = Path(tempfile.gettempdir()) / "naive-downloads"
BUDGET = int(os.environ.get("CODEBOOK_CHUNK_TOKENS", "1500"))
CONCURRENCY = int(os.environ.get("CODEBOOK_LLM_CONCURRENCY", "8"))
MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
client: AsyncOpenAI | None = None   # OPENAI_BASE_URL / OPENAI_API_KEY, at the first call
semaphore: asyncio.Semaphore | None = None   # made on the serving loop at first use


async def ask(chunk) -> tuple[int, int]:
    """One chunk to the LLM: (fields in the answer, 1 call)."""
    global client, semaphore
    if semaphore is None:
        client, semaphore = AsyncOpenAI(), asyncio.Semaphore(CONCURRENCY)
    async with semaphore:
        resp = await client.chat.completions.create(
            model=MODEL, messages=messages(user_message(chunk)), temperature=0,
            response_format=response_format("json_schema"))
    return len(parse_output(resp.choices[0].message.content).fields), 1


async def rules(file: str, name: str) -> tuple[Parsed, Final]:
    """The rule-based parse, in this process (its downloads written into OUT)."""
    parsed = final = None
    async for event in parse_job(file, name, executor=InlineExecutor(), outdir=lambda: OUT):
        if isinstance(event, Failed):
            raise event.error
        parsed = event if isinstance(event, Parsed) else parsed
        final = event if isinstance(event, Final) else final
    return parsed, final


async def parse_dictionary(file: str | None, use_llm: bool = False):
    if not file:
        raise gr.Error("Upload a data dictionary first.")
    name = Path(file).name
    parsed, final = await rules(file, name)
    out = final.outputs
    job = {"format": parsed.format, "warnings": parsed.warnings, "llm": None}
    if not use_llm:
        yield ("Parsed by rules.", out.table, out.descriptor, *out.downloads, json_safe(job))
        return
    yield "Parsed by rules; asking the LLM ...", out.table, None, None, None, job
    chunks = chunk_text(dictionary_text(file, name), final.schema().names, budget=BUDGET)
    llm = {"chunks_done": 0, "chunks_total": len(chunks), "flagged": [], "error": None,
           "done": False, "usage": {"calls": 0, "retries": 0, "cache_hits": 0}}
    job["llm"] = llm
    tasks = [asyncio.ensure_future(ask(c)) for c in chunks]
    try:
        for fut in asyncio.as_completed(tasks):
            _, calls = await fut
            llm["chunks_done"] += 1
            llm["usage"]["calls"] += calls
            llm["done"] = llm["chunks_done"] == len(chunks)
            if not llm["done"]:
                yield (f"{llm['chunks_done']} of {len(chunks)} chunks", out.table,
                       None, None, None, json_safe(job))
    finally:
        for t in tasks:
            t.cancel()
    yield ("Done.", out.table, out.descriptor, *out.downloads, json_safe(job))


def profile(file: str | None, sheet: str | None = None):
    if not file:
        raise gr.Error("Upload a dataset first.")
    result = run_job(profile_job(file, sheet=sheet or None, executor=InlineExecutor(),
                                 outdir=lambda: OUT)).value
    prof = result.profile
    return (prof.summary_markdown(), prof.column_rows(), json_safe(prof.to_dict()),
            result.download, gr.update(visible=False))


with gr.Blocks(title="Naive reference") as demo:
    with gr.Tab("Dictionary"):
        dict_file = gr.File(label="Data dictionary")
        use_llm = gr.Checkbox(label="Refine with LLM")
        parse_btn = gr.Button("Parse dictionary")
        status = gr.Markdown()
        table = gr.Dataframe(label="Fields")
        schema_json = gr.JSON(label="Table Schema")
        schema_file = gr.File(label="Table Schema (JSON)")
        csv_file = gr.File(label="Fields (CSV)")
        job_json = gr.JSON(label="Job")
    with gr.Tab("Dataset"):
        data_file = gr.File(label="Dataset")
        sheet = gr.Dropdown(label="Sheet", choices=[], allow_custom_value=True, visible=False)
        profile_btn = gr.Button("Profile")
        p_status = gr.Markdown()
        p_table = gr.Dataframe(label="Columns")
        p_json = gr.JSON(label="Profile")
        p_file = gr.File(label="Profile (JSON)")
    parse_btn.click(parse_dictionary, [dict_file, use_llm],
                    [status, table, schema_json, schema_file, csv_file, job_json],
                    api_name="parse_dictionary", concurrency_limit=None)
    profile_btn.click(profile, [data_file, sheet], [p_status, p_table, p_json, p_file, sheet],
                      api_name="profile", concurrency_limit=None)


def quick() -> int:
    """Each handler once, in process, by rules: the house-prices dictionary and its data."""
    fixtures = ROOT / "tests" / "fixtures" / "house-prices"

    async def parsed() -> list:
        return [out async for out in parse_dictionary(str(fixtures / "data_description.txt"))]
    fields = len(asyncio.run(parsed())[-1][2]["fields"])
    rows = profile(str(fixtures / "train.csv"))[2]["rows"]
    print(f"naive_app parse={fields} profile={rows}")
    return 0 if (fields, rows) == (79, 1460) else 1


if __name__ == "__main__" and sys.argv[1:] == ["--quick"]:
    sys.exit(quick())
elif __name__ == "__main__":
    demo.queue().launch(server_name=os.environ.get("CODEBOOK_HOST", "127.0.0.1"),
                        server_port=int(os.environ.get("CODEBOOK_PORT", "7860")),
                        max_threads=200)
