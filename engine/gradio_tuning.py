"""Fixes for costs inside Gradio 6.31 found with py-spy under load (bench/load.py).

For every new session (each browser tab, each gradio_client `Client`) Gradio's `SessionState`
builds the full front-end config of every block of the app (`config_values`: 57 blocks here,
about 6 ms of the serving thread, the one thread every user's requests go through), and then
keeps a copy of every value an event sends to the session in it, for as long as the session is
kept (an hour after it closes, up to `state_session_capacity` sessions).  The only reader of
those copies is the deep-link route behind `gr.DeepLinkButton`.

`apply(blocks)` makes the configs lazy (built for the blocks an event touches, or all of them
when a deep link asks), and, when the app has no `DeepLinkButton`, stops keeping the copies of
sent values.

Second, Gradio walks every value each event receives or sends, element by element (an `await`
per element), looking for files to move into its cache, twice per output.  A table's cells are
never files, nor is anything in this app's JSON values: for `gr.Dataframe` and `gr.JSON` values
the walk is skipped (a fields table of 82 rows is 740 cells, sent with every LLM step of every
job; the Table Schema JSON sent when a job ends took 2.7 ms of the serving thread).  And
`gr.JSON` has pydantic validate each value orjson has just encoded and decoded: not any more.
Nor does a table of row lists get copied twice on its way out (validated, then dumped): Gradio
keeps each streaming event's last outputs to diff the next ones against, so the copies were
one more table per running job, in memory for the job's length.

Third, Gradio runs every input's `preprocess` and every output's `postprocess`, and even the
call that merely creates a generator handler's generator, in a worker thread, one after the
other: nine thread hand-overs for each update of a parse, most for a few microseconds of work.
Each costs the serving thread a wake-up and a callback, and under load each waits for the GIL and
then for a turn of the busy event loop: a light request's eight of them were most of its time.
The cheap ones run in line (`_Inline`); the rest (plots, large tables) still go to a thread.
So does the login check in front of every upload, queue join and event stream (a plain `def`
FastAPI runs in a thread, for an app without a login a single comparison): it is called in line,
unchanged.  And starlette's FileResponse stats, opens, reads and closes a file to download in
four more hand-overs: a file up to 1 MB is served in line (`_InlineFiles`); likewise an
upload up to 1 MB is written to its temporary file in line (`_upload_write`).  Gradio walks
every output of every event once more to prefix its files' URLs: outputs without a file are
passed over (`_add_root_url`).  FastAPI finds a request's route by trying the app's routes in
order (some 75 before an upload's): the routes every client calls over and over are tried
first, each moved only past routes no request can reach it through (`hot_routes_first`).
The queue looks for progress updates to send every PROGRESS_SECONDS, not every 10 ms.  Last,
it keeps no record of its events for the monitoring dashboard (`ANALYTICS_EVENTS`): the app
launches without one (`launch(enable_monitoring=False)`).

It is written against one Gradio version and does nothing (and says so) on any other: check it
again when upgrading (tests/test_gradio_tuning.py fails until then).
"""

from __future__ import annotations

import inspect
import logging
import os
from copy import copy
from typing import Any, Callable

log = logging.getLogger(__name__)

WRITTEN_FOR = "6.31.0"
_DEEP_LINKS = "_codebook_keeps_deep_links"


class LazyConfigs(dict):
    """`SessionState.config_values`, each block's config built on first use."""

    __slots__ = ("_state", "_ids")

    def __init__(self, state: Any, ids: frozenset[int]) -> None:
        super().__init__()
        self._state = state
        self._ids = ids

    def __missing__(self, key: int) -> dict:
        if key not in self._ids:
            raise KeyError(key)
        blocks = self._state.blocks_config
        config = blocks.config_for_block(key, [], blocks.blocks[key])
        self[key] = config
        return config

    def items(self):  # every block, as the eager original had them (deep links read all)
        for key in self._ids:
            if not dict.__contains__(self, key):
                self.__missing__(key)
        return super().items()


