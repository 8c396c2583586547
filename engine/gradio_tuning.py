"""Fixes for two costs inside Gradio 6.31 found with py-spy under load (bench/load.py).

For every new session (each browser tab, each gradio_client `Client`) Gradio's `SessionState`
builds the full front-end config of every block of the app (`config_values`: 57 blocks here,
about 6 ms of the serving thread, the one thread every user's requests go through), and then
keeps a copy of every value an event sends to the session in it, for as long as the session is
kept (an hour after it closes, up to `state_session_capacity` sessions).  The only reader of
those copies is the deep-link route behind `gr.DeepLinkButton`.

`apply(blocks)` makes the configs lazy (built for the blocks an event touches, or all of them
when a deep link asks), and, when the app has no `DeepLinkButton`, stops keeping the copies of
sent values.

Second, Gradio walks every value each event receives or sends, element by element (an `await`
per element), looking for files to move into its cache, twice per output.  A table's cells are
never files: for `gr.Dataframe` values the walk is skipped (a fields table of 82 rows is 740
cells, sent with every LLM step of every job).

It is written against one Gradio version and does nothing (and says so) on any other: check it
again when upgrading (tests/test_gradio_tuning.py fails until then).
"""

from __future__ import annotations

import logging
import os
from copy import copy
from typing import Any

log = logging.getLogger(__name__)

WRITTEN_FOR = "6.31.0"
_DEEP_LINKS = "_codebook_keeps_deep_links"


class LazyConfigs(dict):
    """`SessionState.config_values`, each block's config built on first use."""

    __slots__ = ("_state", "_ids")

    def __init__(self, state: Any, ids: frozenset[int]) -> None:
        super().__init__()
        self._state = state
        self._ids = ids

    def __missing__(self, key: int) -> dict:
        if key not in self._ids:
            raise KeyError(key)
        blocks = self._state.blocks_config
        config = blocks.config_for_block(key, [], blocks.blocks[key])
        self[key] = config
        return config

    def items(self):  # every block, as the eager original had them (deep links read all)
        for key in self._ids:
            if not dict.__contains__(self, key):
                self.__missing__(key)
        return super().items()


def _session_init(self, blocks) -> None:
    # gradio.state_holder.SessionState.__init__ (6.31.0) with the configs made lazy
    self.blocks_config = copy(blocks.default_config)
    self.config_values = LazyConfigs(self, frozenset(
        k for k in self.blocks_config.blocks if k in blocks.blocks))
    self.state_data = {}
    self._state_ttl = {}
    self.is_closed = False
    self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600
    self._codebook_keep_values = getattr(blocks, _DEEP_LINKS, True)


def _update_value_in_config(self, key: int, value: Any) -> None:
    if getattr(self, "_codebook_keep_values", True):
        _original_update_value(self, key, value)


_original_update_value = None
_original_init = None
_original_move = None


async def _move_files_to_cache(data: Any, block: Any, postprocess: bool = False,
                               check_in_upload_folder: bool = False,
                               keep_in_cache: bool = False) -> Any:
    from gradio import components
    from gradio.data_classes import GradioModel, GradioRootModel

    if type(block) is components.Dataframe:   # headers, rows of cells, metadata: no files
        return data.model_dump() if isinstance(data, (GradioModel, GradioRootModel)) else data
    return await _original_move(data, block, postprocess, check_in_upload_folder,
                                keep_in_cache)


def apply(blocks) -> bool:
    """Install the fix for `blocks` (call before launch); True when it is in place."""
    global _original_update_value, _original_init, _original_move
    import gradio
    from gradio import processing_utils, state_holder

    if gradio.__version__ != WRITTEN_FOR:
        log.warning("gradio %s: the session-state fix was written for %s and is not applied",
                    gradio.__version__, WRITTEN_FOR)
        return False
    deep_links = any(type(b).__name__ == "DeepLinkButton" for b in blocks.blocks.values())
    setattr(blocks, _DEEP_LINKS, deep_links)
    cls = state_holder.SessionState
    if cls.__init__ is not _session_init:
        _original_init, _original_update_value = cls.__init__, cls._update_value_in_config
        cls.__init__ = _session_init
        cls._update_value_in_config = _update_value_in_config
    if processing_utils.async_move_files_to_cache is not _move_files_to_cache:
        _original_move = processing_utils.async_move_files_to_cache
        processing_utils.async_move_files_to_cache = _move_files_to_cache
    return True
