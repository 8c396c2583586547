"""dbt property files (`schema.yml`): the columns of models, sources, seeds and snapshots.

    models:
      - name: customers
        columns:
          - name: status
            description: Order status
            data_type: varchar
            tests: [not_null, {accepted_values: {values: [placed, shipped]}}]

Tests say what the data may hold: `accepted_values` are the codes, `not_null` makes the column
required, `unique` unique, `accepted_range` / `expect_column_values_to_be_between` (any
package prefix) bound it.  `data_tests` (dbt 1.8) and column `constraints` are read the same.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ..tabular.cells import type_word
from ._common import code_text, coded_type, load_yaml, number, plain

_GROUPS = ("models", "sources", "seeds", "snapshots")
_SNIFF = re.compile(r"^(?:models|sources|seeds|snapshots)\s*:", re.M)
_DOC_BLOCK = re.compile(r"\{\{\s*doc\(\s*['\"]([^'\"]+)['\"]\s*\)\s*\}\}")
_RANGE_TESTS = ("accepted_range", "expect_column_values_to_be_between")


def sniff_dbt(ctx: ParseContext) -> bool:
    """YAML with a top-level `models:`/`sources:` ... and `columns:` below."""
    return _SNIFF.search(ctx.head) is not None and "columns" in ctx.head


def parse_dbt(ctx: ParseContext) -> Iterator[Field]:
    """Every column of every model (source table, seed, snapshot), named by its model."""
    doc = load_yaml(ctx.text, ctx.filename)
    if not isinstance(doc, dict):
        raise NotThisFormat("no dbt property file")
    models = list(_models(doc))
    several = len(models) > 1
    found = False
    for model, columns in models:
        for col in columns:
            if isinstance(col, dict) and col.get("name"):
                f = _column(col)
                if several and model:
                    f.extras["resource"] = model
                found = True
                yield f
    if not found:
        raise NotThisFormat("no dbt columns")


def _models(doc: dict) -> Iterator[tuple[str | None, list]]:
    """(model name, columns) of models, seeds, snapshots, and tables of sources."""
    for group in _GROUPS:
        for item in doc.get(group) or []:
            if not isinstance(item, dict):
                continue
            if group == "sources":
                for table in item.get("tables") or []:
                    if isinstance(table, dict) and isinstance(table.get("columns"), list):
                        yield f"{item.get('name')}.{table.get('name')}", table["columns"]
            elif isinstance(item.get("columns"), list):
                yield item.get("name"), item["columns"]


def _column(col: dict) -> Field:
    """One column: description, data type, tests and constraints."""
    f = Field(name=str(col["name"]), description=plain(_str(col.get("description"))))
    block = _DOC_BLOCK.fullmatch(f.description or "")
    if block:               # `{{ doc("name") }}`: the text is in a Markdown docs block
        f.description = None
        f.extras["docBlock"] = block.group(1)
    source = _str(col.get("data_type"))
    if source:
        f.extras["sourceType"] = source
        f.type = type_word(source) or "any"
    tests = list(_tests(col))
    for name, args in tests:
        _apply_test(f, name, args)
    for c in col.get("constraints") or []:
        if isinstance(c, dict) and c.get("type") in ("not_null", "unique"):
            f.constraints["required" if c["type"] == "not_null" else "unique"] = True
    if f.categories and f.type == "any":
        f.type = coded_type(f.categories, [], "string")
    meta = col.get("meta") if isinstance(col.get("meta"), dict) else {}
    for key in ("unit", "units"):
        if isinstance(meta.get(key), str):
            f.unit = meta[key]
    return f


def _tests(col: dict) -> Iterator[tuple[str, dict]]:
    """(test name without package prefix, its arguments) of `tests` and `data_tests`."""
    for key in ("tests", "data_tests"):
        for t in col.get(key) or []:
            if isinstance(t, str):
                yield t.rsplit(".", 1)[-1], {}
            elif isinstance(t, dict):
                for name, args in t.items():
                    args = args if isinstance(args, dict) else {}
                    if isinstance(args.get("arguments"), dict):   # dbt 1.10 nests them
                        args = {**args, **args["arguments"]}
                    yield str(name).rsplit(".", 1)[-1], args


def _apply_test(f: Field, name: str, args: dict) -> None:
    """What one test says about the column."""
    if name == "not_null":
        f.constraints["required"] = True
    elif name == "unique":
        f.constraints["unique"] = True
    elif name == "accepted_values" and isinstance(args.get("values"), list):
        f.categories = [Category(code_text(_value(v))) for v in args["values"] if v is not None]
    elif name in _RANGE_TESTS:
        exclusive = args.get("inclusive") is False or args.get("strictly") is True
        for key, bound in (("min_value", "Minimum"), ("max_value", "Maximum")):
            value = number(str(args.get(key))) if args.get(key) is not None else None
            if value is not None:
                f.constraints["exclusive" + bound if exclusive else bound.lower()] = value


def _value(v: Any) -> str:
    """A YAML value as the data writes it (`true`, `1`, `a`)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _str(v: Any) -> str | None:
    """A non-blank string value, else None."""
    return v if isinstance(v, str) and v.strip() else None
