"""The expression tree shared by REDCap logic and FHIR enableWhen, and the errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class LogicSyntaxError(ValueError):
    """An expression that cannot be parsed; str() says where and why."""


class LogicUnavailable(LookupError):
    """An expression refers to a field that is not in the data."""


# ---- expression tree ------------------------------------------------------------------
@dataclass(frozen=True)
class Ref:
    """A field reference: `[field]`, or a checkbox option `[field(code)]`."""

    field: str
    code: str | None = None

    def text(self) -> str:
        return f"[{self.field}({self.code})]" if self.code is not None else f"[{self.field}]"


@dataclass(frozen=True)
class Lit:
    """A literal: text, number or boolean."""

    value: Any

    def text(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, str):
            return "'" + self.value.replace("'", "\\'") + "'"
        return _num_text(self.value)


@dataclass(frozen=True)
class Compare:
    op: str
    left: Any
    right: Any

    def text(self) -> str:
        return f"{self.left.text()} {self.op} {self.right.text()}"


@dataclass(frozen=True)
class BoolOp:
    op: str                       # "and" | "or"
    items: tuple

    def text(self) -> str:
        return f" {self.op} ".join(_paren(i) for i in self.items)


@dataclass(frozen=True)
class Not:
    item: Any

    def text(self) -> str:
        return f"not {_paren(self.item)}"


@dataclass(frozen=True)
class Arith:
    op: str
    left: Any
    right: Any

    def text(self) -> str:
        return f"{self.left.text()} {self.op} {self.right.text()}"


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple

    def text(self) -> str:
        return f"{self.name}(" + ", ".join(a.text() for a in self.args) + ")"


@dataclass(frozen=True)
class Exists:
    """True where the referenced question has an answer (FHIR `exists`)."""

    ref: Ref
    present: bool = True

    def text(self) -> str:
        return f"{self.ref.text()} {'<>' if self.present else '='} ''"


def _paren(node: Any) -> str:
    return f"({node.text()})" if isinstance(node, BoolOp) else node.text()


def _num_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def refs(node: Any) -> list[Ref]:
    """Every field reference in an expression, in order of appearance."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Exists):
        return [node.ref]
    out: list[Ref] = []
    for child in _children(node):
        out.extend(refs(child))
    return out


def _children(node: Any) -> tuple:
    if isinstance(node, (Compare, Arith)):
        return (node.left, node.right)
    if isinstance(node, (BoolOp, Call)):
        return node.items if isinstance(node, BoolOp) else node.args
    if isinstance(node, Not):
        return (node.item,)
    return ()
