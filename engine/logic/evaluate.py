"""Vectorised evaluation of an expression tree over whole columns.

Every operand becomes a vector (text, number, blank) over all rows, so a million rows cost a
few Arrow and numpy operations.  Semantics follow REDCap: `=`/`<>` compare as numbers when both
sides are numbers, else as text; `<`, `>` on a blank or non-number are false; a blank is an
empty or absent cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .tree import (Arith, BoolOp, Call, Compare, Exists, Lit, LogicSyntaxError, Not, Ref)


Lookup = Callable[[Ref], pa.Array]


@dataclass
class _Vec:
    """An operand over all rows: its text, its number (NaN if not a number), blank mask."""

    text: pa.Array | None
    num: np.ndarray
    blank: np.ndarray

    @classmethod
    def of_text(cls, arr: pa.Array) -> "_Vec":
        text = pc.utf8_trim_whitespace(arr.cast(pa.string())).fill_null("")
        blank = pc.equal(text, "").to_numpy(zero_copy_only=False)
        num = _to_float(text)
        return cls(text, num, blank)

    @classmethod
    def of_num(cls, num: np.ndarray) -> "_Vec":
        return cls(None, num, np.isnan(num))


def _to_float(text: pa.Array) -> np.ndarray:
    """Numbers where the text is a plain number, NaN elsewhere."""
    ok = pc.match_substring_regex(text, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
    clean = pc.if_else(ok, text, pa.scalar(None, pa.string()))
    return pc.cast(clean, pa.float64()).to_numpy(zero_copy_only=False).astype(float)


def evaluate(node: Any, lookup: Lookup, n_rows: int) -> np.ndarray:
    """Evaluate a condition over all rows; returns a boolean numpy array.

    `lookup(ref)` returns the column (any Arrow array) for a reference; it raises
    LogicUnavailable when the field is not in the data.
    """
    return _Eval(lookup, n_rows).truth(node)


class _Eval:
    """Vectorised evaluation of one expression tree."""

    def __init__(self, lookup: Lookup, n: int):
        self.lookup = lookup
        self.n = n
        self.cache: dict[Ref, _Vec] = {}

    def truth(self, node: Any) -> np.ndarray:
        if isinstance(node, BoolOp):
            parts = [self.truth(i) for i in node.items]
            return np.logical_and.reduce(parts) if node.op == "and" else np.logical_or.reduce(parts)
        if isinstance(node, Not):
            return ~self.truth(node.item)
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, Exists):
            blank = self.vec(node.ref).blank
            return ~blank if node.present else blank.copy()
        if isinstance(node, Call):
            return self.call_truth(node)
        if isinstance(node, Lit):
            return np.full(self.n, bool(node.value) if not isinstance(node.value, str)
                           else node.value != "")
        v = self.vec(node)                          # a bare [field]: true where it is 1/true
        return (v.num != 0) & ~np.isnan(v.num)

    def vec(self, node: Any) -> _Vec:
        if isinstance(node, Ref):
            if node not in self.cache:
                self.cache[node] = _Vec.of_text(self.lookup(node))
            return self.cache[node]
        if isinstance(node, Lit):
            return self.literal(node)
        if isinstance(node, Arith):
            return _Vec.of_num(self.arith(node))
        if isinstance(node, Call) and node.name == "abs":
            return _Vec.of_num(np.abs(self.vec(node.args[0]).num))
        return _Vec.of_num(np.where(self.truth(node), 1.0, 0.0))

    def literal(self, lit: Lit) -> _Vec:
        if isinstance(lit.value, bool):
            return _Vec(None, np.full(self.n, 1.0 if lit.value else 0.0), np.zeros(self.n, bool))
        if isinstance(lit.value, float):
            return _Vec(None, np.full(self.n, lit.value), np.zeros(self.n, bool))
        s = lit.value.strip()
        num = float(s) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s) else np.nan
        return _Vec(pa.scalar(s), np.full(self.n, num), np.full(self.n, s == ""))

    def arith(self, node: Arith) -> np.ndarray:
        a, b = self.vec(node.left).num, self.vec(node.right).num
        with np.errstate(divide="ignore", invalid="ignore"):
            return {"+": np.add, "-": np.subtract, "*": np.multiply,
                    "/": np.divide}[node.op](a, b)

    def compare(self, node: Compare) -> np.ndarray:
        if isinstance(node.right, Lit) and isinstance(node.right.value, bool):
            return self.compare_bool(node.op, self.vec(node.left), node.right.value)
        a, b = self.vec(node.left), self.vec(node.right)
        numeric = ~np.isnan(a.num) & ~np.isnan(b.num)
        with np.errstate(invalid="ignore"):
            if node.op in ("=", "<>"):
                equal = np.where(numeric, a.num == b.num, self.text_equal(a, b))
                return equal if node.op == "=" else ~equal
            cmp = {"<": np.less, "<=": np.less_equal, ">": np.greater,
                   ">=": np.greater_equal}[node.op]
            return numeric & cmp(a.num, b.num)

    def text_equal(self, a: _Vec, b: _Vec) -> np.ndarray:
        if a.text is None or b.text is None:   # a computed number against text: blank = blank
            return a.blank & b.blank
        eq = pc.equal(a.text, b.text)
        if isinstance(eq, pa.Scalar):          # two literals
            return np.full(self.n, bool(eq.as_py()))
        return eq.to_numpy(zero_copy_only=False)

    def compare_bool(self, op: str, v: _Vec, want: bool) -> np.ndarray:
        text = pc.utf8_lower(v.text) if v.text is not None else None
        if text is None:
            truth = v.num != 0
        else:
            truth = pc.is_in(text, pa.array(["true", "1", "yes", "y", "t"])).to_numpy(
                zero_copy_only=False)
        equal = (truth == want) & ~v.blank
        if op == "=":
            return equal
        if op == "<>":
            return ~equal & ~v.blank
        raise LogicSyntaxError(f"cannot compare with {op} against a boolean")

    def call_truth(self, node: Call) -> np.ndarray:
        if node.name == "isblankormissingcode":
            return self.vec(node.args[0]).blank.copy()
        if node.name in ("isnumber", "isinteger"):
            num = self.vec(node.args[0]).num
            ok = ~np.isnan(num)
            return ok & (np.mod(num, 1) == 0) if node.name == "isinteger" else ok
        if node.name == "abs":
            num = self.vec(node).num
            return (num != 0) & ~np.isnan(num)
        if len(node.args) != 2:
            raise LogicSyntaxError(f"{node.name}() takes two arguments")
        hay, needle = self.vec(node.args[0]), node.args[1]
        if hay.text is None or not (isinstance(needle, Lit) and isinstance(needle.value, str)):
            raise LogicSyntaxError(f"{node.name}() needs a field and a quoted text")
        low, pat = pc.utf8_lower(hay.text), needle.value.lower()
        fn = {"contains": pc.match_substring, "not_contain": pc.match_substring,
              "starts_with": pc.starts_with, "ends_with": pc.ends_with}[node.name]
        hit = fn(low, pattern=pat).to_numpy(zero_copy_only=False)
        return ~hit if node.name == "not_contain" else hit
