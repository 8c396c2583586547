"""The dictionary as SQL: `CREATE TABLE` with types and CHECK constraints (DuckDB, PostgreSQL,
SQLite), built as sqlglot expressions so that every name and text is quoted by the dialect.

Loading: empty cells (and the schema's missing values) go in as NULL; a field's own
missing-value codes go in as they are and every CHECK lets them through, as Codebook counts
them missing, except a code the column's type cannot hold (text in a numeric column), which
the header asks to load as NULL.  The column types check the types (SQLite: a STRICT table,
dates checked by its date functions); CHECKs state code lists (text codes also with spaces
trimmed), ranges, lengths and patterns (not in SQLite, which has no regular expressions
unless the application adds one); NOT NULL states required, UNIQUE unique.  A missing-value
code repeated in a UNIQUE column is a duplicate for the database (Codebook leaves missing
values out of the comparison): PostgreSQL and SQLite get a partial unique index instead.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from sqlglot import exp

from ...model import Schema
from .rules import Rule, column_rules, number

DIALECTS = ("duckdb", "postgres", "sqlite")
_TYPES = {
    "duckdb": {"integer": "BIGINT", "number": "DOUBLE", "year": "INTEGER", "boolean": "BOOLEAN",
               "date": "DATE", "datetime": "TIMESTAMP", "time": "TIME"},
    "postgres": {"integer": "BIGINT", "number": "DOUBLE PRECISION", "year": "INTEGER",
                 "boolean": "BOOLEAN", "date": "DATE", "datetime": "TIMESTAMP", "time": "TIME"},
    "sqlite": {"integer": "INTEGER", "number": "REAL", "year": "INTEGER"},
}
_SQLITE_TYPE_FUNCS = {"date": "date", "datetime": "datetime", "time": "time"}
_OPS: dict[str, Callable[..., exp.Expression]] = {
    "minimum": exp.GTE, "maximum": exp.LTE, "exclusiveMinimum": exp.GT,
    "exclusiveMaximum": exp.LT}


def sql_ddl(schema: Schema, dialect: str = "duckdb", *, table: str = "data") -> str:
    """The CREATE TABLE statement (and comments, indexes) for `dialect`."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}: one of {', '.join(DIALECTS)}")
    rules = column_rules(schema)
    name = exp.to_identifier(table, quoted=True)
    columns = [_column(r, dialect) for r in rules]
    create = exp.Create(this=exp.Schema(this=exp.Table(this=name), expressions=columns),
                        kind="TABLE")
    text = create.sql(dialect=dialect, pretty=True)
    if dialect == "sqlite":
        text += " STRICT"
    out = [_header(rules, dialect), text + ";"]
    out += [s + ";" for s in _indexes(rules, name, dialect)]
    out += [s + ";" for s in _comments(rules, name, dialect)]
    return "\n".join(out) + "\n"


def _header(rules: list[Rule], dialect: str) -> str:
    lines = [f"-- Written by Codebook from a data dictionary ({dialect}).",
             "-- Load empty cells as NULL; the columns below hold codes their type cannot "
             "hold: load these as NULL too."]
    for r in rules:
        odd = [m.value for m in r.missing if not _fits(m.value, r, dialect)]
        if odd:   # JSON text: no newline can end the comment early
            lines.append(f"--   {_json(r.name)}: {', '.join(_json(v) for v in odd)}")
    empty = sorted({v for r in rules for v in r.schema_missing if v != ""})
    if empty:
        lines.append("-- Also load as NULL: " + ", ".join(_json(v) for v in empty))
    return "\n".join(lines)


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)


def _col(r: Rule) -> exp.Column:
    return exp.column(exp.to_identifier(r.name, quoted=True))


