"""Codebook's web UI and API: the Blocks (tabs in web.layout), wired to the callbacks in
web.handlers, served by web.server (python app.py).

Each API endpoint (parse_dictionary, profile, analyze) is the click of a hidden button whose
outputs keep the order clients unpack; the visible controls drive the UI's own events, which
show more (charts, the report in parts, the matching editor) and keep their errors on the page.
"""

from __future__ import annotations

import logging

import gradio as gr

from engine.settings import Settings
from web import mcp
from web.handlers import Handlers, user_errors
from web.layout import APP_CSS, INTRO, check_tab, dataset_tab, dictionary_tab
from web.runtime.workers import CpuPool
from web.server import analytics_enabled, downloads_root, serve
from web.ui import Bound

QUIET = {"show_progress": "hidden"}   # progress shows in each tab's status line, never over
#                                      the results


def _watched(status: gr.Markdown) -> dict:
    """A long event's tracker: Gradio's small one (queue position, time) on the status line
    only; the outputs stay as they are."""
    return {"show_progress": "minimal", "show_progress_on": [status]}


def build_demo(settings: Settings | None = None, cpu: CpuPool | None = None) -> gr.Blocks:
    """Build the Blocks (not queued, not served)."""
    settings = settings or Settings.from_env()
    h = Handlers(settings, downloads_root(), cpu)
    ttl = settings.upload_ttl
    with gr.Blocks(title="Codebook", delete_cache=(max(60, ttl // 4), ttl),
                   analytics_enabled=analytics_enabled()) as demo:
        state = {"schema": gr.State(None),      # the session's dictionary (compact schema)
                 "meta": gr.State(None),        # its file name, field count, LLM marks
                 "pairing": gr.State(None)}     # the matching editor's rows and pairs
        gr.Markdown(INTRO, elem_id="intro")
        with gr.Tabs():
            d = dictionary_tab(h)
            p = dataset_tab()
            c = check_tab()
        _wire_dictionary(h, settings, d, c, state)
        _wire_dataset(h, settings, p, state)
        _wire_check(h, settings, c, state)
        # the tools for AI assistants (MCP at /gradio_api/mcp/), API-only: web/mcp.py
        mcp.register(h)
    demo.codebook_css = APP_CSS
    return demo


def _light(settings: Settings) -> dict:
    return {"concurrency_limit": settings.light_concurrency, "concurrency_id": "light"}


def _wire_dictionary(h: Handlers, settings: Settings, d: dict, c: dict, state: dict) -> None:
    """The Dictionary tab's events and the /parse_dictionary endpoint."""
    light = _light(settings)
    # Parses (rules or LLM) have their own pool: LLM jobs mostly wait on the provider, whose
    # process-wide limits are the real bound; profiles never queue behind them.
    parse = {"concurrency_limit": settings.llm_jobs, "concurrency_id": "parse"}
    inputs = [d["file"], d["use_llm"], d["missing"], d["sheet"]]
    shown = Bound({"status": d["status"], "table": d["table"], "schema_json": d["schema_json"],
                   "schema_file": d["schema_file"], "csv_file": d["csv_file"],
                   "downloads_row": d["downloads_row"], "job": d["job"],
                   "state": state["schema"], "meta": state["meta"], "markers": d["missing"],
                   "check_note": c["dict_note"], "edit_status": d["edit_status"],
                   "export_file": d["export_file"], "export_status": d["export_status"]})
    parse_ui = shown(h.parse_ui)
    sheets = {"fn": h.dictionary_sheets, "inputs": [d["file"]], "outputs": [d["sheet"]],
              "api_visibility": "private", **light}

    watched = _watched(d["status"])

    def parsing(trigger):
        return trigger.then(parse_ui, inputs, shown.outputs, api_visibility="private",
                            **parse, **watched)

    events = [
        d["parse_btn"].click(parse_ui, inputs, shown.outputs, api_visibility="private",
                             **parse, **watched),
        parsing(d["file"].upload(**sheets)),
        d["sheet"].input(parse_ui, inputs, shown.outputs, api_visibility="private",
                         **parse, **watched),
        parsing(d["example_btn"].click(lambda: h.example("house-prices/data_description.txt"),
                                       None, d["file"], api_visibility="private", **light)
                .then(**sheets)),
    ]
    # Cancel: a running parse is told to stop and ends with what it kept (the job's own cancel:
    # no output is lost to a cancelled task); a queued one is dropped from the queue
    d["cancel_btn"].click(h.stop_or_fail, None, None, api_visibility="private",
                          concurrency_limit=None, concurrency_id="stop", **QUIET).failure(
        None, None, None, cancels=events, api_visibility="private")
    edit = Bound({k: shown.components[k] for k in (
        "edit_status", "table", "schema_json", "schema_file", "csv_file", "state", "meta",
        "markers", "check_note", "export_file", "export_status")}, status="edit_status")
    d["table"].input(edit(h.edit_fields), [d["table"], state["schema"], state["meta"]],
                     edit.outputs, api_visibility="private", **light, **QUIET)
    for trigger in (d["markers_btn"].click, d["missing"].submit):
        trigger(edit(h.apply_markers), [d["missing"], state["schema"], state["meta"]],
                edit.outputs, api_visibility="private", **light, **QUIET)
    d["api_btn"].click(user_errors(h.parse_dictionary), inputs,
                       [d["status"], d["table"], d["schema_json"], d["schema_file"],
                        d["csv_file"], d["job"], state["schema"]],
                       api_name="parse_dictionary", **parse)
    d["stop_btn"].click(h.stop_parse, None, d["stop_said"], api_name="stop_parse",
                        concurrency_limit=None, concurrency_id="stop")
    _wire_export(h, settings, d, state)


def _wire_export(h: Handlers, settings: Settings, d: dict, state: dict) -> None:
    """The Dictionary tab's Export control and the /export_dictionary endpoint (an uploaded
    dictionary is parsed first: in the parse pool)."""
    export = Bound({"export_status": d["export_status"], "export_file": d["export_file"]},
                   status="export_status")
    d["export_btn"].click(export(h.export_ui), [d["export_kind"], state["schema"],
                                                state["meta"]],
                          export.outputs, api_visibility="private", **_light(settings),
                          **_watched(d["export_status"]))
    d["export_api_btn"].click(user_errors(h.export_dictionary),
                              [d["export_api_format"], d["export_api_file"],
                               d["export_api_dialect"], state["schema"], state["meta"]],
                              d["export_api_out"], api_name="export_dictionary",
                              concurrency_limit=settings.llm_jobs, concurrency_id="parse")


def _wire_dataset(h: Handlers, settings: Settings, p: dict, state: dict) -> None:
    """The Dataset tab's events and the /profile endpoint."""
    light = _light(settings)
    inputs = [p["file"], p["sheet"], state["schema"]]
    shown = Bound({"status": p["status"], "table": p["table"], "json": p["json"],
                   "file": p["download"], "sheet": p["sheet"], "charts": p["charts"]})
    profile_ui = shown(h.profile_ui)
    watched = _watched(p["status"])
    for trigger in (p["profile_btn"].click, p["file"].upload, p["sheet"].input):
        trigger(profile_ui, inputs, shown.outputs, api_visibility="private", **light,
                **watched)
    p["example_btn"].click(lambda: h.example("house-prices/train.csv"), None, p["file"],
                           api_visibility="private", **light).then(
        profile_ui, inputs, shown.outputs, api_visibility="private", **light, **watched)
    p["api_btn"].click(user_errors(h.profile), inputs,
                       [p["status"], p["table"], p["json"], p["download"], p["sheet"]],
                       api_name="profile", **light)


def _wire_check(h: Handlers, settings: Settings, c: dict, state: dict) -> None:
    """The Check tab's events, its matching editor, and the /analyze endpoint."""
    light = _light(settings)
    names = ["status", "results", "head", "passing_acc", "passing", "absent", "fields",
             "matching", "preview", "files", "files_row", "json", "pair_column", "pair_field",
             "pair_note", *(f"plot{i}" for i in range(len(c["plots"])))]
    comps = {n: c[n] for n in names if not n.startswith("plot")}
    comps.update({f"plot{i}": plot for i, plot in enumerate(c["plots"])})
    comps["pairing"] = state["pairing"]
    shown = Bound(comps)
    analyze_ui = shown(h.analyze_ui)
    inputs = [c["data"], c["dict"], c["missing"], c["sheet"], c["dict_sheet"],
              state["schema"], state["meta"]]
    watched = _watched(c["status"])
    for trigger in (c["analyze_btn"].click, c["missing"].submit):
        trigger(analyze_ui, inputs, shown.outputs, api_visibility="private", **light,
                **watched)
    c["rerun_btn"].click(analyze_ui, inputs + [state["pairing"]], shown.outputs,
                         api_visibility="private", **light, **watched)
    c["example_btn"].click(
        lambda: h.example("house-prices/train.csv", "house-prices/data_description.txt"),
        None, [c["data"], c["dict"]], api_visibility="private", **light).then(
        analyze_ui, inputs, shown.outputs, api_visibility="private", **light, **watched)
    for upload, picker, fn in ((c["data"], c["sheet"], h.data_sheets),
                               (c["dict"], c["dict_sheet"], h.dictionary_sheets)):
        upload.upload(fn, [upload], [picker], api_visibility="private", **light)
    c["show_exact"].change(h.matching_rows, [state["pairing"], c["show_exact"]],
                           [c["matching"]], api_visibility="private", **light, **QUIET)
    c["matching"].select(h.pick_pair, [state["pairing"]], [c["pair_column"], c["pair_field"]],
                         api_visibility="private", **light, **QUIET)
    c["pair_btn"].click(h.set_pair, [state["pairing"], c["pair_column"], c["pair_field"],
                                     c["show_exact"]],
                        [state["pairing"], c["matching"], c["pair_note"]],
                        api_visibility="private", **light, **QUIET)
    c["api_btn"].click(user_errors(h.analyze),
                       [c["data"], c["dict"], c["api_mapping"], c["missing"], state["schema"],
                        c["sheet"], c["dict_sheet"]],
                       [c["head"], c["fields"], c["matching"], c["preview"], *c["plots"],
                        c["files"], c["json"]],
                       api_name="analyze", **light)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    # one INFO line per HTTP request (every LLM call, every Gradio self-check) is noise, and
    # under load a measurable share of the serving thread
    for name in ("httpx", "httpx2", "httpcore", "httpcore2"):
        logging.getLogger(name).setLevel(logging.WARNING)
    serve(build_demo)
