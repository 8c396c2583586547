"""session_configs: a new session builds no block configs until asked, and keeps the sent
values only when the app has a DeepLinkButton; what it builds is what Gradio built."""

from __future__ import annotations

import tracemalloc

import gradio as gr
import pytest
from gradio.state_holder import SessionState

from harness.patch_checks import app_demo, applied


@pytest.fixture(scope="module")
def demo():
    return app_demo()


@pytest.fixture
def patched(demo):
    with applied("session_configs", demo) as names:
        assert names == ["session_configs"]
        yield demo


def eager_configs(demo) -> dict:
    """What Gradio's own SessionState.__init__ computes for every session."""
    config = demo.default_config
    return {k: config.config_for_block(k, [], v) for k, v in config.blocks.items()
            if k in demo.blocks}


def test_new_sessions_build_no_configs_until_asked(patched):
    state = SessionState(patched)
    assert dict.__len__(state.config_values) == 0
    key = next(iter(eager_configs(patched)))
    assert state.config_values[key] == eager_configs(patched)[key]
    assert dict.__len__(state.config_values) == 1


def test_deep_links_still_see_every_block_as_gradio_built_it(patched):
    state = SessionState(patched)
    assert list(state.components) == [c for c in eager_configs(patched).values() if c]


def test_sent_values_are_not_kept_without_a_deep_link_button(patched):
    state = SessionState(patched)
    table = next(b for b in patched.blocks.values() if isinstance(b, gr.Dataframe))
    state._update_value_in_config(table._id, {"data": [["x"] * 9] * 1000})
    assert dict.__len__(state.config_values) == 0   # neither a config built nor the value kept


def test_apps_with_a_deep_link_button_keep_them():
    with gr.Blocks() as linked:
        box = gr.Textbox()
        gr.DeepLinkButton()
    with applied("session_configs", linked):
        state = SessionState(linked)
        state._update_value_in_config(box._id, "kept")
        assert state.config_values[box._id]["props"]["value"] == "kept"


def test_a_session_costs_a_fraction_of_what_it_did(demo):
    def allocated() -> int:
        tracemalloc.start()
        sessions = [SessionState(demo) for _ in range(20)]
        size, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(sessions) == 20
        return size

    before = allocated()
    with applied("session_configs", demo):
        after = allocated()
    assert after < before / 10, (before, after)
    assert SessionState.__init__.__module__ == "gradio.state_holder"    # undone
