"""The Check tab's report, problems first: a verdict and the key counts, then the problems
ranked by the rows they affect (each with its evidence), then (below the charts) the passing
fields folded away and the absent fields in one line.  Made from the JSON report
(engine.report.build_report) where the analysis ran (a worker)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROBLEMS_SHOWN = 12      # problems listed in full; the rest folded
EVIDENCE_SHOWN = 5       # rows quoted per problem
NAMES_FOLDED = 3000      # absent fields listed at most (the JSON report has them all)


@dataclass
class ReportParts:
    """The report as the UI places it: `head` above the charts, the rest below."""

    head: str            # verdict, counts, problems ranked (Markdown)
    passing: str         # the passing fields (Markdown), for a closed accordion
    passing_count: int
    absent: str          # absent fields and columns without a field (Markdown)

    def markdown(self) -> str:
        """The whole report in one Markdown text (the API's), in the same order."""
        passing = (f"<details><summary>{self.passing_count:,} passing fields</summary>\n\n"
                   f"{self.passing}\n\n</details>") if self.passing_count else ""
        return "\n\n".join(p for p in (self.head, passing, self.absent) if p)


def report_parts(report: dict[str, Any], tables: list[str] | None = None) -> ReportParts:
    """The report's parts; `tables`: the tables the dictionary describes, when several."""
    return ReportParts(_head(report, tables or []), *_passing(report), _absent(report))


def _head(report: dict[str, Any], tables: list[str]) -> str:
    s = report["summary"]
    problems = _problems(report)
    icon = "✗" if problems else "✓"
    lines = [f"### {icon} {_md(s['verdict'])}", "", _counts(report)]
    if len(tables) > 1:
        lines += ["", f"The dictionary describes **{len(tables)} tables** "
                      f"({', '.join(f'`{t}`' for t in tables[:8])}"
                      f"{', …' if len(tables) > 8 else ''}); each dataset checked is matched "
                      "against all their fields."]
    if not problems:
        return "\n".join(lines)
    lines += ["", f"#### Problems, most rows first ({len(problems)})", ""]
    lines += [f"{i}. {p}" for i, p in enumerate(problems[:PROBLEMS_SHOWN], 1)]
    rest = problems[PROBLEMS_SHOWN:]
    if rest:
        lines += ["", f"<details><summary>{len(rest)} more problems</summary>\n"]
        lines += [f"{i}. {p}" for i, p in enumerate(rest, PROBLEMS_SHOWN + 1)]
        lines += ["", "</details>"]
    return "\n".join(lines)


def _counts(report: dict[str, Any]) -> str:
    s, d = report["summary"], report.get("dictionary") or {}
    source = (f"dictionary `{_md(d['file'])}`" if d.get("file") else
              "a starter dictionary inferred from the data")
    parts = [f"**{s['rows']:,} rows × {s['columns']:,} columns**",
             f"{source}: {s['fields']:,} fields, {s['fields_in_data']:,} in the data",
             f"**{s['fields_with_problems']:,} with problems** "
             f"({s['violations']:,} violating values)" if s["fields_with_problems"]
             else "none with problems"]
    if s.get("fields_absent"):
        parts.append(f"{s['fields_absent']:,} absent")
    if s.get("columns_unmatched"):
        parts.append(f"{s['columns_unmatched']:,} columns without a field")
    if s.get("completeness_percent") is not None:
        parts.append(f"{s['completeness_percent']}% of cells filled")
    return " · ".join(parts)


def _problems(report: dict[str, Any]) -> list[str]:
    """Every problem as one Markdown list item, most rows affected first."""
    ranked: list[tuple[int, str]] = []
    for c in report.get("dataset_checks") or []:
        if not c.get("passed", True):
            ranked.append((int(c.get("count") or 0), f"**Dataset — {_md(c['kind'])}**: "
                                                     f"{_md(c['message'])}"))
    for f in report["fields"]:
        for v in f.get("violations") or []:
            where = f" (column `{_md(f['column'])}`)" if f.get("column") not in (
                None, f["name"]) else ""
            rows = f"{v['count']:,} row{'s' * (v['count'] != 1)}"
            ranked.append((int(v["count"]), f"**{_md(f['name'])}**{where} — {v['kind']}: "
                                            f"**{rows}** ({v['percent']}%). "
                                            f"{_md(v['message'])}.{_evidence(v)}"))
    ranked.sort(key=lambda p: -p[0])
    return [text for _, text in ranked]


def _evidence(v: dict[str, Any]) -> str:
    pairs = list(zip(v.get("rows") or [], v.get("values") or []))[:EVIDENCE_SHOWN]
    if not pairs:
        return ""
    shown = ", ".join(f"row {r}: `{_cell(x)}`" for r, x in pairs)
    return f" <br>First: {shown}{' …' if v['count'] > len(pairs) else ''}"


def _passing(report: dict[str, Any]) -> tuple[str, int]:
    rows = [f for f in report["fields"] if f.get("status") in ("pass", "warn")]
    if not rows:
        return "", 0
    lines = ["| field | column | verdict |", "|---|---|---|"]
    lines += [f"| {'⚠ ' if f['status'] == 'warn' else ''}{_md(f['name'])} | "
              f"{_md(f.get('column') or '')} | {_md(f['verdict'])} |" for f in rows]
    return "\n".join(lines), len(rows)


def _absent(report: dict[str, Any]) -> str:
    s = report["summary"]
    absent = [f["name"] for f in report["fields"] if f.get("status") == "absent"]
    out = []
    if absent:
        names = ", ".join(f"`{_md(n)}`" for n in absent[:NAMES_FOLDED])
        more = f", … ({len(absent) - NAMES_FOLDED:,} more in the JSON report)" if len(
            absent) > NAMES_FOLDED else ""
        out.append(f"**{len(absent):,} of {s['fields']:,} dictionary fields are not in this "
                   f"dataset.** <details><summary>Show them</summary>\n\n{names}{more}\n\n"
                   "</details>")
    extra = report.get("unmatched_columns") or []
    if extra:
        out.append(f"**{len(extra):,} column{'s' * (len(extra) > 1)} of the data "
                   f"{'have' if len(extra) > 1 else 'has'} no field:** "
                   + ", ".join(f"`{_md(c)}`" for c in extra[:200])
                   + (" …" if len(extra) > 200 else "")
                   + " (pair them in *Column matching* below).")
    return "\n\n".join(out)


def _md(text: Any) -> str:
    """Text safe inside Markdown (a table cell, a list item)."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
            .replace("<", "&lt;").replace(">", "&gt;"))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("`", "'").replace("\n", " ")
    return (text[:40] + "…") if len(text) > 40 else text or "(empty)"
