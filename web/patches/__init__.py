"""Patches of other libraries' private internals, each a measured cost under load that no
supported option removes (bench/load.py; py-spy on the serving thread).  One module per patch:

    WRITTEN_FOR   {distribution: exact version} for EVERY distribution it touches: on any other
                  version of any of them the patch is not applied (and a warning says so)
    UPSTREAM      the upstream change that would make it unnecessary
    install()     (optional) the process-wide change; returns its undo
    attach(demo, app)   (optional) the change to one served app (app: the mounted Gradio app)

Which patches apply is the setting CODEBOOK_PATCHES: "all" (the default), "none", or names
separated by commas.  Each has a test of its effect (tests/unit/patches/) and one that the app
gives the same responses with and without it (tests/integration/patches/).
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType
from typing import Any, Callable

from engine.errors import ConfigError

from ._base import version_mismatch

log = logging.getLogger(__name__)

NAMES = ("session_configs", "json_values", "table_values", "file_outputs", "root_urls",
         "inline_processing", "inline_file_responses", "inline_uploads", "inline_login_check",
         "hot_routes", "queue_progress")
_installed: dict[str, Callable[[], None]] = {}      # name -> undo, in installation order


def module(name: str) -> ModuleType:
    """A patch's module."""
    return importlib.import_module(f"{__name__}.{name}")


def selected(setting: str) -> list[str]:
    """The patch names a CODEBOOK_PATCHES value selects (ConfigError for an unknown one)."""
    text = (setting or "all").strip().lower()
    if text == "all":
        return list(NAMES)
    if text == "none":
        return []
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise ConfigError(f"CODEBOOK_PATCHES: unknown patch {unknown[0]!r}. Known: all, none, "
                          + ", ".join(NAMES))
    return [n for n in NAMES if n in names]


def apply(demo: Any, app: Any, setting: str = "all") -> list[str]:
    """Apply the selected patches whose versions match to `demo` and `app` (the mounted Gradio
    app); returns the names applied.  Process-wide parts are installed once."""
    applied = []
    for name in selected(setting):
        patch = module(name)
        mismatch = version_mismatch(patch.WRITTEN_FOR)
        if mismatch is not None:
            log.warning("patch %s not applied: %s", name, mismatch)
            continue
        if hasattr(patch, "install") and name not in _installed:
            _installed[name] = patch.install()
        if hasattr(patch, "attach"):
            patch.attach(demo, app)
        applied.append(name)
    return applied


def installed() -> list[str]:
    """The process-wide patches in place, in installation order."""
    return list(_installed)


def uninstall() -> None:
    """Undo every process-wide patch (the last installed first): for tests."""
    while _installed:
        _, undo = _installed.popitem()
        undo()
