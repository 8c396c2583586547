"""The app's tabs: their components, laid out, returned by name (app.py wires them).

What a first visit sees: a line on what each tab does, a "Try an example" button, and no
empty tables nor chart frames (results appear with results)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from engine.llm import NO_PROVIDER_MESSAGE

from .data_handlers import PLOTS
from .export_handlers import DEFAULT_EXPORT, export_choices
from .handlers import UI_COLUMNS

INTRO = """# Codebook
Turn a **data dictionary** (CSV, Excel, PDF, Word, HTML, Markdown, text, REDCap, DDI, SPSS,
Stata, Table Schema …) into a machine-readable Table Schema, and check datasets against it.
**Dictionary**: read a codebook, review and correct its fields, download the Table Schema.
**Dataset**: profile a data file, column by column. **Check**: check a dataset against its
dictionary; the report starts with the problems. Everything is also available from Python
(`gradio_client`, see *Use via API* below) and the command line."""

# name, LLM, title (REDCap questions are long: the widest), description, type, unit, codes,
# range, missing, required: no header breaks inside a word, and the whole table fits the app's
# width at 1400 px (Gradio 6.31's pinned columns show blank when the table scrolls sideways)
FIELD_WIDTHS = [140, 60, 220, 180, 90, 70, 180, 75, 110, 85]
# the profile's columns table (engine.profile.COLUMN_TABLE)
COLUMN_WIDTHS = [160, 80, 80, 95, 90, 100, 100, 100, 225, 180]
CELL_CHARS = 120        # longer cells are cut (a click shows them whole)
MARKERS_HINT = "NA, NULL, ., -9"

APP_CSS = """
#parse-status progress { width: 12em; vertical-align: middle; accent-color: #f97316; }
.cb-status { min-height: 1.5em; }
.cb-spin { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.45em;
           border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%;
           vertical-align: -0.1em; animation: cb-spin 0.9s linear infinite; }
