"""A field's code list and missing-value codes, and which cells hold them."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model import Category, Field
from .labels import labels_only
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
