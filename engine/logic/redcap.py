"""REDCap branching logic: a tokenizer and a recursive-descent parser (never `eval`).

REDCap grammar (case-insensitive keywords)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (op sum)?            op: = == <> != < <= > >=
    sum     := product (("+"|"-") product)*
    product := unary (("*"|"/") unary)*
    unary   := "-" unary | atom
    atom    := [field] | [field(code)] | [event][field] | 'text' | "text" | number
             | "(" expr ")" | function "(" expr ("," expr)* ")"

Semantics follow REDCap: `=`/`<>` compare as numbers when both sides are numbers, else as
text; `<`, `>` on a blank or non-number are false; `[x] = ''` is true where x is blank;
`[race(3)]` is the checkbox column `race___3`.

Nesting (parentheses, `not`, unary minus, function arguments; each `+ - * /` of a chain as a
quarter level, since the tree nests one level per operator but the parser loops) is bounded by
`CODEBOOK_MAX_LOGIC_DEPTH`, checked as the parser descends, so a cell of ten thousand `(` is
refused with a message instead of exhausting Python's stack here or in the evaluator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..limits import current, setting_name
from .tree import Arith, BoolOp, Call, Compare, Lit, LogicSyntaxError, Not, Ref


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<ref>\[[^\[\]]*\])
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<op><>|!=|<=|>=|==|=|<|>|\+|-|\*|/|\^|\(|\)|,)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)

# functions we can evaluate over columns; others are reported as unsupported
_FUNCTIONS = {"contains", "not_contain", "starts_with", "ends_with", "isblankormissingcode",
              "abs", "isnumber", "isinteger"}


@dataclass(frozen=True)
class _Tok:
    kind: str
    value: str
    pos: int


def tokenize(expr: str) -> list[_Tok]:
    """Split a REDCap expression into tokens; raises LogicSyntaxError on a stray character."""
    toks: list[_Tok] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m:
            raise LogicSyntaxError(f"unexpected character {expr[pos]!r} at position {pos + 1}")
        kind = m.lastgroup or ""
        if kind != "ws":
            toks.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    return toks


# ---- parser ---------------------------------------------------------------------------
class _Parser:
    """Recursive descent over the token list."""

    def __init__(self, expr: str):
        self.expr = expr
        self.toks = tokenize(expr)
        self.i = 0
        self.depth = 0                      # in quarter levels
        self.max_depth = current().max_logic_depth

    def deeper(self, quarters: int = 4) -> None:
        """Go a level (or `quarters` of one) deeper; refuse past the bound."""
        self.depth += quarters
        if self.depth > 4 * self.max_depth:
            raise LogicTooDeep(self.max_depth)

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise LogicSyntaxError("the expression ends too early")
        self.i += 1
        return tok

    def accept(self, *values: str) -> _Tok | None:
        tok = self.peek()
        if tok is not None and tok.kind in ("op", "word") and tok.value.lower() in values:
            self.i += 1
            return tok
        return None

    def expect(self, value: str) -> None:
        tok = self.peek()
        if not self.accept(value):
            where = f"at position {tok.pos + 1}" if tok else "at the end"
            raise LogicSyntaxError(f"expected '{value}' {where}")

    def parse(self) -> Any:
        if not self.toks:
            raise LogicSyntaxError("the expression is empty")
        node = self.or_()
        tok = self.peek()
        if tok is not None:
            raise LogicSyntaxError(f"unexpected {tok.value!r} at position {tok.pos + 1}")
        return node

    def or_(self) -> Any:
        self.deeper()
        items = [self.and_()]
        while self.accept("or", "||"):
            items.append(self.and_())
        self.depth -= 4
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def and_(self) -> Any:
        items = [self.not_()]
        while self.accept("and", "&&"):
            items.append(self.not_())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def not_(self) -> Any:
        if self.accept("not"):
            self.deeper()
            node = Not(self.not_())
            self.depth -= 4
            return node
        return self.compare()

    def compare(self) -> Any:
        left = self.sum_()
        tok = self.accept("=", "==", "<>", "!=", "<", "<=", ">", ">=")
        if tok is None:
            return left
        op = {"==": "=", "!=": "<>"}.get(tok.value, tok.value)
        return Compare(op, left, self.sum_())

    def sum_(self) -> Any:
        start = self.depth
        node = self.product()
        while (tok := self.accept("+", "-")) is not None:
            self.deeper(1)              # each operator nests the tree one level
            node = Arith(tok.value, node, self.product())
        self.depth = start
        return node

    def product(self) -> Any:
        start = self.depth
        node = self.unary()
        while (tok := self.accept("*", "/")) is not None:
            self.deeper(1)
            node = Arith(tok.value, node, self.unary())
        self.depth = start
        return node

    def unary(self) -> Any:
        if self.accept("-"):
            self.deeper()
            inner = self.unary()
            self.depth -= 4
            if isinstance(inner, Lit) and isinstance(inner.value, float):
                return Lit(-inner.value)
            return Arith("-", Lit(0.0), inner)
        return self.atom()

    def atom(self) -> Any:
        tok = self.take()
        if tok.kind == "ref":
            return self.ref(tok)
        if tok.kind == "str":
            return Lit(re.sub(r"\\(.)", r"\1", tok.value[1:-1]))
        if tok.kind == "num":
            return Lit(float(tok.value))
        if tok.kind == "op" and tok.value == "(":
            node = self.or_()
            self.expect(")")
            return node
        if tok.kind == "word":
            return self.word(tok)
        raise LogicSyntaxError(f"unexpected {tok.value!r} at position {tok.pos + 1}")

    def ref(self, tok: _Tok) -> Ref:
        # [event_1_arm_1][age]: the event prefix does not matter in a flat export
        nxt = self.peek()
        if nxt is not None and nxt.kind == "ref" and nxt.pos == tok.pos + len(tok.value):
            tok = self.take()
        inner = tok.value[1:-1].strip()
        # hyphens: smart variables such as [event-name], which name no field of the form
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_-]*)(?:\((\w+)\))?(?::[\w-]+)?", inner)
        if not m:
            raise LogicSyntaxError(f"cannot read the field reference {tok.value} "
                                   f"at position {tok.pos + 1}")
        return Ref(m.group(1), m.group(2))

    def word(self, tok: _Tok) -> Any:
        low = tok.value.lower()
        if low in ("true", "false"):
            return Lit(low == "true")
        nxt = self.peek()
        if nxt is None or nxt.value != "(":
            raise LogicSyntaxError(f"unexpected word {tok.value!r} at position {tok.pos + 1}")
        if low not in _FUNCTIONS:
            raise LogicSyntaxError(f"the function {tok.value}() is not supported")
        self.take()
        args = [self.or_()]
        while self.accept(","):
            args.append(self.or_())
        self.expect(")")
        return Call(low, tuple(args))


class LogicTooDeep(LogicSyntaxError):
    """An expression nested beyond CODEBOOK_MAX_LOGIC_DEPTH."""

    def __init__(self, limit: int) -> None:
        var = setting_name("max_logic_depth")
        super().__init__(f"it is nested more than {limit} levels deep (parentheses, 'not' or "
                         f"operator chains), beyond the limit set by {var}; simplify the "
                         f"expression, or raise {var} if it is genuine")


def parse_redcap(expr: str) -> Any:
    """Parse REDCap branching logic into an expression tree (LogicSyntaxError if invalid)."""
    try:
        return _Parser(_clean(expr)).parse()
    except RecursionError:    # a bound raised past what Python's stack allows
        raise LogicTooDeep(current().max_logic_depth) from None


def _clean(expr: str) -> str:
    """Undo what exports do to logic text: HTML entities, curly quotes, line breaks."""
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"), ("&quot;", '"'),
                 ("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        expr = expr.replace(a, b)
    return expr.strip()
