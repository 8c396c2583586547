"""gr.Dataframe values of row lists sent as they are: not copied row by row for pydantic to
validate against list[list[Any]] (which accepts any row as it is), nor walked cell by cell for
files (a fields table of 82 rows is 740 cells, sent with every LLM step of every job), nor
copied once more by model_dump (what a streaming event sends, Gradio keeps until the next step
to diff against: a table per running job)."""

from __future__ import annotations

from typing import Any, Callable

from ._base import Swaps

WRITTEN_FOR = {"gradio": "6.31.0", "pydantic": "2.12.5"}
UPSTREAM = "gr.Dataframe.postprocess building DataframeData with model_construct for row lists"


def install() -> Callable[[], None]:
    """Swap Dataframe.postprocess and pass tables by the walk for files; returns the undo."""
    from gradio import components, processing_utils
    from gradio.components.dataframe import DataframeData
    from gradio.data_classes import GradioModel, GradioRootModel

    swaps = Swaps()
    original_postprocess = components.Dataframe.postprocess

    def postprocess(self: Any, value: Any) -> Any:
        if not (isinstance(value, list) and value and all(type(r) is list for r in value)):
            return original_postprocess(self, value)
        if not value[0]:   # Gradio's is_empty: a first row without cells
            return DataframeData(headers=self.headers, data=[], metadata=None)
        headers, width = list(self.headers), len(value[0])
        if len(headers) > width:
            headers = headers[:width]
        elif len(headers) < width:
            headers = [*headers, *[str(i) for i in range(len(headers) + 1, width + 1)]]
        return DataframeData.model_construct(headers=headers, data=value, metadata=None)

    postprocess.__name__ = "postprocess"     # (inline_processing runs it in line)
    previous = processing_utils.async_move_files_to_cache

    async def move_files_to_cache(data: Any, block: Any, postprocess: bool = False,
                                  check_in_upload_folder: bool = False,
                                  keep_in_cache: bool = False) -> Any:
        if type(block) is components.Dataframe:   # headers, rows of cells, metadata: no files
            if isinstance(data, DataframeData):
                return {"headers": data.headers, "data": data.data, "metadata": data.metadata}
            return (data.model_dump() if isinstance(data, (GradioModel, GradioRootModel))
                    else data)
        return await previous(data, block, postprocess, check_in_upload_folder, keep_in_cache)

    swaps.set(components.Dataframe, "postprocess", postprocess)
    swaps.set(processing_utils, "async_move_files_to_cache", move_files_to_cache)
    return swaps.undo
