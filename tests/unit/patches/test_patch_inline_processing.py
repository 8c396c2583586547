"""inline_processing: gradio.blocks hands preprocess/postprocess and generator creation to
`anyio.to_thread.run_sync`: the cheap ones run on the spot, plots and big tables still go to a
thread, and every call gives what it gave."""

from __future__ import annotations

import asyncio
import inspect

import anyio
import gradio as gr
from gradio import blocks as gradio_blocks

from harness.patch_checks import app_demo, applied
from web.patches import inline_processing
from web.patches._base import AnyioView


def test_cheap_processing_runs_in_line_and_the_rest_in_a_thread():
    demo = app_demo()
    with applied("inline_processing", demo):
        assert isinstance(gradio_blocks.anyio, AnyioView)
        assert gradio_blocks.anyio.CapacityLimiter is anyio.CapacityLimiter
        shim = gradio_blocks.anyio.to_thread
        sent = []

        class Threads:
            async def run_sync(self, func, *args, **kwargs):
                sent.append(getattr(func, "__qualname__", func))
                return func(*args)
        shim._real, real = Threads(), shim._real
        try:
            def of(kind):
                return next(b for b in demo.blocks.values() if type(b) is kind)

            async def agen():
                yield 1
            small = [["age"] + [""] * 8] * 10
            big = [["age"] + [""] * 8] * (inline_processing.INLINE_TABLE_ROWS + 1)
            calls = [(of(gr.Markdown).postprocess, "**x**"), (of(gr.JSON).postprocess, {"a": 1}),
                     (of(gr.Dataframe).postprocess, small), (of(gr.File).postprocess, None),
                     (of(gr.Checkbox).preprocess, True), (agen,)]
            for func, *args in calls:
                out = asyncio.run(shim.run_sync(func, *args, limiter=None))
                assert sent == [], func
                if func is agen:
                    assert inspect.isasyncgen(out)
                else:
                    assert out == func(*args)
            asyncio.run(shim.run_sync(of(gr.Dataframe).postprocess, big))
            asyncio.run(shim.run_sync(of(gr.Plot).postprocess, None))
            asyncio.run(shim.run_sync(sorted, [2, 1]))
            assert sent == [of(gr.Dataframe).postprocess.__qualname__, "Plot.postprocess",
                            "sorted"]
        finally:
            shim._real = real
    assert gradio_blocks.anyio is anyio
