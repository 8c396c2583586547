"""Codebook's web UI and API: the Gradio Blocks, wired to the callbacks in web.handlers, served
by web.server (python app.py)."""

from __future__ import annotations

import logging

import gradio as gr

from engine.llm import NO_PROVIDER_MESSAGE
from engine.model import FIELD_ROW_COLUMNS
from engine.settings import Settings
from web import mcp
from web.handlers import PLOTS, Handlers, user_errors
from web.runtime.workers import CpuPool
from web.server import analytics_enabled, downloads_root, serve

INTRO = """# Codebook
Turn a **data dictionary** (CSV, Excel, PDF, Word, HTML, Markdown, text, REDCap, DDI, SPSS,
Stata, Table Schema …) into a machine-readable Table Schema, and **profile a dataset**.
Everything is also available from Python (`gradio_client`) and the command line."""


def build_demo(settings: Settings | None = None, cpu: CpuPool | None = None) -> gr.Blocks:
    """Build the Blocks (not queued, not served)."""
    settings = settings or Settings.from_env()
    h = Handlers(settings, downloads_root(), cpu)
    ttl = settings.upload_ttl
    light = {"concurrency_limit": settings.light_concurrency, "concurrency_id": "light"}

    with gr.Blocks(title="Codebook", delete_cache=(max(60, ttl // 4), ttl),
                   analytics_enabled=analytics_enabled()) as demo:
        schema_state = gr.State(None)   # the parsed dictionary (SchemaOutputs.compact)
        gr.Markdown(INTRO)
        with gr.Tab("Dictionary"):
            with gr.Row():
                dict_file = gr.File(label="Data dictionary", file_count="single", elem_id="dict-file")
                with gr.Column():
                    use_llm = gr.Checkbox(
                        label="Refine with LLM", value=False, elem_id="use-llm",
                        info=(f"Provider: {h.llm.describe()}" if h.llm else NO_PROVIDER_MESSAGE))
                    dict_missing = gr.Textbox(
                        label="Missing values (optional)", value="", lines=1,
                        elem_id="dict-missing", placeholder="NA,NULL; LotFrontage=-9",
                        info="Markers that mean 'no value': for every field (NA,NULL) or one "
                             "(Field=-9); groups separated by ';'")
                    with gr.Row():
                        parse_btn = gr.Button("Parse dictionary", variant="primary")
                        cancel_btn = gr.Button("Cancel", variant="stop")
            parse_status = gr.Markdown(elem_id="parse-status")
            fields_table = gr.Dataframe(headers=FIELD_ROW_COLUMNS, label="Fields", wrap=True,
                                        interactive=False, elem_id="fields-table",
                                        show_search="search",
                                        column_widths=["12%", "12%", "26%", "7%", "7%", "18%",
                                                       "6%", "8%", "4%"])
            with gr.Row():
                schema_file = gr.File(label="Table Schema (JSON)", interactive=False)
                csv_file = gr.File(label="Fields (CSV)", interactive=False)
            with gr.Accordion("Table Schema", open=False):
                schema_json = gr.JSON(label="Table Schema v2")
            with gr.Accordion("Job details (format, warnings, LLM usage)", open=False):
                job_json = gr.JSON(label="Job")
        with gr.Tab("Dataset"):
            with gr.Row():
                data_file = gr.File(label="Dataset", file_count="single", elem_id="data-file")
                with gr.Column():
                    sheet = gr.Dropdown(label="Sheet", choices=[], visible=False,
                                        allow_custom_value=True)
                    profile_btn = gr.Button("Profile dataset", variant="primary")
            profile_status = gr.Markdown(elem_id="profile-status")
            columns_table = gr.Dataframe(label="Columns", wrap=True, interactive=False,
                                         elem_id="columns-table")
            profile_file_out = gr.File(label="Profile (JSON)", interactive=False)
            with gr.Accordion("Profile JSON", open=False):
                profile_json = gr.JSON(label="Profile")
        with gr.Tab("Check"):
            gr.Markdown("Check a dataset against its dictionary. Without a dictionary file, the "
                        "one parsed in the Dictionary tab is used; with neither, a starter "
                        "dictionary is inferred from the data.")
            with gr.Row():
                check_data = gr.File(label="Dataset", elem_id="check-data")
                check_dict = gr.File(label="Dictionary (optional)", elem_id="check-dict")
            mapping_json = gr.Textbox(label="Column → field mapping (JSON, optional)",
                                      placeholder='{"Bedroom count": "Bedroom"}', lines=1)
            check_missing = gr.Textbox(
                label="Missing values (optional)", value="", lines=1, elem_id="check-missing",
                placeholder="NA,NULL; LotFrontage=-9",
                info="Markers that mean 'no value', added to the dictionary's: for every field "
                     "(NA,NULL) or one (Field=-9); groups separated by ';'")
            with gr.Row():
                analyze_btn = gr.Button("Analyze", variant="primary")
                rerun_btn = gr.Button("Re-run with the pairing below")
            check_report = gr.Markdown(elem_id="check-report")
            with gr.Row():
                plots = [gr.Plot(label="Violations", elem_id="plot-0"),
                         gr.Plot(label="Where the problems are", elem_id="plot-1")]
            with gr.Row():
                plots += [gr.Plot(label=f"Distribution {i + 1}") for i in range(PLOTS - 2)]
            check_fields = gr.Dataframe(headers=["field", "column", "type", "status", "verdict"],
                                        label="Fields", interactive=False, wrap=True,
                                        elem_id="check-fields")
            check_matching = gr.Dataframe(
                headers=["column", "field", "method", "confidence"], interactive=True,
                label="Column matching (edit the field column, then re-run)",
                elem_id="check-matching")
            check_preview = gr.Dataframe(label="Preview with value labels", interactive=False)
            check_files = gr.File(label="Downloads", file_count="multiple", interactive=False)
            with gr.Accordion("Report JSON", open=False):
                check_json = gr.JSON(label="Report")

        parse_outputs = [parse_status, fields_table, schema_json, schema_file, csv_file,
                         job_json, schema_state]
        parse_fn = user_errors(h.parse_dictionary)
        # Parses (rules or LLM) have their own pool: LLM jobs mostly wait on the provider, whose
        # process-wide limits are the real bound; profiles never queue behind them.
        parse = {"concurrency_limit": settings.llm_jobs, "concurrency_id": "parse"}
        parse_events = [
            parse_btn.click(parse_fn, [dict_file, use_llm, dict_missing], parse_outputs,
                            api_name="parse_dictionary", **parse),
            dict_file.upload(parse_fn, [dict_file, use_llm, dict_missing], parse_outputs,
                             api_visibility="private", **parse),
        ]
        cancel_btn.click(None, None, None, cancels=parse_events, api_visibility="private")

        check_outputs = [check_report, check_fields, check_matching, check_preview, *plots,
                         check_files, check_json]
        analyze_fn = user_errors(h.analyze)
        analyze_btn.click(analyze_fn, [check_data, check_dict, mapping_json, check_missing,
                                       schema_state],
                          check_outputs, api_name="analyze", **light)
        rerun_btn.click(analyze_fn, [check_data, check_dict, check_matching, check_missing,
                                     schema_state],
                        check_outputs, api_visibility="private", **light)

        profile_outputs = [profile_status, columns_table, profile_json, profile_file_out, sheet]
        profile_fn = user_errors(h.profile)
        profile_btn.click(profile_fn, [data_file, sheet, schema_state], profile_outputs,
                          api_name="profile", **light)
        data_file.upload(profile_fn, [data_file, sheet, schema_state], profile_outputs,
                         api_visibility="private", **light)

        # the tools for AI assistants (MCP at /gradio_api/mcp/), API-only: web/mcp.py
        mcp.register(h)
    return demo


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    # one INFO line per HTTP request (every LLM call, every Gradio self-check) is noise, and
    # under load a measurable share of the serving thread
    for name in ("httpx", "httpx2", "httpcore", "httpcore2"):
        logging.getLogger(name).setLevel(logging.WARNING)
    serve(build_demo)