def _column(r: Rule, dialect: str) -> exp.ColumnDef:
    """One column: its type, NOT NULL, UNIQUE and its CHECK."""
    constraints: list[exp.ColumnConstraint] = []
    if r.required:
        constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
    if r.unique and (dialect == "duckdb" or not r.missing):
        constraints.append(exp.ColumnConstraint(kind=exp.UniqueColumnConstraint()))
    check = _check(r, dialect)
    if check is not None:
        constraints.append(exp.ColumnConstraint(kind=exp.CheckColumnConstraint(this=check)))
    return exp.ColumnDef(this=exp.to_identifier(r.name, quoted=True),
                         kind=exp.DataType.build(_type(r, dialect), dialect=dialect),
                         constraints=constraints)


def _type(r: Rule, dialect: str) -> str:
    if r.type in ("date", "datetime") and r.date_format is not None:
        return "TEXT"                        # a format of its own: not the SQL date syntax
    if r.type in ("date", "datetime") and r.format == "any":
        return "TEXT"
    return _TYPES[dialect].get(r.type, "TEXT")


def _fits(code: str, r: Rule, dialect: str) -> bool:
    """Whether a missing-value code can be stored in the column as it is."""
    sql_type = _type(r, dialect)
    if sql_type in ("BIGINT", "INTEGER"):
        x = number(code)
        return isinstance(x, int)
    if sql_type in ("DOUBLE", "DOUBLE PRECISION", "REAL"):
        return number(code) is not None
    return sql_type == "TEXT"


def _check(r: Rule, dialect: str) -> exp.Expression | None:
    """The column's CHECK: missing codes pass, then every condition on the values."""
    col = _col(r)
    parts = _type_checks(r, col, dialect) + _value_checks(r, col, dialect)
    if not parts:
        return None
    cond = exp.and_(*parts) if len(parts) > 1 else parts[0]
    codes = [m.value for m in r.missing if _fits(m.value, r, dialect)]
    if codes:
        cond = exp.or_(exp.In(this=col.copy(), expressions=[_literal(v, r, dialect)
                                                            for v in codes]),
                       exp.paren(cond))
    return cond


def _type_checks(r: Rule, col: exp.Column, dialect: str) -> list[exp.Expression]:
    """What the column type cannot say: SQLite's dates and booleans, regex-only types."""
    sql_type = _type(r, dialect)
    if dialect == "sqlite" and r.type in _SQLITE_TYPE_FUNCS and sql_type == "TEXT" and \
            r.date_format is None and r.format != "any":
        # a modifier makes SQLite normalise the date: 2021-02-30 becomes 2021-03-02
        args = [col.copy()] + ([exp.Literal.string("+0 days")] if r.type != "time" else [])
        func = exp.Anonymous(this=_SQLITE_TYPE_FUNCS[r.type], expressions=args)
        if r.type == "date":                  # a valid date comes back as written
            return [exp.Is(this=func, expression=col.copy())]
        if r.type == "datetime":              # ... and a date-time as its first 19 characters
            head = exp.Anonymous(this="replace", expressions=[
                exp.Substring(this=col.copy(), start=exp.Literal.number(1),
                              length=exp.Literal.number(19)),
                exp.Literal.string("T"), exp.Literal.string(" ")])
            return [exp.Is(this=func, expression=head)]
        # time(): the first 8 characters (seconds required, as Codebook's time type does)
        return [exp.Is(this=func, expression=exp.Substring(
            this=col.copy(), start=exp.Literal.number(1), length=exp.Literal.number(8)))]
    if r.type == "boolean" and sql_type == "TEXT":
        return [exp.In(this=col.copy(), expressions=[exp.Literal.string(v) for v in
                                                     r.true_values + r.false_values])]
    if r.type == "year":
        return [exp.Between(this=col.copy(), low=exp.Literal.number(-9999),
                            high=exp.Literal.number(9999))]
    pattern = r.type_pattern
    if sql_type == "TEXT" and pattern is not None and r.checked:
        regex = _regex(col, pattern, dialect, anchored=True)
        return [regex] if regex is not None else []
    return []


