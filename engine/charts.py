"""Figures: per-field distributions, a violations overview, a rows x fields heat-map.

Matplotlib figures built with the object API (`Figure`, never pyplot: no global state, safe in
threads); `gr.Plot` shows them as they are, and `figure_svg` inlines them in the HTML report.
Distributions are computed from value counts and numpy histograms, never per row in Python.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .model import Field
from .validation import ValidationResult
from .validation.column import as_text
from .values.conform import parse_values

TOP_CODES = 15
_OK, _BAD, _MISSING = "#4c78a8", "#e45756", "#bab0ac"
_KIND_COLORS = {"type": "#e45756", "minimum": "#f58518", "maximum": "#ff9d45",
                "category": "#b279a2", "required": "#54a24b", "unique": "#eeca3b",
                "pattern": "#72b7b2", "logic": "#9d755d", "minLength": "#ff9da6",
                "maxLength": "#d67195"}


def figure_svg(fig: Figure) -> str:
    """The figure as an inline <svg> element (text kept as text, no external references)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):   # smaller SVG: text stays text
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.find("<svg"):]


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    # constrained layout fits tick labels and titles inside the figure as it is drawn: gr.Plot
    # saves it as it is (no bbox_inches="tight"), so a long label would be cut at the edge
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def distribution_figure(column: pa.Array | pa.ChunkedArray, field: Field | None,
                        title: str | None = None) -> Figure:
    """A bar chart of codes (with labels) or a histogram of numbers for one column."""
    text = as_text(column)
    name = title or (field.name if field else "column")
    numeric = field is not None and field.type in ("integer", "number", "year") and \
        not field.categories
    if numeric:
        parsed = parse_values(text, field)
        values = parsed.num[parsed.ok] if parsed is not None and parsed.num is not None else None
        if values is not None and len(values) and len(np.unique(values[:5000])) > TOP_CODES:
            return _histogram(values[np.isfinite(values)], field, name)
    return _code_bars(text, field, name)


def _histogram(values: np.ndarray, field: Field, name: str) -> Figure:
    fig, ax = _figure(6, 2.8)
    ax.hist(values, bins=40, color=_OK)
    for kind, style in (("minimum", "--"), ("maximum", "--")):
        bound = field.constraints.get(kind)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            ax.axvline(bound, color=_BAD, linestyle=style, label=f"{kind} {bound}")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    ax.set_title(f"{name}: distribution of {len(values):,} values", fontsize=10)
    ax.set_ylabel("rows")
    return fig


def _code_bars(text: pa.Array, field: Field | None, name: str) -> Figure:
    vc = pc.value_counts(pc.fill_null(text, ""))
    values = vc.field("values").to_pylist()
    counts = np.asarray(vc.field("counts").to_pylist())
    order = np.argsort(-counts, kind="stable")[:TOP_CODES]
    labels = {c.value: c.label for c in (field.categories if field else [])}
    missing = {m.value: m.label for m in (field.missing_values if field else [])} | {"": None}
    names, colors = [], []
    for i in order:
        v = values[i]
        lab = labels.get(v) or missing.get(v)
        names.append(_short(("(empty)" if v == "" else v) + (f" = {lab}" if lab else "")))
        colors.append(_MISSING if v in missing else
                      (_BAD if labels and v not in labels else _OK))
    fig, ax = _figure(6, 0.3 * len(names) + 1.0)
    bars = ax.barh(range(len(names)), counts[order], color=colors)
    ax.bar_label(bars, labels=[f"{c:,}" for c in counts[order]], fontsize=7, padding=2)
    ax.margins(x=0.12)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.invert_yaxis()
    more = f" (top {TOP_CODES} of {len(values):,})" if len(values) > TOP_CODES else ""
    ax.set_title(f"{name}: values{more}", fontsize=10)
    ax.set_xlabel("rows")
    return fig


def _thousands(x: float, _pos: Any) -> str:
    return f"{int(x):,}"


def _short(text: str, width: int = 40) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)    # tabs and line breaks have no glyph
    return text if len(text) <= width else text[: width - 1] + "…"


def violations_figure(result: ValidationResult, top: int = 25) -> Figure:
    """Violations per field, stacked by kind (fields with the most problems first)."""
    rows = [(f.name, {v.kind: 0 for v in f.violations}) for f in result.fields if f.violations]
    for (name, kinds), f in zip(rows, [f for f in result.fields if f.violations]):
        for v in f.violations:
            kinds[v.kind] += v.count
    rows.sort(key=lambda r: -sum(r[1].values()))
    rows = rows[:top]
    fig, ax = _figure(6.5, 0.32 * max(len(rows), 1) + 1.2)
    if not rows:
        ax.text(0.5, 0.5, "No violations", ha="center", va="center", fontsize=12)
        ax.set_axis_off()
        return fig
    left = np.zeros(len(rows))
    kinds = sorted({k for _, ks in rows for k in ks})
    for kind in kinds:
        widths = np.array([ks.get(kind, 0) for _, ks in rows], dtype=float)
        ax.barh(range(len(rows)), widths, left=left, label=kind,
                color=_KIND_COLORS.get(kind, "#888888"))
        left += widths
    ax.set_yticks(range(len(rows)), [_short(n, 30) for n, _ in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("violating rows")
    ax.set_title("Violations by field and kind", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def heatmap_figure(result: ValidationResult, top: int = 40) -> Figure:
    """Where the problems are: fields with violations x row bins (darker = more)."""
    names, grid = result.heatmap()
    fig, ax = _figure(7, 0.25 * max(min(len(names), top), 1) + 1.4)
    if not names:
        ax.text(0.5, 0.5, "No violations", ha="center", va="center", fontsize=12)
        ax.set_axis_off()
        return fig
    keep = np.argsort(-grid.sum(axis=1), kind="stable")[:top]
    keep.sort()
    grid = grid[keep]
    n, bins = result.n_rows, grid.shape[1]
    ax.imshow(grid, aspect="auto", cmap="Reds", interpolation="nearest",
              extent=(1, n + 1, len(keep) - 0.5, -0.5))
    ax.set_yticks(range(len(keep)), [_short(names[i], 30) for i in keep], fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))   # (a module function pickles)
    per = max(n // max(bins, 1), 1)
    ax.set_xlabel(f"row (each cell {per:,} row{'s' * (per > 1)})")
    ax.set_title("Where the violations are", fontsize=10)
    return fig
