"""Binding the UI's callbacks to components: a callback yields (or returns) dicts keyed by
name, `bind` maps the names to the components app.py made, and an error ends in the
callback's status line (where it stays) as well as in a pop-up."""

from __future__ import annotations

import functools
import inspect
import logging
from typing import Any, Callable

import gradio as gr

from engine.errors import CodebookError

log = logging.getLogger("codebook")


def error_text(exc: BaseException, where: str) -> str:
    """What a user reads of an error: the engine's message, or that it was logged."""
    if isinstance(exc, gr.Error):
        return str(exc.message)
    if isinstance(exc, CodebookError):
        return str(exc)
    log.error("unexpected error in %s", where, exc_info=exc)
    return (f"Something went wrong on our side ({type(exc).__name__}). The error was logged; "
            "please try again or report it.")


class Bound:
    """A callback's outputs: `components` by name, in the order Gradio gets them."""

    def __init__(self, components: dict[str, Any], status: str = "status"):
        self.components = components
        self.status = status

    @property
    def outputs(self) -> list[Any]:
        return list(self.components.values())

    def __call__(self, fn: Callable) -> Callable:
        """`fn` with its dicts mapped to components, and its errors to its status line."""
        comps, status = self.components, self.status

        def mapped(update: dict[str, Any]) -> dict[Any, Any]:
            return {comps[k]: v for k, v in update.items() if k in comps}

        def failed(exc: BaseException) -> dict[Any, Any]:
            text = error_text(exc, fn.__name__)
            gr.Warning(text)
            return mapped({status: f"✗ {text}"})

        if inspect.isasyncgenfunction(fn):
            @functools.wraps(fn)
            async def agen(*args, **kwargs):
                try:
                    async for update in fn(*args, **kwargs):
                        yield mapped(update)
                except Exception as exc:  # noqa: BLE001 - shown in the status line
                    yield failed(exc)
            return agen

        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def coro(*args, **kwargs):
                try:
                    return mapped(await fn(*args, **kwargs))
                except Exception as exc:  # noqa: BLE001 - shown in the status line
                    return failed(exc)
            return coro

        @functools.wraps(fn)
        def plain(*args, **kwargs):
            try:
                return mapped(fn(*args, **kwargs))
            except Exception as exc:  # noqa: BLE001 - shown in the status line
                return failed(exc)
        return plain