def _session_init(self, blocks) -> None:
    # gradio.state_holder.SessionState.__init__ (6.31.0) with the configs made lazy
    self.blocks_config = copy(blocks.default_config)
    self.config_values = LazyConfigs(self, frozenset(
        k for k in self.blocks_config.blocks if k in blocks.blocks))
    self.state_data = {}
    self._state_ttl = {}
    self.is_closed = False
    self.STATE_TTL_WHEN_CLOSED = 1 if os.getenv("GRADIO_IS_E2E_TEST", None) else 3600
    self._codebook_keep_values = getattr(blocks, _DEEP_LINKS, True)


def _update_value_in_config(self, key: int, value: Any) -> None:
    if getattr(self, "_codebook_keep_values", True):
        _original_update_value(self, key, value)


_original_update_value = None
_original_init = None
_original_move = None
_original_json_postprocess = None
_original_dataframe_postprocess = None


def _json_postprocess(self: Any, value: Any) -> Any:
    """gradio.JSON.postprocess (6.31.0) without pydantic validating, element by element, the
    value orjson has just produced (so JSON data by construction): 1 ms of the serving
    thread for an 82-field Table Schema.  Anything orjson cannot encode alone (Gradio then
    tries `str()` of it) takes Gradio's own path."""
    import orjson
    from gradio.components.json_component import JsonData

    if isinstance(value, (dict, list)):
        try:
            data = orjson.loads(orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))
        except (TypeError, orjson.JSONEncodeError):
            return _original_json_postprocess(self, value)
        return JsonData.model_construct(root=data)
    return _original_json_postprocess(self, value)


_json_postprocess.__name__ = "postprocess"   # what runs_inline looks for (cheap: in line)


def _dataframe_postprocess(self: Any, value: Any) -> Any:
    """gradio.Dataframe.postprocess (6.31.0) for a list of row lists, without pydantic copying
    every row to validate it against `list[list[Any]]` (which accepts any row as it is): the
    model holds the rows it was given.  Every other value takes Gradio's own path."""
    from gradio.components.dataframe import DataframeData

    if not (isinstance(value, list) and value and all(type(r) is list for r in value)):
        return _original_dataframe_postprocess(self, value)
    if not value[0]:   # Gradio's is_empty: a first row without cells
        return DataframeData(headers=self.headers, data=[], metadata=None)
    headers, width = list(self.headers), len(value[0])
    if len(headers) > width:
        headers = headers[:width]
    elif len(headers) < width:
        headers = [*headers, *[str(i) for i in range(len(headers) + 1, width + 1)]]
    return DataframeData.model_construct(headers=headers, data=value, metadata=None)


_dataframe_postprocess.__name__ = "postprocess"


async def _move_files_to_cache(data: Any, block: Any, postprocess: bool = False,
                               check_in_upload_folder: bool = False,
                               keep_in_cache: bool = False) -> Any:
    from gradio import components
    from gradio.data_classes import GradioModel, GradioRootModel, JsonData

    # never walked for files: a table's headers, rows of cells and metadata; a JSON value (this
    # app's are Table Schemas, job details and profiles: a dict shaped like Gradio's FileData
    # inside one would otherwise be served as a file)
    if type(block) in (components.Dataframe, components.JSON):
        if isinstance(data, JsonData):
            # its root is plain JSON data (see _json_postprocess); left a model, it went on
            # into the event's message, whose model_dump then called pydantic's Python
            # type check for every element (the largest cost of a job's final message)
            return data.root
        if type(data).__name__ == "DataframeData":
            # its fields as they are: model_dump() copied every row once more, and what an
            # event sends, Gradio keeps until the next step to diff against (a table per job)
            return {"headers": data.headers, "data": data.data, "metadata": data.metadata}
        return data.model_dump() if isinstance(data, (GradioModel, GradioRootModel)) else data
    if postprocess and not check_in_upload_folder and type(block) is components.File:
        return await _move_output_files(data, block, keep_in_cache)
    return await _original_move(data, block, postprocess, check_in_upload_folder,
                                keep_in_cache)


MOVED_FILES_KEPT = 256     # File outputs whose checked form is kept for Gradio's second pass


