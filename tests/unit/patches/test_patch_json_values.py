"""json_values: gr.JSON's postprocess gives what Gradio's gave (orjson's encoding, numpy arrays
too; what orjson cannot encode alone still goes Gradio's way), and its value is not walked for
files."""

from __future__ import annotations

import asyncio
import datetime

import gradio as gr
import numpy as np
from gradio import processing_utils


from engine.pipeline.steps import parse_rules
from harness.patch_checks import FIXTURES, app_demo, applied


def test_json_values_go_out_as_gradio_sent_them_without_the_walks(tmp_path):
    demo = app_demo()
    box = next(b for b in demo.blocks.values() if isinstance(b, gr.JSON))
    descriptor = parse_rules(FIXTURES / "house-prices" / "data_description.txt", "d.txt",
                             None, False, True, None).outputs.descriptor
    odd = {"when": datetime.date(2026, 11, 24), "obj": ValueError("x")}
    values = (descriptor, [1, "é", None, 2.5], {"a": np.arange(3)}, odd, "[1, 2]", None)
    theirs = [box.postprocess(v) for v in values]
    looks_like_a_file = {"meta": {"_type": "gradio.FileData"}, "path": str(tmp_path)}
    with applied("json_values", demo):
        assert gr.JSON.postprocess.__module__ == "web.patches.json_values"
        for value, their in zip(values, theirs):
            mine = box.postprocess(value)
            assert (mine is None) == (their is None)
            if mine is not None:
                assert type(mine) is type(their) and mine.model_dump() == their.model_dump()
        value = box.postprocess({"x": [looks_like_a_file]})
        for sent, plain in ((value, value.root), (value.model_dump(), None)):   # (Gradio: both)
            out = asyncio.run(processing_utils.async_move_files_to_cache(sent, box,
                                                                         postprocess=True))
            assert out is (plain or sent)               # not walked: not moved, not refused
            assert out == {"x": [looks_like_a_file]}    # and plain data, as the model dumps it
    assert gr.JSON.postprocess.__module__ != "web.patches.json_values"
