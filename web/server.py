"""The server, run the supported way: our own FastAPI app with the Blocks mounted at "/"
(`gr.mount_gradio_app`), served by a uvicorn Server from a Config built here (the event loop
through uvicorn's documented custom-loop option: web.runtime.loop).

    serve(build_demo)      # app.py: settings from the environment, then serve until stopped
"""

from __future__ import annotations

import logging
import os
import signal
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping

import gradio as gr
import uvicorn
from fastapi import FastAPI, HTTPException
from starlette.routing import Mount

from engine.limits import configure as configure_limits
from engine.settings import Settings

from . import mcp, patches
from .runtime.heap import freeze_startup_heap
from .runtime.memory import start_trimming
from .runtime.warmup import warm_up
from .runtime.workers import CpuPool

log = logging.getLogger("codebook")
SHUTDOWN_SECONDS = 2   # open event streams would hold a graceful shutdown for ever
# Gradio's queue keeps a record of every event for its monitoring dashboard, and after each one
# builds a pandas summary of them all (4-12 ms, most of it holding the interpreter lock): the app
# serves no dashboard, so the queue keeps one record and never summarises.
QUEUE_RECORDS = {"GRADIO_ANALYTICS_MAX_EVENTS": "1",
                 "GRADIO_ANALYTICS_CACHE_FREQUENCY": str(1 << 62)}


def analytics_enabled(env: Mapping[str, str] = os.environ) -> bool:
    """Gradio's usage analytics: off unless GRADIO_ANALYTICS_ENABLED=True."""
    return env.get("GRADIO_ANALYTICS_ENABLED", "False") == "True"


def listen_address(settings: Settings, env: Mapping[str, str] = os.environ) -> tuple[str, int]:
    """Host and port: CODEBOOK_HOST/CODEBOOK_PORT when set, else GRADIO_SERVER_NAME/
    GRADIO_SERVER_PORT (what Hugging Face Spaces and Docker set), else the defaults."""
    host = settings.host if env.get("CODEBOOK_HOST", "").strip() else (
        env.get("GRADIO_SERVER_NAME", "").strip() or settings.host)
    port = settings.port
    if not env.get("CODEBOOK_PORT", "").strip() and env.get("GRADIO_SERVER_PORT", "").strip():
        port = int(env["GRADIO_SERVER_PORT"])
    return host, port


def configure_queue(demo: gr.Blocks, settings: Settings) -> gr.Blocks:
    """The queue: bounded, no bypass of it through the REST API, light events concurrent, and
    `max_threads` running events at most (Gradio's default of 40 makes light events wait
    behind long LLM jobs)."""
    for name, value in QUEUE_RECORDS.items():
        os.environ.setdefault(name, value)
    demo.max_threads = settings.max_threads      # (read by queue() and at start-up)
    return demo.queue(max_size=settings.queue_max_size, api_open=False,
                      default_concurrency_limit=settings.light_concurrency)


def create_app(demo: gr.Blocks, settings: Settings) -> FastAPI:
    """Our FastAPI app with `demo` (queued) mounted at "/", and the patches applied."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    # Gradio's live-reload stream is for `gradio app.py` in development; served, it held every
    # connection that asked open for good, waking 20 times a second: answered here first
    app.add_api_route(DEV_RELOAD, _not_found, methods=["GET"], include_in_schema=False)
    demo.state_session_capacity = settings.sessions   # (read when the Gradio app is made)
    with warnings.catch_warnings():   # (of the UI's gr.State inputs: not MCP tools here)
        warnings.filterwarnings("ignore", "This MCP server includes a tool that has a gr.State")
        gr.mount_gradio_app(app, demo, path="/", max_file_size=settings.max_file_size,
                            show_error=True, footer_links=["api", "settings"],
                            enable_monitoring=False,  # no dashboard (nor its auth-less route)
                            mcp_server=settings.mcp,
                            css=getattr(demo, "codebook_css", None))
    serve_mcp(demo, settings)
    # Gradio checks the paths of files going in and out only for a launched app: a mounted
    # one is served too, and must refuse an upload path outside its cache just the same
    demo.has_launched = True
    applied = patches.apply(demo, gradio_app(app), settings.patches)
    log.info("patches applied: %s", ", ".join(applied) or "none")
    return app


DEV_RELOAD = "/gradio_api/dev/reload"


async def _not_found() -> None:
    raise HTTPException(status_code=404)


def serve_mcp(demo: gr.Blocks, settings: Settings) -> None:
    """The MCP server Gradio mounted at /gradio_api/mcp/ (CODEBOOK_MCP): the tools of web.mcp
    alone; a warning when it was asked for and could not start (the `mcp` package missing)."""
    if not settings.mcp:
        return
    if not demo.mcp_server:
        log.warning("MCP server not started: %s", demo.mcp_error or "unknown reason")
        return
    tools = mcp.only_our_tools(demo)
    log.info("MCP tools at /gradio_api/mcp/: %s", ", ".join(tools))
    logging.getLogger("mcp").setLevel(logging.WARNING)   # (INFO: lines for every request)


def mcp_loopback(demo: gr.Blocks, host: str, port: int) -> None:
    """The address the MCP server calls the app's queue at (Gradio's MCP runs a queued tool
    through a gradio_client of its own): this process directly, as `launch()` would set it,
    rather than the public URL an assistant came in by (a proxy, TLS, a Space's front)."""
    server = getattr(demo, "mcp_server_obj", None)
    if server is not None and hasattr(server, "_local_url"):
        local = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else host
        server._local_url = f"http://{local}:{port}/"


def gradio_app(app: FastAPI) -> Any:
    """The Gradio app mounted in `app`."""
    return next(r.app for r in app.routes if isinstance(r, Mount) and r.path == "")


def uvicorn_config(app: FastAPI, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """The server's config: uvloop accepting every waiting connection per turn, httptools."""
    host, port = listen_address(settings)
    options = dict(host=host, port=port, loop="web.runtime.loop:new_event_loop",
                   http="httptools", log_level="warning",
                   timeout_graceful_shutdown=SHUTDOWN_SECONDS)
    options.update(overrides)
    return uvicorn.Config(app, **options)


def serve(build_demo: Callable[[Settings, CpuPool], gr.Blocks],
          settings: Settings | None = None) -> None:
    """Build the app and serve it until stopped (SIGINT, SIGTERM)."""
    settings = settings or Settings.from_env()
    configure_limits(settings)   # the bounds on inputs; the forked workers inherit them
    warm_up()
    cpu = CpuPool(settings.cpu_workers, heavy=settings.heavy_concurrency,
                  memory_limit=settings.worker_memory, time_limit=settings.worker_timeout)
    demo = configure_queue(build_demo(settings, cpu), settings)
    app = create_app(demo, settings)
    config = uvicorn_config(app, settings)
    freeze_startup_heap()
    cpu.start()     # forks the workers' fork server: before anything starts a thread
    start_trimming()   # memory a burst of users freed goes back to the OS (every 10 s)
    host, port = config.host, config.port
    mcp_loopback(demo, host, port)
    log.info("Codebook on http://%s:%d/", "localhost" if host == "0.0.0.0" else host, port)
    # uvicorn raises the SIGTERM it caught again after its graceful shutdown; as SystemExit,
    # the pool below is closed (its workers' temporary directories deleted) before the exit
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        uvicorn.Server(config).run()
    finally:
        cpu.close()


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def downloads_root() -> Path:
    """Where downloads are written: inside Gradio's cache, whose files it serves as they are
    (a download elsewhere is hashed and copied there first)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()) / "codebook-downloads"