@keyframes cb-spin { to { transform: rotate(360deg); } }
.table-wrap th .header-content span { word-break: normal; overflow-wrap: normal; }
.table-wrap .body-cell span { word-break: normal; overflow-wrap: anywhere; }
#check-report ol li { margin-bottom: 0.35em; }
"""


def dictionary_tab(h: Any) -> dict[str, Any]:
    """The Dictionary tab: upload, parse (rules, then an LLM), review and correct."""
    c: dict[str, Any] = {}
    with gr.Tab("Dictionary", id="dictionary"):
        gr.Markdown("Upload a data dictionary in any format: the rules read it at once (and "
                    "an LLM, if ticked, reads it again chunk by chunk). Then **correct any "
                    "cell** of the fields table: the Table Schema, its downloads and the "
                    "Check tab follow your edits.")
        with gr.Row():
            c["file"] = gr.File(label="Data dictionary", file_count="single",
                                elem_id="dict-file", scale=2)
            with gr.Column(scale=3):
                c["sheet"] = gr.Dropdown(label="Sheet", choices=[], visible=False,
                                         elem_id="dict-sheet", allow_custom_value=True)
                with gr.Row():
                    c["missing"] = gr.Textbox(
                        label="Missing-value markers for the whole dictionary",
                        placeholder=MARKERS_HINT, elem_id="dict-missing", scale=4,
                        info="Values that mean 'missing' in every column (empty cells always "
                             "do); per field: the table's missing column.")
                    c["markers_btn"] = gr.Button("Apply to the dictionary",
                                                 elem_id="dict-missing-apply", scale=1,
                                                 min_width=120)
                c["use_llm"] = gr.Checkbox(
                    label="Refine with LLM", value=False, elem_id="use-llm",
                    info=(f"Provider: {h.llm.describe()}" if h.llm else NO_PROVIDER_MESSAGE))
                with gr.Row():
                    c["parse_btn"] = gr.Button("Parse dictionary", variant="primary",
                                               elem_id="parse-btn")
                    c["cancel_btn"] = gr.Button("Cancel", variant="stop", elem_id="cancel-btn")
                    c["example_btn"] = gr.Button("Try an example: house prices",
                                                 elem_id="dict-example")
        c["status"] = gr.Markdown(elem_id="parse-status", elem_classes="cb-status")
        c["table"] = gr.Dataframe(
            headers=UI_COLUMNS, label="Fields (click a cell to edit it, or to read a cut one "
                                      "whole; LLM: what the LLM added or changed)",
            wrap=True, interactive=True, visible=False, elem_id="fields-table",
            show_search="search", column_widths=[f"{w}px" for w in FIELD_WIDTHS],
            max_chars=CELL_CHARS, static_columns=[UI_COLUMNS.index("LLM")],
            type="array",     # edits come back as rows (the columns are UI_COLUMNS): no pandas
            max_height=560)
        c["edit_status"] = gr.Markdown(elem_id="edit-status")
        with gr.Row(visible=False) as c["downloads_row"]:
            c["schema_file"] = gr.File(label="Table Schema (JSON)", interactive=False,
                                       elem_id="schema-file")
            c["csv_file"] = gr.File(label="Fields (CSV)", interactive=False,
                                    elem_id="csv-file")
        _export_control(c)
        with gr.Accordion("Table Schema", open=False):
            c["schema_json"] = gr.JSON(label="Table Schema v2")
        with gr.Accordion("Job details (format, warnings, LLM usage)", open=False):
            c["job"] = gr.JSON(label="Job")
        c["api_btn"] = gr.Button(visible=False)
        c["stop_btn"] = gr.Button(visible=False)
        c["stop_said"] = gr.Textbox(visible=False, label="Stopping")
    return c


def _export_control(c: dict[str, Any]) -> None:
    """The dictionary (as edited) written for another tool, picked from the exports; and the
    hidden inputs and output of /export_dictionary."""
    with gr.Accordion("Export for another tool: pandera, Great Expectations, Data Package, "
                      "SQL, JSON Schema, REDCap, DDI, SPSS, Stata", open=False,
                      elem_id="export"):
        with gr.Row(equal_height=True):
            c["export_kind"] = gr.Dropdown(label="Export the dictionary as",
                                           choices=export_choices(), value=DEFAULT_EXPORT,
                                           elem_id="export-kind", scale=3)
            c["export_btn"] = gr.Button("Export", elem_id="export-btn", scale=1,
                                        min_width=120)
        c["export_status"] = gr.Markdown(elem_id="export-status")
        c["export_file"] = gr.File(label="Export", interactive=False, visible=False,
                                   elem_id="export-file")
    c["export_api_format"] = gr.Textbox(visible=False, label="Format")
    c["export_api_file"] = gr.File(visible=False, label="Dictionary")
    c["export_api_dialect"] = gr.Textbox(visible=False, label="SQL dialect")
    c["export_api_out"] = gr.File(visible=False, label="Export")
    c["export_api_btn"] = gr.Button(visible=False)


def dataset_tab() -> dict[str, Any]:
    """The Dataset tab: a profile of each column, with its distribution."""
    c: dict[str, Any] = {}
    with gr.Tab("Dataset", id="dataset"):
        gr.Markdown("Profile a data file (CSV, Excel, Parquet, JSON, SPSS, Stata, SAS …): "
                    "types, missing and NA-like values, distinct and top values, and each "
                    "column's distribution. A dictionary parsed in the Dictionary tab names "
                    "and types the columns.")
        with gr.Row():
            c["file"] = gr.File(label="Dataset", file_count="single", elem_id="data-file",
                                scale=2)
            with gr.Column(scale=3):
                c["sheet"] = gr.Dropdown(label="Sheet", choices=[], visible=False,
                                         allow_custom_value=True, elem_id="data-sheet")
                with gr.Row():
                    c["profile_btn"] = gr.Button("Profile dataset", variant="primary",
                                                 elem_id="profile-btn")
                    c["example_btn"] = gr.Button("Try an example: house prices",
                                                 elem_id="data-example")
        c["status"] = gr.Markdown(elem_id="profile-status", elem_classes="cb-status")
        c["table"] = gr.Dataframe(label="Columns", wrap=True, interactive=False,
                                  elem_id="columns-table", visible=False, max_height=420,
                                  max_chars=CELL_CHARS,
                                  column_widths=[f"{w}px" for w in COLUMN_WIDTHS])
        c["charts"] = gr.HTML(elem_id="column-charts", visible=False,
                              label="Distributions")
        c["download"] = gr.File(label="Profile (JSON)", interactive=False, visible=False)
        with gr.Accordion("Profile JSON", open=False):
            c["json"] = gr.JSON(label="Profile")
        c["api_btn"] = gr.Button(visible=False)
    return c


def check_tab() -> dict[str, Any]:
    """The Check tab: a dataset checked against its dictionary, problems first."""
    c: dict[str, Any] = {}
    with gr.Tab("Check", id="check"):
        gr.Markdown("Check a dataset against its dictionary: types, codes, ranges, required "
                    "values, duplicates. Without a dictionary file here, the one from the "
                    "Dictionary tab is used (with your edits); with neither, a starter "
                    "dictionary is inferred from the data.")
        with gr.Row():
            with gr.Column():
                c["data"] = gr.File(label="Dataset", elem_id="check-data")
                c["sheet"] = gr.Dropdown(label="Dataset sheet", choices=[], visible=False,
                                         allow_custom_value=True, elem_id="check-sheet")
            with gr.Column():
                c["dict"] = gr.File(label="Dictionary (optional)", elem_id="check-dict")
                c["dict_sheet"] = gr.Dropdown(label="Dictionary sheet", choices=[],
                                              visible=False, allow_custom_value=True,
                                              elem_id="check-dict-sheet")
        c["dict_note"] = gr.Markdown(elem_id="check-dict-note")
        with gr.Row(equal_height=True):
            c["missing"] = gr.Textbox(
                label="Missing-value markers for this check", placeholder=MARKERS_HINT,
                elem_id="check-missing", scale=3,
                info="Added to the dictionary's own; empty cells are always missing.")
            c["analyze_btn"] = gr.Button("Analyze", variant="primary", elem_id="analyze-btn",
                                         scale=1)
            c["example_btn"] = gr.Button("Try an example: house prices",
                                         elem_id="check-example", scale=1)
        c["status"] = gr.Markdown(elem_id="check-status", elem_classes="cb-status")
        with gr.Column(visible=False, elem_id="check-results") as c["results"]:
            c["head"] = gr.Markdown(elem_id="check-report")
            # (each chart has its title: a block label would cover the start of it)
            plots = [gr.Plot(label="Violations", elem_id=f"plot-{i}", visible=False,
                             render=False, show_label=False) for i in range(PLOTS)]
            for i in range(0, PLOTS, 2):      # two per row: charts at their drawn size
                with gr.Row():
                    for plot in plots[i:i + 2]:
                        plot.render()
                    if len(plots[i:i + 2]) == 1:
                        gr.Column()
            c["plots"] = plots
            with gr.Accordion("Passing fields", open=False, elem_id="passing-fields") \
                    as c["passing_acc"]:
                c["passing"] = gr.Markdown()
            c["absent"] = gr.Markdown(elem_id="absent-fields")
            _matching_editor(c)
            with gr.Accordion("Every field's verdict", open=False):
                c["fields"] = gr.Dataframe(
                    headers=["field", "column", "type", "status", "verdict"], wrap=True,
                    interactive=False, elem_id="check-fields", max_chars=CELL_CHARS,
                    column_widths=["180px", "160px", "90px", "80px", "420px"])
            with gr.Accordion("Preview with value labels (first 50 rows)", open=False):
                c["preview"] = gr.Dataframe(interactive=False, max_chars=60)
            with gr.Row(visible=False) as c["files_row"]:
                c["files"] = gr.File(label="Downloads", file_count="multiple",
                                     interactive=False, elem_id="check-files")
            with gr.Accordion("Report JSON", open=False):
                c["json"] = gr.JSON(label="Report")
        c["api_mapping"] = gr.Textbox(visible=False)
        c["api_btn"] = gr.Button(visible=False)
    return c


def _matching_editor(c: dict[str, Any]) -> None:
    """Columns paired with fields: a table to read (exact matches folded away), and a pair
    changed by picking the column and a field from the dictionary's."""
    with gr.Accordion("Column matching", open=False, elem_id="matching"):
        c["show_exact"] = gr.Checkbox(label="Show exact matches", value=False,
                                      elem_id="show-exact")
        c["matching"] = gr.Dataframe(headers=["column", "field", "how", "confidence"],
                                     interactive=False, elem_id="check-matching",
                                     column_widths=["220px", "220px", "120px", "100px"])
        with gr.Row(equal_height=True):
            c["pair_column"] = gr.Dropdown(label="Column (or click a row above)", choices=[],
                                           elem_id="pair-column")
            c["pair_field"] = gr.Dropdown(label="Field from the dictionary", choices=[],
                                          filterable=True, elem_id="pair-field")
            c["pair_btn"] = gr.Button("Pair them", elem_id="pair-btn")
        c["pair_note"] = gr.Markdown()
        c["rerun_btn"] = gr.Button("Re-run the check with these pairs", variant="primary",
                                   elem_id="rerun-btn")
