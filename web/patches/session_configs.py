"""Gradio's per-session state made lazy: a new session (a browser tab, a gradio_client Client)
no longer builds the front-end config of every block (57 here, about 6 ms of the serving
thread), only of those an event touches; and without a DeepLinkButton (the only reader of
them) sent values are not copied into the session for as long as it is kept."""

from __future__ import annotations

import os
from copy import copy
from typing import Any, Callable

from ._base import Swaps

WRITTEN_FOR = {"gradio": "6.31.0"}
UPSTREAM = "gradio.state_holder.SessionState building config_values on first use"
_DEEP_LINKS = "_codebook_keeps_deep_links"


class LazyConfigs(dict):
    """`SessionState.config_values`, each block's config built on first use."""

    __slots__ = ("_state", "_ids", "_order")

    def __init__(self, state: Any, ids: tuple[int, ...]) -> None:
        super().__init__()
        self._state = state
        self._ids = frozenset(ids)
        self._order = ids          # the blocks' order, which the eager original kept

    def __missing__(self, key: int) -> dict:
        if key not in self._ids:
            raise KeyError(key)
        blocks = self._state.blocks_config
        config = blocks.config_for_block(key, [], blocks.blocks[key])
        self[key] = config
        return config

    def items(self):  # every block, as the eager original had them (deep links read all)
        return [(key, self[key]) for key in self._order]


def session_init(self, blocks) -> None:
    """gradio.state_holder.SessionState.__init__ (6.31.0) with the configs made lazy."""
    self.blocks_config = copy(blocks.default_config)
    self.config_values = LazyConfigs(self, tuple(
        k for k in self.blocks_config.blocks if k in blocks.blocks))
    self.state_data = {}
    self._state_ttl = {}
    self.is_closed = False
    self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600
    self._codebook_keep_values = getattr(blocks, _DEEP_LINKS, True)


def install() -> Callable[[], None]:
    """Swap SessionState's constructor and value keeping; returns the undo."""
    from gradio.state_holder import SessionState

    swaps = Swaps()
    original_update = SessionState._update_value_in_config

    def update_value_in_config(self, key: int, value: Any) -> None:
        if getattr(self, "_codebook_keep_values", True):
            original_update(self, key, value)

    swaps.set(SessionState, "__init__", session_init)
    swaps.set(SessionState, "_update_value_in_config", update_value_in_config)
    return swaps.undo


def attach(demo: Any, app: Any) -> None:
    """Sessions of `demo` keep sent values only when it has a DeepLinkButton."""
    setattr(demo, _DEEP_LINKS,
            any(type(b).__name__ == "DeepLinkButton" for b in demo.blocks.values()))
