"""hot_routes: uploads, queue joins, event streams and downloads are matched after trying a
handful of routes, not some 75; and a request to any route of the app (each route's own path,
with each method) is still taken by the same route as in FastAPI's own order."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute, _IncludedRouter
from gradio.routes import App

from harness.patch_checks import app_demo
from web.patches import hot_routes


def flat(routes):
    for r in routes:
        if isinstance(r, _IncludedRouter):
            yield from flat(r.original_router.routes)
        else:
            yield r


def taken(app, method, path):   # FastAPI's rule: the first route that takes both
    return next((r for r in flat(app.router.routes) if r.path_regex.match(path)
                 and (not getattr(r, "methods", None) or method in r.methods)), None)


def test_hot_routes_are_tried_first_and_every_request_keeps_its_route():
    demo = app_demo()
    plain, tuned = App.create_app(demo), App.create_app(demo)
    hot_routes.attach(demo, tuned)
    order = [(r.path, sorted(getattr(r, "methods", None) or ())) for r in flat(tuned.router.routes)]
    at = [order.index((p, [m])) for p, m in hot_routes.HOT_ROUTES]
    assert at == list(range(at[0], at[0] + 6)) and at[0] <= 1   # (after /openapi.json)
    assert sorted(map(str, order)) == sorted(
        str((r.path, sorted(getattr(r, "methods", None) or ()))) for r in flat(plain.router.routes))

    def sample(path):   # a request path this route pattern takes
        return re.sub(r"\{[^}:]+:path\}", "tmp/a.csv", re.sub(r"\{[^}:]+\}", "x1", path))
    checked = 0
    for route in flat(plain.router.routes):
        for method in ("GET", "POST", "HEAD", "PUT"):
            path = sample(route.path)
            want, got = taken(plain, method, path), taken(tuned, method, path)
            same = lambda r: r and (r.path, r.name, sorted(getattr(r, "methods", None) or ()))
            assert same(want) == same(got), (method, path)
            checked += want is not None
    assert checked > 60


def test_routes_overlap_only_where_one_request_can_reach_both():
    def route(path, *methods):
        return APIRoute(path, lambda: None, methods=list(methods) or ["GET"])
    may = hot_routes.may_overlap
    assert not may(route("/a/upload", "POST"), route("/a/join", "POST"))
    assert not may(route("/a/file={p:path}"), route("/a/file={p:path}", "HEAD"))
    assert not may(route("/a/file={p:path}"), route("/a/proxy={u:path}"))
    assert not may(route("/a/file={p:path}"), route("/a/file/{p:path}"))
    assert may(route("/a/file={p:path}"), route("/a/{anything:path}"))
    assert may(route("/a/{name}"), route("/a/join"))
    assert not may(route("/a/{name}"), route("/b/join"))
    assert may(route("/a/x", "GET", "POST"), route("/a/x", "POST"))
