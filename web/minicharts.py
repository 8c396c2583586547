"""The Dataset tab's charts: one card per column with its distribution, a histogram of numbers
or the top values, drawn as plain HTML (bars are sized boxes, labels are text), so they stay
legible at any width and the browser draws them.  Made where the profile ran (a worker),
from the column and its profile: numpy histograms, never per row in Python."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BINS = 24
CARDS = 120              # columns charted at most (the columns table lists them all)
TOP_SHOWN = 8
_NUMBER = r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$"
_BAR, _MUTED = "#4c78a8", "#9aa5b1"


def column_cards(table: pa.Table, columns: list[Any]) -> str:
    """Cards for a table's columns (profile ColumnProfiles in table order), in a grid."""
    cards = [_card(table.column(c.name), c) for c in columns[:CARDS]
             if c.name in table.column_names]
    more = (f"<p style='margin:6px 0'>The first {CARDS} of {len(columns)} columns are "
            "charted; the table above lists them all.</p>") if len(columns) > CARDS else ""
    return ("<div class='cb-cards' style='display:grid;grid-template-columns:repeat(auto-fill,"
            "minmax(260px,1fr));gap:10px'>" + "".join(cards) + "</div>" + more)


def _card(column: pa.ChunkedArray, prof: Any) -> str:
    """One column's card: name, type, missing share, and its chart."""
    numbers = _numbers(column) if prof.type in ("integer", "number") else None
    if numbers is not None and len(numbers) and len(np.unique(numbers[:5000])) > TOP_SHOWN:
        body = _histogram(numbers)
    else:
        body = _top_values(prof)
    note = f"{prof.type} · {prof.missing_pct}% missing · {prof.distinct:,} distinct"
    return ("<div class='cb-card' style='border:1px solid var(--border-color-primary,#ddd);"
            "border-radius:6px;padding:8px 10px;min-width:0'>"
            f"<div style='font-weight:600;overflow:hidden;text-overflow:ellipsis;"
            f"white-space:nowrap' title='{_esc(prof.name)}'>{_esc(prof.name)}</div>"
            f"<div style='font-size:12px;opacity:.75;margin-bottom:6px'>{_esc(note)}</div>"
            f"{body}</div>")


def _numbers(column: pa.ChunkedArray) -> np.ndarray | None:
    """The column's finite numbers (text that reads as a number, for a text column)."""
    try:
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            values = column.drop_null().to_numpy()
        else:
            text = pc.utf8_trim_whitespace(pc.cast(column, pa.string())).drop_null()
            text = text.filter(pc.match_substring_regex(text, _NUMBER))
            values = pc.cast(text, pa.float64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        return None
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def _histogram(values: np.ndarray) -> str:
    """Vertical bars, one per bin, with the range below and each bin's count on hover."""
    counts, edges = np.histogram(values, bins=BINS)
    top = max(int(counts.max()), 1)
    bars = "".join(
        f"<div title='{_num(a)} – {_num(b)}: {int(n):,} rows' style='flex:1;"
        f"background:{_BAR};height:{max(100 * n / top, 1 if n else 0):.1f}%'></div>"
        for n, a, b in zip(counts, edges[:-1], edges[1:]))
    return ("<div style='display:flex;align-items:flex-end;gap:1px;height:70px;"
            f"border-bottom:1px solid {_MUTED}'>{bars}</div>"
            "<div style='display:flex;justify-content:space-between;font-size:12px'>"
            f"<span>{_num(edges[0])}</span><span style='opacity:.7'>{len(values):,} values"
            f"</span><span>{_num(edges[-1])}</span></div>")


def _top_values(prof: Any) -> str:
    """Horizontal bars of the most frequent values, labels and counts as text."""
    top = prof.top[:TOP_SHOWN]
    if not top:
        return "<div style='font-size:12px;opacity:.7'>no values</div>"
    most = max(int(t["count"]) for t in top) or 1
    rows = []
    for t in top:
        label = "(empty)" if t["value"] in (None, "") else str(t["value"])
        rows.append(
            "<div style='display:flex;align-items:center;gap:6px;font-size:12px;"
            "line-height:16px'>"
            f"<span title='{_esc(label)}' style='flex:0 0 40%;overflow:hidden;"
            f"text-overflow:ellipsis;white-space:nowrap'>{_esc(label)}</span>"
            f"<span style='flex:1;height:10px'><span style='display:block;height:100%;"
            f"width:{100 * int(t['count']) / most:.1f}%;background:{_BAR}'></span></span>"
            f"<span style='flex:0 0 auto;min-width:3em;text-align:right'>"
            f"{int(t['count']):,}</span></div>")
    rest = prof.distinct - len(top)
    if rest > 0:
        rows.append(f"<div style='font-size:12px;opacity:.7'>… and {rest:,} more values</div>")
    return "".join(rows)


def _num(x: float) -> str:
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) < 1e6 else f"{x:.3g}"


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)
