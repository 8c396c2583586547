"""gr.JSON values without pydantic's walks: the value orjson has just encoded and decoded is
JSON data by construction, so it is not validated element by element (1 ms of the serving
thread for an 82-field Table Schema), nor walked for files on its way out (this app's JSON
values are Table Schemas, job details and profiles: never files)."""

from __future__ import annotations

from typing import Any, Callable

from ._base import Swaps

WRITTEN_FOR = {"gradio": "6.31.0", "orjson": "3.13.0", "pydantic": "2.12.5"}
UPSTREAM = "gr.JSON.postprocess building JsonData with model_construct after orjson's round trip"


def install() -> Callable[[], None]:
    """Swap JSON.postprocess and pass JSON values by the walk for files; returns the undo."""
    import orjson
    from gradio import components, processing_utils
    from gradio.components.json_component import JsonData
    from gradio.data_classes import GradioModel, GradioRootModel

    swaps = Swaps()
    original_postprocess = components.JSON.postprocess

    def postprocess(self: Any, value: Any) -> Any:
        # anything orjson cannot encode alone (Gradio then tries `str()` of it) goes Gradio's way
        if isinstance(value, (dict, list)):
            try:
                data = orjson.loads(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))
            except (TypeError, orjson.JSONEncodeError):
                return original_postprocess(self, value)
            return JsonData.model_construct(root=data)
        return original_postprocess(self, value)

    postprocess.__name__ = "postprocess"     # (inline_processing runs it in line)
    previous = processing_utils.async_move_files_to_cache

    async def move_files_to_cache(data: Any, block: Any, postprocess: bool = False,
                                  check_in_upload_folder: bool = False,
                                  keep_in_cache: bool = False) -> Any:
        if type(block) is components.JSON:
            # left a model, its root went on into the event's message, whose model_dump then
            # type-checked every element
            if isinstance(data, JsonData):
                return data.root
            return (data.model_dump() if isinstance(data, (GradioModel, GradioRootModel))
                    else data)
        return await previous(data, block, postprocess, check_in_upload_folder, keep_in_cache)

    swaps.set(components.JSON, "postprocess", postprocess)
    swaps.set(processing_utils, "async_move_files_to_cache", move_files_to_cache)
    return swaps.undo
