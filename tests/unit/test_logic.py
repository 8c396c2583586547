"""REDCap branching logic and FHIR enableWhen: parsing (no eval) and vectorised evaluation."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from harness.fixtures import fixture_path
from engine import logic
from engine.logic import (BoolOp, Compare, Exists, Lit, LogicSyntaxError, LogicUnavailable, Ref,
                          evaluate, parse_enable_when, parse_redcap, refs)


def _lookup(columns: dict[str, list]):
    """A lookup over plain lists; checkbox refs resolve to REDCap's name___code columns."""
    def lookup(ref: Ref) -> pa.Array:
        name = ref.field if ref.code is None else f"{ref.field}___{ref.code}"
        if name not in columns:
            raise LogicUnavailable(ref.text())
        return pa.array(columns[name], pa.string())
    return lookup


def _eval(expr: str, columns: dict[str, list]) -> list[bool]:
    n = len(next(iter(columns.values())))
    return evaluate(parse_redcap(expr), _lookup(columns), n).tolist()


# ---- parsing ----------------------------------------------------------------------------
def test_and_binds_tighter_than_or():
    tree = parse_redcap("[a] = '1' or [b] = '2' and [c] = '3'")
    assert isinstance(tree, BoolOp) and tree.op == "or"
    assert tree.items[0] == Compare("=", Ref("a"), Lit("1"))
    assert isinstance(tree.items[1], BoolOp) and tree.items[1].op == "and"


def test_parentheses_group_and_text_round_trips():
    tree = parse_redcap("([sex] = '2' or [sex] = '3') AND [age] >= 18")
    assert tree.op == "and"
    assert tree.text() == "([sex] = '2' or [sex] = '3') and [age] >= 18"


def test_operators_are_normalised():
    assert parse_redcap("[a] != '1'") == Compare("<>", Ref("a"), Lit("1"))
    assert parse_redcap("[a] == 1") == Compare("=", Ref("a"), Lit(1.0))
    assert parse_redcap("[a] <> ''") == Compare("<>", Ref("a"), Lit(""))


def test_checkbox_and_event_references():
    assert parse_redcap("[race(3)] = '1'") == Compare("=", Ref("race", "3"), Lit("1"))
    # a longitudinal project's [event][field]: the event does not matter in a flat export
    assert refs(parse_redcap("[visit_1_arm_1][weight] > 50")) == [Ref("weight")]


def test_html_entities_and_curly_quotes_from_exports():
    assert parse_redcap("[age] &gt;= 18 and [x] = \u20181\u2019") == BoolOp(
        "and", (Compare(">=", Ref("age"), Lit(18.0)), Compare("=", Ref("x"), Lit("1"))))


