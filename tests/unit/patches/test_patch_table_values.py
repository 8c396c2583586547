"""table_values: gr.Dataframe's postprocess gives what Gradio's gave, for row lists (the rows
themselves, not copies) and everything else; the walk for files hands the same rows on."""

from __future__ import annotations

import asyncio

import gradio as gr
import pandas as pd
from gradio import processing_utils

from engine.model import FIELD_ROW_COLUMNS
from harness.patch_checks import app_demo, applied

ROWS = [["age", "Age", "years", "integer", "", "", "0..120", "", "yes"],
        ["sex", "", "", "string", "", "1=M; 2=F", "", "9=Refused", ""]]


def test_tables_go_out_as_gradio_sent_them_without_copying_the_rows():
    demo = app_demo()
    table = next(b for b in demo.blocks.values() if isinstance(b, gr.Dataframe)
                 and b.elem_id == "fields-table")      # (FIELD_ROW_COLUMNS, and an LLM column)
    assert set(FIELD_ROW_COLUMNS) <= set(table.headers)
    values = [ROWS, [r[:4] for r in ROWS], [r + ["more", 1, None] for r in ROWS], [[]], [],
              None, [("a", 1), ("b", 2)], ["a", "b"], {"headers": ["x"], "data": [[1]]},
              pd.DataFrame({"a": [1, 2], "b": ["x", None]})]
    theirs = [table.postprocess(v) for v in values]
    with applied("table_values", demo):
        for value, their in zip(values, theirs):
            mine = table.postprocess(value)
            assert type(mine) is type(their)
            assert mine.model_dump() == their.model_dump(), value
        sent = table.postprocess(ROWS)
        assert sent.data is ROWS and all(a is b for a, b in zip(sent.data, ROWS))
        assert sent.headers is not table.headers      # the component's own list stays its own
        out = asyncio.run(processing_utils.async_move_files_to_cache(sent, table,
                                                                     postprocess=True))
        assert out == sent.model_dump() and out["data"] is ROWS


def test_tables_are_not_walked_for_files():
    """A cell shaped like one of Gradio's files is left alone (Gradio's walk would move it,
    or refuse a path outside its cache)."""
    demo = app_demo()
    table = next(b for b in demo.blocks.values() if isinstance(b, gr.Dataframe))
    looks_like_a_file = {"meta": {"_type": "gradio.FileData"}, "path": "/etc/passwd"}
    with applied("table_values", demo):
        value = table.postprocess([["age", "Age"] + [""] * 7])
        out = asyncio.run(processing_utils.async_move_files_to_cache(
            {"headers": ["a"], "data": [[looks_like_a_file]]}, table, postprocess=True))
        assert out["data"][0][0] is looks_like_a_file
        dumped = asyncio.run(processing_utils.async_move_files_to_cache(value, table, True))
        assert dumped == value.model_dump()
