"""What the patch modules share: attribute swaps that can be undone, the version gate, and a view
of the `anyio` module in which some `to_thread.run_sync` calls run in line."""

from __future__ import annotations

from importlib import metadata
from typing import Any, Callable

_MISSING = object()


class Swaps:
    """Attributes set on classes and modules, each original remembered; `undo()` puts them
    back (the raw class attribute: a staticmethod stays one)."""

    def __init__(self) -> None:
        self._done: list[tuple[Any, str, Any]] = []

    def set(self, owner: Any, name: str, value: Any) -> Any:
        """Set `owner.name` to `value`; return what it was (as attribute access gives it)."""
        before = getattr(owner, name)
        self._done.append((owner, name, vars(owner).get(name, _MISSING)))
        setattr(owner, name, value)
        return before

    def undo(self) -> None:
        for owner, name, raw in reversed(self._done):
            if raw is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, raw)
        self._done.clear()


def version_mismatch(written_for: dict[str, str]) -> str | None:
    """None when every distribution is installed at the version the patch was written for;
    else what differs (e.g. "gradio 6.32.0 (written for 6.31.0)")."""
    for dist, wanted in written_for.items():
        try:
            found = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found = "not installed"
        if found != wanted:
            return f"{dist} {found} (written for {wanted})"
    return None


class ToThread:
    """`anyio.to_thread` as one module sees it: the calls `inline(func, args)` approves run
    on the spot, the rest in a worker thread."""

    def __init__(self, real: Any, inline: Callable[[Callable, tuple], bool]) -> None:
        self._real = real
        self._inline = inline

    async def run_sync(self, func: Callable, *args: Any, **kwargs: Any) -> Any:
        if self._inline(func, args):
            return func(*args)
        return await self._real.run_sync(func, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class AnyioView:
    """The `anyio` module as one module sees it (only `to_thread` differs)."""

    def __init__(self, real: Any, inline: Callable[[Callable, tuple], bool]) -> None:
        self._real = real
        self.to_thread = ToThread(real.to_thread, inline)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)
