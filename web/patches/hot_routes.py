"""The routes every client calls over and over (uploads, queue joins, event streams, file
downloads) tried first: FastAPI finds a request's route by trying the app's routes in order,
twice for those of an included router (Gradio's API is one), and an upload tried some 75;
route matching was a tenth of the serving thread's work when a hundred users started jobs at
once.  Each route moves only past routes no request can reach it through, so every request is
taken by the route that took it before."""

from __future__ import annotations

import logging
from typing import Any

WRITTEN_FOR = {"gradio": "6.31.0", "fastapi": "0.165.0", "starlette": "1.10.0"}
UPSTREAM = "gradio.routes.App declaring its hot routes first (or starlette routing by a trie)"
log = logging.getLogger(__name__)

HOT_ROUTES = (("/gradio_api/upload", "POST"), ("/gradio_api/queue/join", "POST"),
              ("/gradio_api/queue/data", "GET"), ("/gradio_api/file={path_or_url:path}", "GET"),
              ("/gradio_api/file={path_or_url:path}", "HEAD"),
              ("/gradio_api/heartbeat/{session_hash}", "GET"))


def attach(demo: Any, app: Any) -> None:
    """Reorder `app`'s routes (the mounted gradio.routes.App)."""
    try:
        hot_routes_first(app)
    except (AttributeError, ImportError) as exc:   # another FastAPI: its own order stays
        log.warning("routes left in FastAPI's order: %s", exc)


def _literal_prefix(path: str) -> str:
    return path.split("{", 1)[0]


def may_overlap(a: Any, b: Any) -> bool:
    """Whether one request could be taken by both routes (then their order matters).  Exact
    for plain paths; for two paths with parameters, whether either's fixed beginning starts
    the other's.  A route that is neither an APIRoute nor an included router is assumed to
    overlap with everything."""
    from fastapi.routing import APIRoute, _IncludedRouter

    if isinstance(a, _IncludedRouter) or isinstance(b, _IncludedRouter):
        router, other = (a, b) if isinstance(a, _IncludedRouter) else (b, a)
        return any(may_overlap(r, other) for r in router.original_router.routes)
    if not (isinstance(a, APIRoute) and isinstance(b, APIRoute)):
        return True
    if a.methods and b.methods and not (a.methods & b.methods):
        return False
    if "{" not in a.path:
        return bool(b.path_regex.match(a.path))
    if "{" not in b.path:
        return bool(a.path_regex.match(b.path))
    pa, pb = _literal_prefix(a.path), _literal_prefix(b.path)
    return pa.startswith(pb) or pb.startswith(pa)


def _move_up(routes: list, route: Any) -> bool:
    """Move `route` as far towards the front of `routes` as it goes without passing a route it
    may overlap with."""
    i = j = routes.index(route)
    while j > 0 and not may_overlap(routes[j - 1], route):
        j -= 1
    routes.insert(j, routes.pop(i))
    return j < i


def hot_routes_first(app: Any) -> int:
    """Have `app` try the routes of HOT_ROUTES first; returns how many routes moved."""
    from fastapi.routing import APIRoute, _IncludedRouter

    order = {key: i for i, key in enumerate(HOT_ROUTES)}

    def rank(route: Any) -> int | None:
        if isinstance(route, APIRoute):
            return min((order[(route.path, m)] for m in route.methods or ()
                        if (route.path, m) in order), default=None)
        return None

    moved = 0
    for included in [r for r in app.router.routes if isinstance(r, _IncludedRouter)]:
        routes = included.original_router.routes
        hot = sorted((r for r in routes if rank(r) is not None), key=rank)
        if not hot:
            continue
        for route in reversed(hot):      # the last first: they end up in HOT_ROUTES order
            moved += _move_up(routes, route)
        included.original_router._mark_routes_changed()
        moved += _move_up(app.router.routes, included)
    app.router._mark_routes_changed()
    return moved
