"""The Markdown report, rendered from the JSON report dict, problems first: the verdict and key
counts, the problems ranked by rows affected (each with its evidence), declared missing values,
column matching, the passing fields in a short table, the dataset checks, warnings, and last
the dictionary fields the data lacks (one line, then the list, cut after ABSENT_LISTED).

`folds=True` puts the passing fields and the absent list in HTML <details> blocks, which
GitHub and the app's Markdown view show folded."""

from __future__ import annotations

from typing import Any

ABSENT_LISTED = 200          # absent field names listed at most (the JSON report has all)


def report_markdown(report: dict[str, Any], *, folds: bool = False) -> str:
    """The report as Markdown (see the module docstring)."""
    by_name = {f["name"]: f for f in report["fields"]}
    out = [f"# Data check: {report['data'].get('file', 'dataset')}", "",
           f"**{report['summary']['verdict']}**", ""]
    out += key_counts(report) + [""]
    out += lead_notes(report)
    out += _problems(report, by_name)
    out += _missing_section(report, by_name)
    out += ["## Column matching", ""] + _matching(report) + [""]
    out += _passing(report, by_name, folds)
    out += ["## Dataset checks", ""]
    out += [f"- {'✅' if c['passed'] else '❌'} **{c['kind']}**: {md(c['message'])}"
            for c in report["dataset_checks"]] + [""]
    if report["warnings"]:
        out += ["## Warnings", ""] + [f"- {md(w)}" for w in report["warnings"]] + [""]
    out += _absent(report, folds)
    return "\n".join(out).rstrip("\n") + "\n"


def md(text: Any) -> str:
    """Text safe in a Markdown table cell or list item."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def key_counts(report: dict[str, Any]) -> list[str]:
    """The key counts as a one-row table, then the dictionary and row-numbering line."""
    s, d = report["summary"], report["dictionary"]
    completeness = s.get("completeness_percent")
    cells = [f"{report['rows']:,}", f"{report['columns']:,}", f"{s['fields']:,}",
             f"{s['fields_in_data']:,}", f"{s['fields_with_problems']:,}",
             f"{s['violations']:,}", "—" if completeness is None else f"{completeness}%"]
    lines = ["| rows | columns | dictionary fields | in the data | with problems | "
             "violations | cells filled |", "|---:|---:|---:|---:|---:|---:|---:|",
             "| " + " | ".join(cells) + " |", ""]
    source = d.get("file") or "(inferred from the data)"
    lines.append(f"Dictionary: {md(source)}. Rows are numbered {report['row_numbering']}.")
    declared = d.get("missing_values_declared")
    if declared:
        lines.append(f"Declared missing values: `{md(declared)}`.")
    return lines


def lead_notes(report: dict[str, Any]) -> list[str]:
    """The lines under the counts: what the dictionary covers, markers to declare."""
    out = []
    absent = report.get("absent") or {}
    if absent.get("count"):
        out.append(f"{absent['line'].rstrip('.')} (listed at the end).")
    if report.get("scope"):
        out.append(report["scope"]["message"])
    for hint in (report.get("missing_value_hints") or [])[:3]:
        fields = hint["fields"]
        named = ", ".join(fields[:5]) + (f" and {len(fields) - 5} more" if len(fields) > 5
                                         else "")
        out.append(f"`{md(hint['value'])}` looks like a missing-value marker "
                   f"({hint['rows']:,} rows in {len(fields)} field"
                   f"{'s' * (len(fields) > 1)}: {md(named)}): declare it as a missing value "
                   f"(command line: `--missing-values {md(hint['value'])}`) to count it as "
                   "missing.")
    return [line for note in out for line in (note, "")]


def _problems(report: dict[str, Any], by_name: dict[str, dict]) -> list[str]:
    problems = report.get("problems") or []
    if not problems:
        return ["## Problems", "", "None: every matched field passes its checks.", ""]
    fields = sum(1 for p in problems if p["scope"] == "field")
    out = [f"## Problems ({fields} field{'s' * (fields != 1)}"
           + (f", {len(problems) - fields} dataset check{'s' * (len(problems) - fields > 1)}"
              if len(problems) > fields else "") + ", most rows affected first)", ""]
    for i, p in enumerate(problems, 1):
        if p["scope"] == "dataset":
            out += [f"### {i}. ❌ **{p['check']}**: {md(p['message'])}", ""]
            continue
        f = by_name[p["field"]]
        rows = p["rows_affected"]
        out += [f"### {i}. {md(f['name'])} — {rows:,} row{'s' * (rows != 1)} "
                f"({p['percent']}%)", ""]
        column = (f"Column `{md(f['column'])}`: " if f["column"] and f["column"] != f["name"]
                  else "")
        out += [f"{column}{md(f['verdict'])}", ""] + violation_lines(f) + [""]
    return out


def violation_lines(f: dict[str, Any]) -> list[str]:
    """A field's violations with their evidence, then its missing codes and notes."""
    lines = []
    for v in sorted(f["violations"], key=lambda v: -v["count"]):
        top = v.get("top_values") or []
        repeated = len(top) > 1 and any(t["count"] > 1 for t in top)
        values = ("Values: " + ", ".join(f"{t['value']!r} × {t['count']:,}" for t in top) +
                  ". ") if repeated else ""
        lines.append(f"- **{v['kind']}** — {md(v['message'])}; {v['percent']}% of rows. "
                     f"{md(values)}First: {md(evidence(v))}")
    lines += [f"- missing {md(_code_name(m))}: {m['count']:,} rows ({m['percent']}%)"
              for m in f["missing"]["codes"]]
    lines += [f"- note: {md(n)}" for n in f["notes"]]
    return lines


