"""Cross-field checks: a value present where its condition is false, or missing where true.

Conditions come from REDCap branching logic (`Field.extras["branchingLogic"]`) or FHIR
`enableWhen` (`extras["enableWhen"]`, `extras["enableBehavior"]`).  An expression that cannot
be parsed, or that names a field the data lacks, becomes a note on the field, never a silent
skip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pyarrow as pa

from .. import logic
from ..model import Field
from .result import EVIDENCE_ROWS, Violation
from .rows import hits


@dataclass
class Condition:
    """A field's parsed condition, or why there is none."""

    source: str                   # the expression as the dictionary wrote it
    tree: Any = None
    error: str | None = None


def field_condition(field: Field) -> Condition | None:
    """The condition under which `field` is asked, parsed; None when it has none."""
    text = field.extras.get("branchingLogic")
    if isinstance(text, str) and text.strip():
        try:
            return Condition(text.strip(), logic.parse_redcap(text))
        except logic.LogicSyntaxError as exc:
            return Condition(text.strip(), error=f"branching logic {_short(text)!r} could not "
                                                 f"be parsed: {exc}")
    when = field.extras.get("enableWhen")
    if when:
        try:
            tree = logic.parse_enable_when(when, field.extras.get("enableBehavior"))
            return Condition(tree.text(), tree)
        except logic.LogicSyntaxError as exc:
            return Condition(str(when), error=f"enableWhen could not be read: {exc}")
    return None


def _short(text: str, chars: int = 80) -> str:
    """An expression as a message quotes it: stripped, and cut if long."""
    text = text.strip()
    return text if len(text) <= chars else text[:chars] + "…"


def check_condition(field: Field, cond: Condition, lookup: Callable[[logic.Ref], pa.Array],
                    present: np.ndarray, shown_values: pa.Array, n_bins: int
                    ) -> tuple[list[Violation], str | None]:
    """Logic violations of one field, or a note saying why the condition was not checked."""
    n = len(present)
    try:
        shown = logic.evaluate(cond.tree, lookup, n)
    except logic.LogicUnavailable as exc:
        return [], f"condition {cond.source!r} not checked: {exc} is not in the data"
    except logic.LogicSyntaxError as exc:
        return [], f"condition {cond.source!r} not checked: {exc}"
    out = []
    hidden = present & ~shown
    if hidden.any():
        out.append(_violation(hidden, shown_values, n_bins, "present_when_hidden", cond,
                              f"present although the condition {cond.source} is false"))
    if field.constraints.get("required"):
        lacking = ~present & shown
        if lacking.any():
            out.append(_violation(lacking, shown_values, n_bins, "required_when_shown", cond,
                                  f"empty although required when {cond.source} is true"))
    return out, None


def _violation(mask: np.ndarray, values: pa.Array, n_bins: int, rule: str, cond: Condition,
               what: str) -> Violation:
    hit = np.flatnonzero(mask)
    count = len(hit)
    found, bins = hits(hit, len(mask), n_bins)
    shown = values.take(pa.array(found[:EVIDENCE_ROWS])).to_pylist()
    msg = f"{count:,} value{'s' * (count > 1)} {what}"
    return Violation("logic", count, found, shown, msg, None, bins,
                     {"rule": rule, "condition": cond.source})