@pytest.mark.parametrize("expr, message", [
    ("[a] = ", "ends too early"),
    ("[a] = '1' and", "ends too early"),
    ("([a] = 1", "expected ')'"),
    ("[a] === 2", "unexpected '='"),
    ("[a b] = 1", "cannot read the field reference"),
    ("datediff([d], 'today', 'y') > 3", "datediff() is not supported"),
    ("[a] = 1; drop", "unexpected character ';'"),
    ("", "empty"),
])
def test_invalid_expressions_say_why(expr, message):
    with pytest.raises(LogicSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_redcap(expr)


def test_python_code_is_never_evaluated():
    """The parser knows only its grammar: Python calls and attributes are syntax errors."""
    for expr in ("__import__('os').system('echo hi')", "open('/etc/passwd')",
                 "[a].__class__ = 1"):
        with pytest.raises(LogicSyntaxError):
            parse_redcap(expr)


# ---- evaluation -------------------------------------------------------------------------
def test_numbers_compare_as_numbers_and_text_as_text():
    cols = {"age": ["18", "9", "100", "", "abc"], "sex": ["2", "2.0", "1", "2", "F"]}
    assert _eval("[age] >= 18", cols) == [True, False, True, False, False]
    # '2.0' equals '2' numerically, as REDCap compares numbers
    assert _eval("[sex] = '2'", cols) == [True, True, False, True, False]
    assert _eval("[sex] = 'F'", cols) == [False, False, False, False, True]


def test_blank_semantics():
    cols = {"x": ["", None, "a", " "]}
    assert _eval("[x] = ''", cols) == [True, True, False, True]
    assert _eval("[x] <> ''", cols) == [False, False, True, False]
    assert _eval("[x] > 0", cols) == [False, False, False, False]


def test_checkbox_terms_read_the_option_columns():
    cols = {"race___3": ["1", "0", "", "1"], "sex": ["2", "2", "2", "1"]}
    assert _eval("[race(3)] = '1' and [sex] = '2'", cols) == [True, False, False, False]
    assert _eval("[race(3)] = '1' or [sex] <> '2'", cols) == [True, False, False, True]


def test_arithmetic_and_functions():
    cols = {"a": ["1", "2", "3"], "b": ["1", "2", ""], "c": ["xFOOy", "bar", "foo"]}
    assert _eval("[a] + [b] > 3", cols) == [False, True, False]
    assert _eval("contains([c], 'foo')", cols) == [True, False, True]
    assert _eval("not_contain([c], 'foo')", cols) == [False, True, False]
    assert _eval("isblankormissingcode([b])", cols) == [False, False, True]
    assert _eval("not ([a] = 1)", cols) == [False, True, True]


def test_unknown_field_is_reported():
    with pytest.raises(LogicUnavailable, match=r"\[weight\]"):
        _eval("[weight] > 3", {"age": ["1"]})


def test_evaluation_is_vectorised_over_a_large_column():
    n = 200_000
    ages = np.arange(n) % 100
    cols = {"age": ages.astype(str).tolist(), "sex": (["1", "2"] * (n // 2))}
    got = evaluate(parse_redcap("[sex] = '2' and [age] >= 50"), _lookup(cols), n)
    assert got.dtype == bool and got.sum() == ((ages >= 50) & (np.arange(n) % 2 == 1)).sum()


# ---- FHIR enableWhen ----------------------------------------------------------------------
def test_enable_when_operators_and_behaviour():
    conds = [{"question": "gender", "operator": "=", "answerCoding": {"code": "female"}},
             {"question": "age", "operator": ">=", "answerInteger": 18}]
    assert parse_enable_when(conds, "any") == BoolOp("or", (
        Compare("=", Ref("gender"), Lit("female")), Compare(">=", Ref("age"), Lit(18.0))))
    assert parse_enable_when(conds).op == "and"                 # default behaviour: all
    assert parse_enable_when([{"question": "q", "operator": "exists", "answerBoolean": False}]) \
        == Exists(Ref("q"), False)
    assert parse_enable_when({"question": "q", "operator": "!=", "answerString": "x"}) \
        == Compare("<>", Ref("q"), Lit("x"))


def test_enable_when_boolean_answers_read_common_spellings():
    tree = parse_enable_when([{"question": "pregnant", "operator": "=", "answerBoolean": True}])
    cols = {"pregnant": ["true", "TRUE", "1", "yes", "false", "0", "", "no"]}
    assert evaluate(tree, _lookup(cols), 8).tolist() == [True, True, True, True,
                                                          False, False, False, False]


def test_enable_when_errors_are_reported():
    with pytest.raises(LogicSyntaxError, match="no 'question'"):
        parse_enable_when([{"operator": "="}])
    with pytest.raises(LogicSyntaxError, match="not supported"):
        parse_enable_when([{"question": "q", "operator": "~", "answerString": "x"}])
    with pytest.raises(LogicSyntaxError, match="no answer"):
        parse_enable_when([{"question": "q", "operator": "="}])


def test_every_condition_of_the_real_questionnaire_parses():
    """fhir-questionnaire: all 10 enableWhen lists of the synthetic example parse."""
    from engine.parsers import parse_dictionary

    schema = parse_dictionary(
        fixture_path("fhir-questionnaire", "fhir_questionnaire_with_logic.json")).schema
    trees = {f.name: logic.parse_enable_when(f.extras["enableWhen"], f.extras.get("enableBehavior"))
             for f in schema.fields if f.extras.get("enableWhen")}
    assert trees["weeks_pregnant"].text() == "[pregnant] = true"
    assert trees["dosage_mg"].text() == "[treatment_arm] = 'active'"
    assert len(trees) == 10


def test_every_branching_logic_of_the_redcap_pdf_parses():
    """redcap-ltc-promise-pdf: all 337 `Branching logic (show if)` lines, smart variables
    like [event-label] included, parse."""
    from engine.parsers import parse_dictionary

    schema = parse_dictionary(fixture_path("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")).schema
    logic_lines = [f.extras["branchingLogic"] for f in schema.fields
                   if f.extras.get("branchingLogic")]
    assert len(logic_lines) == 337
    trees = [parse_redcap(line) for line in logic_lines]
    assert Ref("event-label") in refs(trees[[i for i, line in enumerate(logic_lines)
                                              if "[event-label]" in line][0]])


def test_event_name_reads_the_export_column():
    """[event-name] is the `redcap_event_name` column of a longitudinal export."""
    import pyarrow as pa

    from engine.model import Field, Schema
    from engine.validation import validate_table

    t = pa.table({"redcap_event_name": ["baseline_arm_1", "month_3_arm_1", "month_3_arm_1"],
                  "cxr": ["1", "1", ""]})
    schema = Schema([Field("cxr", extras={"branchingLogic": "[event-name] = 'month_3_arm_1'"})])
    r = validate_table(t, schema)
    v = r.field("cxr").violations[0]
    assert (v.kind, [int(x) + 1 for x in v.rows]) == ("logic", [1])
    t2 = t.drop_columns(["redcap_event_name"])
    assert "[event-name] is not in the data" in validate_table(t2, schema).field("cxr").notes[0]
