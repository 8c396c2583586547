"""The app served with and without each patch gives the same responses (which patches apply
and their version gates: tests/unit/patches/test_patches.py)."""

from __future__ import annotations

import pytest

from harness.patch_checks import responses, served
from web import patches


@pytest.fixture(scope="module")
def unpatched(tmp_path_factory):
    with served("none", tmp_path_factory.mktemp("none")) as app:
        return responses(app.url)


@pytest.mark.slow
@pytest.mark.parametrize("setting", [*patches.NAMES, "all"])
def test_the_app_gives_the_same_responses_with_and_without(setting, unpatched, tmp_path):
    with served(setting, tmp_path) as app:
        assert patches.installed() == [n for n in patches.selected(setting)
                                       if hasattr(patches.module(n), "install")]
        patched = responses(app.url)
    assert patched == unpatched
    assert "Cannot move /etc/hostname" in unpatched["outside"]
    assert unpatched["monitoring"] == 403
