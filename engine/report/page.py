"""The HTML report: one self-contained page rendered from the JSON report dict, problems first:
the verdict and key counts, the problems ranked by rows affected (each with its evidence), the
charts, the column matching, then the passing fields and the dataset checks folded (<details>),
and the dictionary fields the data lacks in one line with their list folded.

Everything is inline (CSS, SVG charts); every value from the data or the dictionary is
escaped.  No script, no external reference, so the file opens anywhere and can be mailed.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .markdown import evidence

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.pass{color:#1a7f37}.fail{color:#c62828}.warn{color:#b26a00}
.absent{color:#777}.verdict{font-size:1.15rem;font-weight:600}
.counts td{font-size:1.1rem;font-weight:600;text-align:right}.counts th{text-align:right}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4rem .7rem;margin:.6rem 0}
.problem{border-left:4px solid #c62828;padding:.1rem .8rem;margin:.8rem 0}
.chart{margin:1rem 0}.chart svg{max-width:100%;height:auto}
code{background:#f4f4f4;padding:0 .2rem;border-radius:3px}
details{margin:.6rem 0}summary{cursor:pointer;font-weight:600}
.problem summary{font-weight:normal;color:#444}
"""
_EVIDENCE_TABLE = "style='width:auto'"


def render(report: dict[str, Any], figures: dict[str, str]) -> str:
    """The page; `figures` maps a chart title to inline SVG text ('field:<name>' for a
    field's distribution, shown with the other charts after the problems)."""
    s = report["summary"]
    title = f"Data check: {report['data'].get('file', 'dataset')}"
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{escape(title)}</h1>",
             f"<p class='verdict' id='verdict'>{escape(s['verdict'])}</p>",
             _counts(report), _notes(report), _problems(report), _charts(figures),
             _matching(report), _passing(report), _checks(report)]
    if report["warnings"]:
        parts.append("<h2>Warnings</h2><ul>" +
                     "".join(f"<li>{escape(w)}</li>" for w in report["warnings"]) + "</ul>")
    parts += [_absent(report), "</body></html>"]
    return "\n".join(p for p in parts if p)


def _counts(report: dict[str, Any]) -> str:
    s, d = report["summary"], report["dictionary"]
    completeness = s.get("completeness_percent")
    heads = ["rows", "columns", "dictionary fields", "in the data", "with problems",
             "violations", "cells filled"]
    cells = [f"{report['rows']:,}", f"{report['columns']:,}", f"{s['fields']:,}",
             f"{s['fields_in_data']:,}", f"{s['fields_with_problems']:,}",
             f"{s['violations']:,}", "—" if completeness is None else f"{completeness}%"]
    table = ("<table class='counts' id='counts'><tr>" +
             "".join(f"<th>{h}</th>" for h in heads) + "</tr><tr>" +
             "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr></table>")
    source = d.get("file") or "inferred from the data"
    line = f"<p>Dictionary: {escape(source)}. Rows are numbered {escape(report['row_numbering'])}."
    if d.get("missing_values_declared"):
        line += (f" Declared missing values: <code>{escape(d['missing_values_declared'])}"
                 "</code>.")
    return table + line + "</p>"


def _notes(report: dict[str, Any]) -> str:
    out = []
    absent = report.get("absent") or {}
    if absent.get("count"):
        out.append(f"{escape(absent['line'].rstrip('.'))} (listed at the end).")
    if report.get("scope"):
        out.append(escape(report["scope"]["message"]))
    for hint in (report.get("missing_value_hints") or [])[:3]:
        fields = hint["fields"]
        named = ", ".join(fields[:5]) + (f" and {len(fields) - 5} more" if len(fields) > 5
                                         else "")
        out.append(f"<code>{escape(hint['value'])}</code> looks like a missing-value marker "
                   f"({hint['rows']:,} rows in {len(fields)} field{'s' * (len(fields) > 1)}: "
                   f"{escape(named)}): declare it as a missing value to count it as missing.")
    return "".join(f"<p class='note'>{n}</p>" for n in out)


