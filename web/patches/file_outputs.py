"""A File output's paths checked once, not twice: Gradio moves every output through its file
checks once to keep in the session and once to send, and for each file resolves the path
against the cache, the working directory, the temp directory and the allowed and blocked
paths (a dozen `Path.resolve` calls, a system call per directory each) for every download of
every finished job.  The second pass gets a copy of the first one's result."""

from __future__ import annotations

from typing import Any, Callable

from ._base import Swaps

WRITTEN_FOR = {"gradio": "6.31.0", "orjson": "3.13.0"}
UPSTREAM = "Gradio moving an event's output files into its cache once per event, not per pass"
KEPT = 256     # File outputs whose checked form is kept for Gradio's second pass


def install() -> Callable[[], None]:
    """Memoise the move of File outputs; returns the undo."""
    import orjson
    from gradio import components, processing_utils
    from gradio.data_classes import GradioModel, GradioRootModel

    swaps = Swaps()
    previous = processing_utils.async_move_files_to_cache

    async def move_files_to_cache(data: Any, block: Any, postprocess: bool = False,
                                  check_in_upload_folder: bool = False,
                                  keep_in_cache: bool = False) -> Any:
        if not (postprocess and not check_in_upload_folder
                and type(block) is components.File):
            return await previous(data, block, postprocess, check_in_upload_folder,
                                  keep_in_cache)
        plain = data.model_dump() if isinstance(data, (GradioModel, GradioRootModel)) else data
        try:
            key = orjson.dumps([plain, keep_in_cache], option=orjson.OPT_SORT_KEYS)
        except (TypeError, orjson.JSONEncodeError):
            return await previous(data, block, True, False, keep_in_cache)
        memo = block.__dict__.setdefault("_codebook_moved_files", {})
        moved = memo.pop(key, None)
        if moved is None:
            moved = orjson.dumps(await previous(data, block, True, False, keep_in_cache))
            memo[key] = moved
            while len(memo) > KEPT:     # (dicts keep their order: the oldest first)
                del memo[next(iter(memo))]
        return orjson.loads(moved)

    swaps.set(processing_utils, "async_move_files_to_cache", move_files_to_cache)
    return swaps.undo
