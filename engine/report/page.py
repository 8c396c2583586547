"""The HTML report: one self-contained page rendered from the JSON report dict.

Everything is inline (CSS, SVG charts); every value from the data or the dictionary is
escaped.  No script, no external reference, so the file opens anywhere and can be mailed.
"""

from __future__ import annotations

from html import escape
from typing import Any

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.pass{color:#1a7f37}.fail{color:#c62828}.warn{color:#b26a00}
.absent{color:#777}.verdict{font-size:1.15rem;font-weight:600}
.chart{margin:1rem 0}.chart svg{max-width:100%;height:auto}
code{background:#f4f4f4;padding:0 .2rem;border-radius:3px}
details{margin:.4rem 0}summary{cursor:pointer}
"""


def render(report: dict[str, Any], figures: dict[str, str]) -> str:
    """The page; `figures` maps a chart title to inline SVG text."""
    s = report["summary"]
    title = f"Data check: {report['data'].get('file', 'dataset')}"
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{escape(title)}</h1>",
             f"<p class='verdict'>{escape(s['verdict'])}</p>",
             _overview(report), _checks(report)]
    charts = [(k, v) for k, v in figures.items() if not k.startswith("field:")]
    if charts:
        parts.append("<h2>Charts</h2>")
        parts += [f"<div class='chart'><h3>{escape(k)}</h3>{v}</div>" for k, v in charts]
    parts += [_matching(report), _fields(report), _details(report, figures)]
    if report["warnings"]:
        parts.append("<h2>Warnings</h2><ul>" +
                     "".join(f"<li>{escape(w)}</li>" for w in report["warnings"]) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _overview(report: dict[str, Any]) -> str:
    s, d = report["summary"], report["dictionary"]
    rows = [("Rows", f"{report['rows']:,}"), ("Columns", f"{report['columns']:,}"),
            ("Dictionary", d.get("file") or "inferred from the data"),
            ("Fields", f"{s['fields']} ({s['fields_in_data']} in the data, "
                       f"{s['fields_with_problems']} with problems)"),
            ("Violations", f"{s['violations']:,}"),
            ("Completeness", f"{s['completeness_percent']}% of cells hold a value"),
            ("Row numbers", report["row_numbering"])]
    return "<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>"
                               for k, v in rows) + "</table>"


def _checks(report: dict[str, Any]) -> str:
    items = "".join(
        f"<li class='{'pass' if c['passed'] else 'fail'}'>{'✔' if c['passed'] else '✘'} "
        f"<b>{escape(c['kind'])}</b>: {escape(c['message'])}</li>"
        for c in report["dataset_checks"])
    return f"<h2>Dataset checks</h2><ul>{items}</ul>"


def _matching(report: dict[str, Any]) -> str:
    pairs = report["matching"]["pairs"]
    rows = "".join(f"<tr><td>{escape(p['column'])}</td><td>{escape(p['field'])}</td>"
                   f"<td>{escape(p['method'])}</td><td>{p['confidence']:.2f}</td></tr>"
                   for p in pairs if p["method"] != "exact")
    exact = sum(1 for p in pairs if p["method"] == "exact")
    out = [f"<h2>Column matching</h2><p>{exact} columns match a field exactly.</p>"]
    if rows:
        out.append("<table><tr><th>column</th><th>field</th><th>how</th><th>confidence</th>"
                   f"</tr>{rows}</table>")
    for key, label in (("unmatched_columns", "Columns without a field"),
                       ("unmatched_fields", "Fields without a column")):
        if report[key]:
            out.append(f"<p>{label}: " + ", ".join(f"<code>{escape(c)}</code>"
                                                  for c in report[key]) + "</p>")
    return "".join(out)


def _fields(report: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(f['name'])}</td><td>{escape(f['column'] or '—')}</td>"
        f"<td>{escape(f['type'])}</td><td class='{escape(f['status'])}'>{escape(f['status'])}"
        f"</td><td>{escape(f['verdict'])}</td></tr>" for f in report["fields"])
    return ("<h2>Fields</h2><table><tr><th>field</th><th>column</th><th>type</th>"
            f"<th>status</th><th>verdict</th></tr>{rows}</table>")


def _details(report: dict[str, Any], figures: dict[str, str]) -> str:
    out = []
    for f in report["fields"]:
        chart = figures.get(f"field:{f['name']}")
        if not (f["violations"] or f["missing"]["codes"] or f["notes"] or chart):
            continue
        body = [_violation(v) for v in f["violations"]]
        body += [_missing(m) for m in f["missing"]["codes"]]
        body += [f"<p>Note: {escape(n)}</p>" for n in f["notes"]]
        if chart:
            body.append(f"<div class='chart'>{chart}</div>")
        opened = " open" if f["violations"] else ""
        out.append(f"<details{opened}><summary><b>{escape(f['name'])}</b> — "
                   f"{escape(f['verdict'])}</summary>{''.join(body)}</details>")
    return "<h2>Field details</h2>" + "".join(out) if out else ""


def _violation(v: dict[str, Any]) -> str:
    evidence = "".join(f"<tr><td>{r}</td><td>{escape(repr(x))}</td></tr>"
                       for r, x in zip(v["rows"], v["values"]))
    return (f"<p><b>{escape(v['kind'])}</b>: {escape(v['message'])} ({v['percent']}% of rows)"
            f"</p><table style='width:auto'><tr><th>row</th><th>value</th></tr>{evidence}"
            "</table>")


def _missing(m: dict[str, Any]) -> str:
    shown = "(empty)" if m["value"] == "" else m["value"]
    name = f"{shown} = {m['label']}" if m["label"] else shown
    return f"<p>Missing {escape(name)}: {m['count']:,} rows ({m['percent']}%)</p>"
