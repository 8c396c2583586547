"""Gradio's login check, in front of every upload, queue join and event stream, called in line:
it is a plain `def` dependency, which FastAPI runs in a worker thread (for an app without a
login, a single comparison).  Every route depending on it depends instead on an async twin with
the same parameter that calls it, unchanged."""

from __future__ import annotations

import inspect
import logging
from typing import Any

WRITTEN_FOR = {"gradio": "6.31.0", "fastapi": "0.165.0"}
UPSTREAM = "gradio.routes' login_check as an async dependency (or FastAPI running cheap sync ones in line)"
log = logging.getLogger(__name__)


def attach(demo: Any, app: Any) -> None:
    """Inline the login check of `app` (the mounted gradio.routes.App)."""
    if inline_login_check(app) == 0:
        log.warning("gradio's login_check not found: it keeps running in a thread")


def inline_login_check(app: Any) -> int:
    """Have FastAPI call `app`'s login_check dependency in line; returns how many routes were
    changed.  (FastAPI's dependency_overrides would do the same, but with any override set it
    re-inspects every dependency of every request.)"""
    import fastapi

    routes = list(api_routes(app.router.routes))
    check = next((d.dependency for r in routes for d in r.dependencies
                  if getattr(d.dependency, "__name__", "") == "login_check"), None)
    if check is None or inspect.iscoroutinefunction(check):
        return 0
    params = inspect.signature(check).parameters
    current_user = getattr(getattr(params.get("user"), "default", None), "dependency", None)
    if list(params) != ["user"] or current_user is None:
        return 0

    async def login_check(user: Any = fastapi.Depends(current_user)) -> Any:
        return check(user)

    changed = 0
    for route in routes:
        # the route's declared dependencies (what included routers build their handlers
        # from) and the dependant FastAPI built from them already
        route.dependencies[:] = [fastapi.Depends(login_check, use_cache=d.use_cache)
                                 if d.dependency is check else d for d in route.dependencies]
        for dep in route.dependant.dependencies:
            if dep.call is check:
                dep.call = login_check
                changed += 1
    return changed


def api_routes(routes: list) -> Any:
    """Every APIRoute of an app, those of included routers too."""
    from fastapi.routing import APIRoute

    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)
