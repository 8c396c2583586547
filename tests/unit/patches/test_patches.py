"""web.patches: which patches apply (CODEBOOK_PATCHES), the version gate on every distribution
a patch touches, and the same responses from the app with and without each patch."""

from __future__ import annotations

import pytest

from engine.errors import ConfigError
from harness.patch_checks import app_demo
from web import patches


def test_the_setting_selects_patches_by_name():
    assert patches.selected("all") == list(patches.NAMES) == patches.selected("")
    assert patches.selected("none") == []
    assert patches.selected("hot_routes, session_configs") == ["session_configs", "hot_routes"]
    with pytest.raises(ConfigError, match="unknown patch 'hot_route'"):
        patches.selected("hot_route")


def test_every_patch_says_what_it_touches_and_what_would_end_it():
    for name in patches.NAMES:
        patch = patches.module(name)
        assert patch.WRITTEN_FOR and all(v.count(".") >= 1 for v in patch.WRITTEN_FOR.values())
        assert patch.UPSTREAM and "\n" not in patch.UPSTREAM
        assert hasattr(patch, "install") or hasattr(patch, "attach")


CASES = [(name, dist) for name in patches.NAMES for dist in patches.module(name).WRITTEN_FOR]


@pytest.mark.parametrize("name,dist", CASES, ids=[f"{n}-{d}" for n, d in CASES])
def test_a_patch_stays_off_when_any_distribution_it_touches_has_another_version(
        name, dist, monkeypatch, caplog):
    from web.patches import _base

    real = _base.metadata.version
    monkeypatch.setattr(_base.metadata, "version",
                        lambda d: "0.0.1" if d == dist else real(d))
    demo = app_demo()
    patches.uninstall()
    try:
        assert patches.apply(demo, None, name) == []
        assert patches.installed() == []
    finally:
        patches.uninstall()
    assert f"patch {name} not applied: {dist} 0.0.1" in caplog.text


def test_every_patch_applies_on_the_pinned_versions():
    """(Fails after an upgrade of a distribution a patch touches, until the patch is checked
    against it and its WRITTEN_FOR updated, or the patch removed.)"""
    from web.patches._base import version_mismatch

    stale = {n: version_mismatch(patches.module(n).WRITTEN_FOR) for n in patches.NAMES}
    assert not {n: m for n, m in stale.items() if m}