def _value_checks(r: Rule, col: exp.Column, dialect: str) -> list[exp.Expression]:
    out: list[exp.Expression] = []
    for key, value in r.bounds.items():
        lit = _bound(value, r, dialect)
        if lit is not None:
            out.append(_OPS[key](this=col.copy(), expression=lit))
    if r.codes:
        nums = r.numeric_codes()
        if nums is not None:
            out.append(exp.In(this=col.copy(), expressions=[exp.Literal.number(v) for v in nums]))
        elif _type(r, dialect) == "TEXT":
            codes = [exp.Literal.string(c.value) for c in r.codes]
            out.append(exp.or_(exp.In(this=col.copy(), expressions=codes),
                               exp.In(this=exp.Trim(this=col.copy()),
                                      expressions=[c.copy() for c in codes])))
    for n, op in ((r.min_length, exp.GTE), (r.max_length, exp.LTE)):
        if n is not None:
            out.append(op(this=exp.Length(this=col.copy()), expression=exp.Literal.number(n)))
    if r.pattern:
        regex = _regex(col, f"^(?:{r.pattern})$", dialect)
        if regex is not None:
            out.append(regex)
    return out


def _regex(col: exp.Column, pattern: str, dialect: str, anchored: bool = False
           ) -> exp.Expression | None:
    """A full match of an anchored pattern (None in SQLite)."""
    if dialect == "sqlite":
        return None
    lit = exp.Literal.string(pattern)
    if dialect == "duckdb":
        return exp.Anonymous(this="regexp_full_match", expressions=[col.copy(), lit])
    return exp.RegexpLike(this=col.copy(), expression=lit)


def _bound(value: Any, r: Rule, dialect: str) -> exp.Expression | None:
    if r.numeric or r.type == "boolean":
        x = number(value)
        return exp.Literal.number(x) if x is not None else None
    if r.type in ("date", "datetime") and isinstance(value, str) and r.date_format is None:
        lit = exp.Literal.string(value.strip())
        if dialect == "sqlite":
            return lit                        # ISO text compares as text
        return exp.Cast(this=lit, to=exp.DataType.build(_type(r, dialect), dialect=dialect))
    return None


def _literal(value: str, r: Rule, dialect: str) -> exp.Expression:
    if _type(r, dialect) in ("TEXT",):
        return exp.Literal.string(value)
    x = number(value)
    return exp.Literal.number(x) if x is not None else exp.Literal.string(value)


def _indexes(rules: list[Rule], table: exp.Identifier, dialect: str) -> list[str]:
    """Partial unique indexes: unique among the values that are no missing code."""
    if dialect == "duckdb":
        return []
    out = []
    for i, r in enumerate(rules):
        if r.unique and r.missing:
            col = _col(r)
            codes = [_literal(m.value, r, dialect) for m in r.missing if _fits(m.value, r, dialect)]
            where = exp.Not(this=exp.In(this=col.copy(), expressions=codes)) if codes else None
            idx = exp.to_identifier(f"{table.name}_unique_{i + 1}", quoted=True)
            sql = (f"CREATE UNIQUE INDEX {idx.sql(dialect=dialect)} ON "
                   f"{table.sql(dialect=dialect)} ({col.sql(dialect=dialect)})")
            if where is not None:
                sql += f" WHERE {where.sql(dialect=dialect)}"
            out.append(sql)
    return out


def _comments(rules: list[Rule], table: exp.Identifier, dialect: str) -> list[str]:
    """COMMENT ON COLUMN with each field's label (DuckDB and PostgreSQL)."""
    if dialect == "sqlite":
        return []
    out = []
    for r in rules:
        text = " — ".join(t for t in (r.field.title, r.field.description) if t)
        if not text:
            continue
        target = exp.Column(this=exp.to_identifier(r.name, quoted=True),
                            table=table.copy())
        out.append(exp.Comment(this=target, kind="COLUMN",
                               expression=exp.Literal.string(text)).sql(dialect=dialect))
    return out
