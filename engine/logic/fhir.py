"""FHIR Questionnaire `enableWhen` conditions as expression trees."""

from __future__ import annotations

from typing import Any

from .tree import BoolOp, Compare, Exists, Lit, LogicSyntaxError, Ref


_FHIR_OPS = {"=": "=", "!=": "<>", ">": ">", "<": "<", ">=": ">=", "<=": "<="}


def parse_enable_when(conditions: Any, behavior: str | None = None) -> Any:
    """FHIR Questionnaire `enableWhen` (a list of conditions) as an expression tree."""
    if isinstance(conditions, dict):
        conditions = [conditions]
    if not isinstance(conditions, list) or not conditions:
        raise LogicSyntaxError("enableWhen must be a non-empty list of conditions")
    items = tuple(_fhir_condition(c) for c in conditions)
    if len(items) == 1:
        return items[0]
    op = "or" if (behavior or "all").lower() == "any" else "and"
    return BoolOp(op, items)


def _fhir_condition(cond: Any) -> Any:
    if not isinstance(cond, dict) or not cond.get("question"):
        raise LogicSyntaxError(f"an enableWhen condition has no 'question': {cond!r}")
    ref = Ref(str(cond["question"]))
    op = str(cond.get("operator", "="))
    answer = _fhir_answer(cond)
    if op == "exists":
        return Exists(ref, bool(answer.value) if isinstance(answer, Lit) else True)
    if op not in _FHIR_OPS:
        raise LogicSyntaxError(f"the enableWhen operator {op!r} is not supported")
    if answer is None:
        raise LogicSyntaxError(f"the enableWhen condition on {ref.field!r} has no answer[x]")
    return Compare(_FHIR_OPS[op], ref, answer)


def _fhir_answer(cond: dict) -> Lit | None:
    for key, value in cond.items():
        if not key.startswith("answer"):
            continue
        if isinstance(value, dict):             # answerCoding / answerQuantity / answerReference
            value = value.get("code", value.get("value", value.get("reference")))
        if isinstance(value, bool):
            return Lit(value)
        if isinstance(value, (int, float)):
            return Lit(float(value))
        return Lit("" if value is None else str(value))
    return None