def _problems(report: dict[str, Any]) -> str:
    problems = report.get("problems") or []
    if not problems:
        return ("<h2 id='problems'>Problems</h2><p class='pass'>None: every matched field "
                "passes its checks.</p>")
    by_name = {f["name"]: f for f in report["fields"]}
    out = ["<h2 id='problems'>Problems, most rows affected first</h2>"]
    for i, p in enumerate(problems, 1):
        if p["scope"] == "dataset":
            out.append(f"<div class='problem' data-check='{escape(p['check'])}'><h3>{i}. "
                       f"<span class='fail'>✘ {escape(p['check'])}</span></h3><p>"
                       f"{escape(p['message'])}</p></div>")
            continue
        f = by_name[p["field"]]
        rows = p["rows_affected"]
        body = [f"<p>{escape(f['verdict'])}</p>"]
        body += [_violation(v) for v in sorted(f["violations"], key=lambda v: -v["count"])]
        body += [_missing(m) for m in f["missing"]["codes"]]
        body += [f"<p>Note: {escape(n)}</p>" for n in f["notes"]]
        column = (f" <small>(column <code>{escape(f['column'])}</code>)</small>"
                  if f["column"] and f["column"] != f["name"] else "")
        out.append(f"<div class='problem' data-field='{escape(f['name'])}'><h3>{i}. "
                   f"{escape(f['name'])}{column} — {rows:,} row{'s' * (rows != 1)} "
                   f"({p['percent']}%)</h3>{''.join(body)}</div>")
    return "".join(out)


def _violation(v: dict[str, Any]) -> str:
    top = v.get("top_values") or []
    values = ""
    if len(top) > 1 and any(t["count"] > 1 for t in top):
        values = ("<p>Values: " + ", ".join(f"<code>{escape(repr(t['value']))}</code> × "
                                            f"{t['count']:,}" for t in top) + "</p>")
    rows = "".join(f"<tr><td>{r}</td><td>{escape(repr(x))}</td></tr>"
                   for r, x in zip(v["rows"], v["values"]))
    return (f"<p><b>{escape(v['kind'])}</b>: {escape(v['message'])} ({v['percent']}% of rows)"
            f"</p>{values}<details><summary>First rows: {escape(evidence(v))}</summary>"
            f"<table {_EVIDENCE_TABLE}><tr><th>row</th><th>value</th></tr>{rows}</table>"
            "</details>")


def _missing(m: dict[str, Any]) -> str:
    shown = "(empty)" if m["value"] == "" else m["value"]
    name = f"{shown} = {m['label']}" if m["label"] else shown
    return f"<p>Missing {escape(name)}: {m['count']:,} rows ({m['percent']}%)</p>"


def _charts(figures: dict[str, str]) -> str:
    if not figures:
        return ""
    overview = [(k, v) for k, v in figures.items() if not k.startswith("field:")]
    fields = [(k[len("field:"):], v) for k, v in figures.items() if k.startswith("field:")]
    out = ["<h2 id='charts'>Charts</h2>"]
    out += [f"<div class='chart'><h3>{escape(k)}</h3>{v}</div>" for k, v in overview]
    out += [f"<div class='chart' data-field='{escape(k)}'>{v}</div>" for k, v in fields]
    return "".join(out)


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
    if report["unmatched_columns"]:
        out.append("<p>Columns without a field: " + ", ".join(
            f"<code>{escape(c)}</code>" for c in report["unmatched_columns"]) + "</p>")
    return "".join(out)


def _passing(report: dict[str, Any]) -> str:
    names = report.get("passing") or []
    if not names:
        return ""
    by_name = {f["name"]: f for f in report["fields"]}
    rows = "".join(
        f"<tr><td>{escape(f['name'])}</td><td>{escape(f['column'] or '—')}</td>"
        f"<td>{escape(f['type'])}</td><td class='{escape(f['status'])}'>{escape(f['status'])}"
        f"</td><td>{escape(f['verdict'])}</td></tr>" for f in map(by_name.get, names))
    return (f"<details id='passing'><summary>Passing fields ({len(names):,})</summary><table>"
            "<tr><th>field</th><th>column</th><th>type</th><th>status</th><th>verdict</th>"
            f"</tr>{rows}</table></details>")


def _checks(report: dict[str, Any]) -> str:
    checks = report["dataset_checks"]
    passed = sum(1 for c in checks if c["passed"])
    items = "".join(
        f"<li class='{'pass' if c['passed'] else 'fail'}'>{'✔' if c['passed'] else '✘'} "
        f"<b>{escape(c['kind'])}</b>: {escape(c['message'])}</li>" for c in checks)
    return (f"<details id='checks'><summary>Dataset checks ({passed} of {len(checks)} passed)"
            f"</summary><ul>{items}</ul></details>")


def _absent(report: dict[str, Any]) -> str:
    absent = report.get("absent") or {}
    if not absent.get("count"):
        return ""
    names = [f["name"] for f in report["fields"] if not f["columns"]]
    listed = ", ".join(f"<code>{escape(n)}</code>" for n in names)
    return (f"<h2>Not in this dataset</h2><p id='absent'>{escape(absent['line'])}</p>"
            f"<details><summary>The {len(names):,} fields</summary><p>{listed}</p></details>")
