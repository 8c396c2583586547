"""A field's code list and missing-value codes, and which cells hold them."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model import Category, Field
from ..values.conform import bound_number
from .rows import to_numpy


def code_list(field: Field) -> list[Category]:
    """The code list: categories, else constraints.enum; none when the categories only label
    a few values of a quantity (`labels_only`)."""
    if field.categories:
        return [] if labels_only(field) else field.categories
    enum = field.constraints.get("enum")
    if isinstance(enum, list):
        return [Category(_as_code(v)) for v in enum]
    return []


# a label that bounds a quantity: `95 or older`, `Eight or more`, `Less than 1 year`, `95+`
_BOUND = re.compile(
    r"\b(?:or|and|o|y|ou|et|e|oder|und)\s+(?:more|older|over|above|higher|greater|longer|"
    r"later|earlier|less|fewer|younger|under|below|lower|shorter|más|mas|menos|mayor|menor|"
    r"plus|moins|mais|mehr|weniger|älter|aelter|jünger)\b"
    r"|\b(?:less|fewer|more|greater)\s+than\b|\b(?:at\s+(?:least|most)|up\s+to)\b"
    r"|\b(?:menos|más|mas|moins|plus|mais)\s+(?:de|que|d')|\b(?:weniger|mehr)\s+als\b"
    r"|\b(?:au\s+moins|pelo\s+menos|al\s+menos|mindestens|höchstens|bis\s+zu)\b"
    r"|\d\s*\+|[<>≤≥]", re.IGNORECASE)
# a label that names the zero of a count: `0 = None`, `0 = Nunca`
_ZERO = re.compile(r"^\s*(?:none|zero|never|nenhum|nenhuma|nunca|ninguno|ninguna|nada|aucun|"
                   r"aucune|jamais|keine?|nie|niemals|nessuno|mai)\s*$", re.IGNORECASE)


def labels_only(field: Field) -> bool:
    """Whether a numeric field's categories label a few values of a quantity rather than list
    the values it may take: the field states a range the codes label under half of, or every
    label (missing codes aside) bounds the quantity or names its zero (`95 = 95 or older`,
    `0 = None`, `8 = Eight or more`, `58 = 58 inches or less`) and the labelled codes are one,
    or leave most whole numbers between them unlabelled (bands `1 = Less than $20,000`,
    `2 = $20,000 to $39,999` … run on: a closed list)."""
    if field.type not in ("integer", "number"):
        return False
    missing = {m.value for m in field.missing_values}
    cats = [c for c in field.categories if c.value not in missing]
    try:
        values = sorted(float(c.value) for c in cats)
    except ValueError:
        return False
    if not cats:
        return False
    if _few_in_range(field, values):
        return True
    if not all(_bounds_or_zero(c, float(c.value)) for c in cats):
        return False
    if len(values) == 1:
        return True
    if not all(v.is_integer() for v in values):
        return False
    return len(values) * 2 < values[-1] - values[0] + 1


def _few_in_range(field: Field, values: list[float]) -> bool:
    """A stated range of whole numbers that the codes label under half of (`0:94` and
    `95 = 95+`, CSPro's value sets; `0-10` with `0 = None`, `10 = All`): its values are
    valid, the codes label a few of them or one beside them."""
    c = field.constraints
    try:
        lo, hi = float(c["minimum"]), float(c["maximum"])
    except (KeyError, TypeError, ValueError):
        return False
    return lo.is_integer() and hi.is_integer() and len(values) * 2 < hi - lo + 1


BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def checked_bounds(field: Field) -> dict:
    """The field's bounds as the check applies them: where its categories are labels
    (`labels_only`), a stated range of whole numbers widened by the labelled codes that continue
    it (`0:94` with `95 = 95+` is 0 to 95, as CSPro means it)."""
    c = field.constraints
    out = {k: c[k] for k in BOUNDS if c.get(k) is not None}
    if "minimum" not in out and "maximum" not in out or not labels_only(field):
        return out
    missing = {m.value for m in field.missing_values}
    codes = {_number(x.value) for x in field.categories if x.value not in missing}
    for key, step in (("minimum", -1), ("maximum", 1)):
        edge = bound_number(out.get(key), field.type)
        if edge is None or not edge.is_integer():
            continue
        widened = edge
        while widened + step in codes:
            widened += step
        if widened != edge:
            out[key] = int(widened)
    return out


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _bounds_or_zero(c: Category, value: float) -> bool:
    label = c.label or ""
    return bool(_BOUND.search(label)) or (value == 0 and bool(_ZERO.match(label)))


def _as_code(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def missing_set(field: Field, schema_missing: list[str], codes: list[Category]) -> list[str]:
    """Missing-value codes for this field; a code that is also a category stays a category."""
    real = {c.value for c in codes}
    out = [m.value for m in field.missing_values] + list(schema_missing)
    return list(dict.fromkeys(v for v in out if v not in real))


def missing_flags(values: pa.Array, codes: list[str]) -> np.ndarray:
    """True where a value is null or one of `codes`."""
    flags = to_numpy(pc.is_null(values)) if values.null_count else np.zeros(len(values), bool)
    if len(codes) == 1:                        # one comparison is several times cheaper
        flags |= to_numpy(pc.fill_null(pc.equal(values, codes[0]), False))
    elif codes:
        flags |= to_numpy(pc.fill_null(pc.is_in(values, pa.array(codes, pa.string())), False))
    return flags


def empty_flags(values: pa.Array, schema_missing: list[str], codes: list[Category]) -> np.ndarray:
    """Cells with no answer at all: null or a schema-level missing value ("", NA).

    A field-level code such as '9 = Refused' is an answer, so it does not break `required`.
    """
    real = {c.value for c in codes}
    return missing_flags(values, [v for v in schema_missing if v not in real] or [""])
