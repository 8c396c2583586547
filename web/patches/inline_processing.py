"""Cheap steps of an event run on the event loop instead of in a worker thread: Gradio runs
every input's preprocess, every output's postprocess, and even the call that merely creates a
generator handler's generator, through `anyio.to_thread.run_sync`, one after the other (nine
hand-overs for each update of a parse, most for microseconds of work, each waiting for the
interpreter lock and a turn of the busy event loop).  Plots and large tables still go to a
thread."""

from __future__ import annotations

import inspect
from typing import Any, Callable

from ._base import AnyioView, Swaps

WRITTEN_FOR = {"gradio": "6.31.0", "anyio": "4.16.0"}
UPSTREAM = "gradio.blocks running cheap component processing without a thread hand-over"

# components whose preprocess/postprocess of this app's values takes microseconds (an 82-row
# fields table 0.23 ms, a Table Schema JSON of 82 fields 0.7 ms, the rest < 0.02 ms)
INLINE_COMPONENTS = frozenset({"Markdown", "State", "Checkbox", "Dropdown", "Textbox", "File",
                               "Button", "JSON", "Dataframe", "Number"})
INLINE_TABLE_ROWS = 500   # a bigger table is processed in a thread (the loop keeps serving)


def runs_inline(func: Callable, args: tuple) -> bool:
    """Whether `to_thread.run_sync(func, *args)` from gradio.blocks is cheap enough to call on
    the event loop: creating a generator, or processing a small value of a listed component."""
    if inspect.isasyncgenfunction(func) or inspect.isgeneratorfunction(func):
        return True          # calling it only creates the generator object
    if getattr(func, "__name__", None) not in ("preprocess", "postprocess"):
        return False
    kind = type(getattr(func, "__self__", None)).__name__
    if kind not in INLINE_COMPONENTS:
        return False
    if kind == "Dataframe" and args:
        try:
            return len(args[0]) <= INLINE_TABLE_ROWS
        except TypeError:    # a model or a styler: count its rows where it keeps them
            data = getattr(args[0], "data", None)
            return data is None or len(data) <= INLINE_TABLE_ROWS
    return True


def install() -> Callable[[], None]:
    """Give gradio.blocks a view of anyio whose cheap to_thread calls run in line."""
    from gradio import blocks

    swaps = Swaps()
    swaps.set(blocks, "anyio", AnyioView(blocks.anyio, runs_inline))
    return swaps.undo