async def _move_output_files(data: Any, block: Any, keep_in_cache: bool) -> Any:
    """A File output's files, checked and moved once.  Gradio passes every output through
    the move twice (once to keep in the session, once to send), and for each file it resolves
    the path against the cache, the working directory, the temp directory and the allowed
    and blocked paths: a dozen `Path.resolve` calls, each a system call per directory of the
    path, for every download of every finished job.  The second pass gets a copy of the
    first one's result (the same files, the same moment)."""
    import orjson
    from gradio.data_classes import GradioModel, GradioRootModel

    plain = data.model_dump() if isinstance(data, (GradioModel, GradioRootModel)) else data
    try:
        key = orjson.dumps([plain, keep_in_cache], option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return await _original_move(data, block, True, False, keep_in_cache)
    memo = block.__dict__.setdefault("_codebook_moved_files", {})
    moved = memo.pop(key, None)
    if moved is None:
        moved = orjson.dumps(await _original_move(data, block, True, False, keep_in_cache))
        memo[key] = moved
        while len(memo) > MOVED_FILES_KEPT:     # (dicts keep their order: the oldest first)
            del memo[next(iter(memo))]
    return orjson.loads(moved)


# components whose preprocess/postprocess of this app's values takes microseconds (measured:
# a 82-row fields table 0.23 ms, a Table Schema JSON of 82 fields 0.7 ms, the rest < 0.02 ms)
_INLINE_COMPONENTS = frozenset({"Markdown", "State", "Checkbox", "Dropdown", "Textbox", "File",
                                "Button", "JSON", "Dataframe", "Number"})
INLINE_TABLE_ROWS = 500   # a bigger table is processed in a thread (the loop keeps serving)


def runs_inline(func: Callable, args: tuple) -> bool:
    """Whether `to_thread.run_sync(func, *args)` from gradio.blocks is cheap enough to call on
    the event loop: creating a generator, or processing a small value of a listed component."""
    if inspect.isasyncgenfunction(func) or inspect.isgeneratorfunction(func):
        return True          # calling it only creates the generator object
    if getattr(func, "__name__", None) not in ("preprocess", "postprocess"):
        return False
    kind = type(getattr(func, "__self__", None)).__name__
    if kind not in _INLINE_COMPONENTS:
        return False
    if kind == "Dataframe" and args:
        try:
            return len(args[0]) <= INLINE_TABLE_ROWS
        except TypeError:    # a model or a styler: count its rows where it keeps them
            data = getattr(args[0], "data", None)
            return data is None or len(data) <= INLINE_TABLE_ROWS
    return True


class _ToThread:
    """`anyio.to_thread` as one module sees it: the calls `inline(func, args)` approves run on
    the spot, the rest in a worker thread."""

    def __init__(self, real: Any, inline: Callable[[Callable, tuple], bool]) -> None:
        self._real = real
        self._inline = inline

    async def run_sync(self, func: Callable, *args: Any, **kwargs: Any) -> Any:
        if self._inline(func, args):
            return func(*args)
        return await self._real.run_sync(func, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _Anyio:
    """The `anyio` module as one module sees it (only `to_thread` differs)."""

    def __init__(self, real: Any, inline: Callable[[Callable, tuple], bool]) -> None:
        self._real = real
        self.to_thread = _ToThread(real.to_thread, inline)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _Inline(_Anyio):
    """The `anyio` module as gradio.blocks sees it: cheap calls in line (runs_inline)."""

    def __init__(self, real: Any) -> None:
        super().__init__(real, runs_inline)


def _add_root_url(data: Any, root_url: str, previous_root_url: str | None) -> Any:
    """gradio.processing_utils.add_root_url for an event's outputs, walking only the outputs
    that hold a file: it walked every element of every output (a call per cell of a fields
    table, per key of a Table Schema) to find the files whose URL it prefixes."""
    if not isinstance(data, list):
        return _original_add_root_url(data, root_url, previous_root_url)
    return [value if _holds_no_file(value)
            else _original_add_root_url(value, root_url, previous_root_url) for value in data]


def _holds_no_file(value: Any) -> bool:
    """True when `value` surely holds no Gradio file: a file is a dict whose "meta" has
    "_type": "gradio.FileData", so its JSON contains that string."""
    import orjson

    if value is None or isinstance(value, (str, int, float)):
        return True
    try:
        return b'"gradio.FileData"' not in orjson.dumps(value)
    except TypeError:           # (not JSON data: bytes, models) walked as before
        return False


_original_add_root_url = None


# Gradio looks at every running event for a progress update to send every 10 ms: with a
# hundred LLM jobs running, 10,000 looks a second, a twentieth of the serving thread's work
# while their answers came.  Every 100 ms is as often as a progress bar needs.
PROGRESS_SECONDS = 0.1

# Gradio's queue records its last 10,000 events for the monitoring dashboard, and after each
# event ends builds a pandas DataFrame of them all, in a thread, for the dashboard's summary
# (4 ms with 200 records, 12 ms with 10,000, most of it holding the interpreter lock that the
# serving thread waits for; the serving thread first copies the records into a list): a
# hundred LLM jobs ending within two seconds spent a second on it.  An app launched without
# the dashboard (enable_monitoring=False: it answers 403) keeps none (and so builds nothing).
ANALYTICS_EVENTS = 0

INLINE_FILE_BYTES = 1 << 20   # files up to this size are served without a worker thread


class _SyncFile:
    """The part of anyio's AsyncFile that starlette's FileResponse uses, reading in line."""

    __slots__ = ("_file",)

    def __init__(self, file: Any) -> None:
        self._file = file

    async def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    async def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    async def aclose(self) -> None:
        self._file.close()


def _is_stat(func: Callable, args: tuple) -> bool:
    return func is os.stat


class _InlineFiles(_Anyio):
    """The `anyio` module as starlette.responses sees it: a FileResponse stats, opens, reads
    and closes a file of up to INLINE_FILE_BYTES in line (downloads this app has just
    written, in the page cache: microseconds each), not in four worker-thread hand-overs that
    each waited for the interpreter lock and a turn of the busy event loop (a 2 KB download
    took up to 26 ms under load; a gradio_client fetches each output file twice)."""

    def __init__(self, real: Any) -> None:
        super().__init__(real, _is_stat)

    async def open_file(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "rb" and not args and not kwargs:
            try:
                small = os.stat(file).st_size <= INLINE_FILE_BYTES
            except OSError:
                small = False
            if small:
                return _SyncFile(open(file, mode))
        return await self._real.open_file(file, mode, *args, **kwargs)


async def _upload_write(self: Any, data: bytes) -> None:
    """GradioUploadFile.write (an upload's data, as it arrives, into its temporary file): in
    line while the file is no bigger than INLINE_FILE_BYTES (into the page cache, a few
    microseconds), not in a worker-thread hand-over for every piece."""
    if self.size is not None and self.size + len(data) <= INLINE_FILE_BYTES:
        self.size += len(data)
        self.file.write(data)
    else:
        await _original_upload_write(self, data)


async def _upload_seek(self: Any, offset: int) -> None:
    """GradioUploadFile.seek (back to the start of a received file): in line for a small one."""
    if self.size is not None and self.size <= INLINE_FILE_BYTES:
        self.file.seek(offset)
    else:
        await _original_upload_seek(self, offset)


_original_upload_write = _original_upload_seek = None


def inline_login_check(app: Any) -> int:
    """Have FastAPI call Gradio's `login_check` dependency of `app` (a gradio.routes.App) in
    line instead of in a worker thread: every route that depends on it depends instead on an
    async twin with the same parameter that calls it.  (FastAPI's `dependency_overrides` would
    do the same, but with any override set it re-inspects every dependency of every request.)
    Returns how many routes were changed."""
    import fastapi

    routes = list(_api_routes(app.router.routes))
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


def _api_routes(routes: list) -> Any:
    """Every APIRoute of an app, those of included routers too."""
    from fastapi.routing import APIRoute

    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)


# What every user's client asks for over and over: uploads, queue joins, event streams and
# file downloads (path, method), in that order
HOT_ROUTES = (("/gradio_api/upload", "POST"), ("/gradio_api/queue/join", "POST"),
              ("/gradio_api/queue/data", "GET"), ("/gradio_api/file={path_or_url:path}", "GET"),
              ("/gradio_api/file={path_or_url:path}", "HEAD"),
              ("/gradio_api/heartbeat/{session_hash}", "GET"))


def _literal_prefix(path: str) -> str:
    return path.split("{", 1)[0]


def may_overlap(a: Any, b: Any) -> bool:
    """Whether one request could be taken by both routes (then their order matters).  Exact
    for plain paths; for two paths with parameters, whether either's fixed beginning starts
    the other's (every path a route takes starts with it).  A route that is neither an
    APIRoute nor an included router is assumed to overlap with everything."""
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
    may overlap with (so every request is taken by the route that took it before)."""
    i = j = routes.index(route)
    while j > 0 and not may_overlap(routes[j - 1], route):
        j -= 1
    routes.insert(j, routes.pop(i))
    return j < i


def hot_routes_first(app: Any) -> int:
    """Have `app` (a gradio.routes.App) try the routes of HOT_ROUTES first.  FastAPI finds a
    request's route by trying the app's routes in order, twice for those of an included
    router (Gradio's API is one), a few microseconds each: an upload tried some 75 routes,
    and route matching was a tenth of the serving thread's work when a hundred users started
    jobs at once.  Returns how many routes moved."""
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


def _create_app(*args: Any, **kwargs: Any) -> Any:
    app = _original_create_app(*args, **kwargs)
    if inline_login_check(app) == 0:
        log.warning("gradio's login_check not found: it keeps running in a thread")
    try:
        hot_routes_first(app)
    except (AttributeError, ImportError) as exc:   # another FastAPI: its own order stays
        log.warning("routes left in FastAPI's order: %s", exc)
    return app


_original_create_app = None


def apply(blocks) -> bool:
    """Install the fix for `blocks` (call after `queue()`, before launch); True when it is
    in place."""
    global _original_update_value, _original_init, _original_move, _original_create_app
    global _original_json_postprocess, _original_add_root_url, _original_dataframe_postprocess
    global _original_upload_write, _original_upload_seek
    import gradio
    from gradio import (blocks as gradio_blocks, components, processing_utils, route_utils,
                        routes, state_holder)
    from starlette import responses as starlette_responses

    if gradio.__version__ != WRITTEN_FOR:
        log.warning("gradio %s: the session-state fix was written for %s and is not applied",
                    gradio.__version__, WRITTEN_FOR)
        return False
    deep_links = any(type(b).__name__ == "DeepLinkButton" for b in blocks.blocks.values())
    setattr(blocks, _DEEP_LINKS, deep_links)
    cls = state_holder.SessionState
    if cls.__init__ is not _session_init:
        _original_init, _original_update_value = cls.__init__, cls._update_value_in_config
        cls.__init__ = _session_init
        cls._update_value_in_config = _update_value_in_config
    if components.JSON.postprocess is not _json_postprocess:
        _original_json_postprocess = components.JSON.postprocess
        components.JSON.postprocess = _json_postprocess
    if components.Dataframe.postprocess is not _dataframe_postprocess:
        _original_dataframe_postprocess = components.Dataframe.postprocess
        components.Dataframe.postprocess = _dataframe_postprocess
    if processing_utils.add_root_url is not _add_root_url:
        _original_add_root_url = processing_utils.add_root_url
        processing_utils.add_root_url = _add_root_url
    if processing_utils.async_move_files_to_cache is not _move_files_to_cache:
        _original_move = processing_utils.async_move_files_to_cache
        processing_utils.async_move_files_to_cache = _move_files_to_cache
    if not isinstance(gradio_blocks.anyio, _Inline):
        gradio_blocks.anyio = _Inline(gradio_blocks.anyio)
    if not isinstance(starlette_responses.anyio, _InlineFiles):
        starlette_responses.anyio = _InlineFiles(starlette_responses.anyio)
    queue = getattr(blocks, "_queue", None)
    if queue is not None:
        queue.progress_update_sleep_when_free = max(queue.progress_update_sleep_when_free,
                                                    PROGRESS_SECONDS)
        queue.ANALYTICS_MAX_EVENTS = ANALYTICS_EVENTS
        queue.event_analytics.clear()
    upload = route_utils.GradioUploadFile
    if upload.write is not _upload_write:
        _original_upload_write, _original_upload_seek = upload.write, upload.seek
        upload.write, upload.seek = _upload_write, _upload_seek
    if routes.App.create_app is not _create_app:
        _original_create_app = routes.App.create_app
        routes.App.create_app = staticmethod(_create_app)
    return True