def evidence(v: dict[str, Any]) -> str:
    """The first rows of a violation and their values ('row 9: '3', row 23: '7'', or 'rows
    8, 13, 15 (all 'NA')' when they hold one value)."""
    if len(v["values"]) > 1 and len(set(map(repr, v["values"]))) == 1:
        return (f"rows {', '.join(map(str, v['rows']))}"
                f"{' …' if v['count'] > len(v['rows']) else ''} (all {v['values'][0]!r})")
    return ", ".join(f"row {r}: {x!r}" for r, x in zip(v["rows"], v["values"]))


def _code_name(m: dict[str, Any]) -> str:
    shown = "(empty)" if m["value"] == "" else m["value"]
    return f"{shown} = {m['label']}" if m["label"] else shown


def _missing_section(report: dict[str, Any], by_name: dict[str, dict]) -> list[str]:
    """Missing-value codes counted in the passing fields (the failing ones list theirs)."""
    rows = [(name, m) for name in report.get("passing") or []
            for m in by_name[name]["missing"]["codes"] if m["value"] != "" or m["label"]]
    if not rows:
        return []
    out = ["## Missing values in the passing fields", "", "| field | code | rows | % |",
           "|---|---|---:|---:|"]
    out += [f"| {md(name)} | {md(_code_name(m))} | {m['count']:,} | {m['percent']} |"
            for name, m in rows]
    return out + [""]


def _matching(report: dict[str, Any]) -> list[str]:
    pairs = report["matching"]["pairs"]
    loose = [p for p in pairs if p["method"] != "exact"]
    lines = [f"{len(pairs) - len(loose)} columns match a field exactly."]
    if loose:
        lines += ["", "| column | field | how | confidence |", "|---|---|---|---|"]
        lines += [f"| {md(p['column'])} | {md(p['field'])} | {p['method']} | "
                  f"{p['confidence']:.2f} |" for p in loose]
    if report["unmatched_columns"]:
        lines += ["", "Columns without a field: " +
                  ", ".join(f"`{c}`" for c in report["unmatched_columns"])]
    return lines


def _passing(report: dict[str, Any], by_name: dict[str, dict], folds: bool) -> list[str]:
    names = report.get("passing") or []
    if not names:
        return []
    title = f"Passing fields ({len(names):,})"
    table = ["| field | column | status | verdict |", "|---|---|---|---|"]
    table += [f"| {md(n)} | {md(by_name[n]['column'] or '—')} | {by_name[n]['status']} | "
              f"{md(by_name[n]['verdict'])} |" for n in names]
    if folds:
        return ["<details><summary>" + title + "</summary>", ""] + table + ["", "</details>",
                                                                         ""]
    return [f"## {title}", ""] + table + [""]


def _absent(report: dict[str, Any], folds: bool) -> list[str]:
    absent = report.get("absent") or {}
    names = [f["name"] for f in report["fields"] if not f["columns"]]
    if not absent.get("count"):
        return []
    listed = ", ".join(f"`{md(n)}`" for n in names[:ABSENT_LISTED])
    if len(names) > ABSENT_LISTED:
        listed += f" … and {len(names) - ABSENT_LISTED:,} more (the JSON report lists them all)"
    if folds:
        return [f"<details><summary>{absent['line']}</summary>", "", listed, "",
                "</details>", ""]
    return ["## Not in this dataset", "", absent["line"], "", listed, ""]
