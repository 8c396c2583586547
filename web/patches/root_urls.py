"""Only the outputs that hold a file are walked to prefix their files' URLs: Gradio walked every
element of every output of every event (a call per cell of a fields table, per key of a Table
Schema) to find them."""

from __future__ import annotations

from typing import Any, Callable

from ._base import Swaps

WRITTEN_FOR = {"gradio": "6.31.0", "orjson": "3.13.0"}
UPSTREAM = "gradio.processing_utils.add_root_url skipping outputs without a FileData"


def holds_no_file(value: Any) -> bool:
    """True when `value` surely holds no Gradio file: a file is a dict whose "meta" has
    "_type": "gradio.FileData", so its JSON contains that string."""
    import orjson

    if value is None or isinstance(value, (str, int, float)):
        return True
    try:
        return b'"gradio.FileData"' not in orjson.dumps(value)
    except TypeError:           # (not JSON data: bytes, models) walked as before
        return False


def install() -> Callable[[], None]:
    """Swap add_root_url; returns the undo."""
    from gradio import processing_utils

    swaps = Swaps()
    original = processing_utils.add_root_url

    def add_root_url(data: Any, root_url: str, previous_root_url: str | None) -> Any:
        if not isinstance(data, list):       # (an event's outputs are a list)
            return original(data, root_url, previous_root_url)
        return [value if holds_no_file(value) else original(value, root_url, previous_root_url)
                for value in data]

    swaps.set(processing_utils, "add_root_url", add_root_url)
    return swaps.undo
