"""engine.values: one value grammar.  The profile, the check and the starter schema (and the
reader that types a dataset by its dictionary) read tricky values the same way."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from engine.formats import Dataset, read_dataset
from engine.model import Field, Schema
from engine.profile import profile_dataset
from engine.validation import validate_table
from engine.values import infer_schema, parse_values
from engine.values.grammar import booleans, integers, numbers, strptime_strict, times

N = 40


def _column(clean: list[str], tricky: list[str]) -> list[str]:
    """`clean` values repeated to N rows, the tricky ones in place of the first few."""
    values = (clean * N)[:N]
    values[1:1 + len(tricky)] = tricky
    return values


COLUMNS = {
    # name: (values, type all three agree on, the values the profile and the check flag)
    "decimal_comma": (_column(["1,5", "2,25", "3,75", "10,5"], []), "string", set()),
    "codes": (_column([f"{i:02d}" for i in range(1, 30)], []), "string", set()),
    "visit": (_column([f"2020-01-{d:02d}" for d in range(1, 29)], ["2020-02-30"]), "date",
              {"2020-02-30"}),
    "flag": (_column(["true", "false", "TRUE", "False"], ["1", "0"]), "boolean", set()),
    "measure": (_column(["1.5", "-2", ".5", "12.25"], ["1e3"]), "number", set()),
    "count": (_column([str(i) for i in range(30)], [" 12 ", "+5", "3.0"]), "integer", set()),
    "with_na": (_column([str(i) for i in range(30)], ["NA"]), "integer", set()),
    "us_date": (_column([f"{m}/{d}/2021" for m in (1, 3, 12) for d in (2, 15, 28)], []),
                "date", set()),
    "clock": (_column(["08:11:00", "23:59:59", "00:00:01", "12:30:15.5"], []), "time", set()),
}


@pytest.fixture(scope="module")
def readings():
    table = pa.table({k: pa.array(v, pa.string()) for k, (v, _, _) in COLUMNS.items()})
    profile = profile_dataset(Dataset(table, "tricky.csv", "csv"))
    starter = infer_schema(table)
    check = validate_table(table, starter)
    return profile, starter, check


@pytest.mark.parametrize("name", COLUMNS)
def test_profile_starter_and_check_agree_on_a_column_of_tricky_values(readings, name):
    profile, starter, check = readings
    _, expected, flagged = COLUMNS[name]
    column, field = profile.column(name), starter.field(name)
    assert (column.type, field.type) == (expected, expected)
    assert set(column.nonconforming) == flagged
    result = next(r for r in check.fields if r.name == name)
    types = [v for v in result.violations if v.kind == "type"]
    assert set(types[0].values if types else []) == flagged
    assert not [v for v in result.violations if v.kind != "type"]


def test_na_is_set_aside_by_the_profile_and_missing_to_the_check(readings):
    profile, starter, check = readings
    assert profile.column("with_na").na_like == {"NA": 1}
    assert [m.value for m in starter.field("with_na").missing_values] == ["NA"]
    result = next(r for r in check.fields if r.name == "with_na")
    assert {m.value: m.count for m in result.missing} == {"NA": 1}


def test_a_date_spelling_found_by_inference_is_the_starters_format(readings):
    _, starter, _ = readings
    assert starter.field("us_date").format == "%m/%d/%Y"
    assert starter.field("visit").format is None


# ---- value by value -----------------------------------------------------------------------
@pytest.mark.parametrize("value, kinds", [
    (" 12 ", {"integer", "number"}),
    ("+5", {"integer", "number"}),
    ("3.0", {"integer", "number"}),
    ("007", {"integer", "number"}),
    ("1e3", {"number"}),
    ("1,5", set()),
    ("TRUE", {"boolean"}),
    ("1", {"integer", "number", "boolean"}),
    ("2020-02-29", {"date"}),
    ("2020-02-30", set()),
    ("23:59:59", {"time"}),
    ("NA", set()),
])
def test_each_value_reads_the_same_to_the_grammar_and_the_check(value, kinds):
    text = pa.array([value], pa.string())
    grammar = {"integer": integers(text)[0][0], "number": numbers(text)[0][0],
               "boolean": booleans(text)[0][0], "time": times(text)[0][0],
               "date": strptime_strict(text, "%Y-%m-%d").is_valid()[0].as_py()}
    check = {k: bool(parse_values(text, Field("x", type=k)).ok[0]) for k in grammar}
    assert {k for k, ok in grammar.items() if ok} == kinds
    assert {k for k, ok in check.items() if ok} == kinds


def test_the_typed_reader_converts_what_the_check_accepts(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("n,x,d\n 12 ,1.5,2020-02-29\n+5,1e3, 2021-01-01\n3.0,-2,2020-03-01\n")
    schema = Schema([Field("n", type="integer"), Field("x", type="number"),
                     Field("d", type="date")])
    ds = read_dataset(path, schema=schema)
    assert ds.column("n").to_pylist() == [12, 5, 3] and not ds.warnings
    assert ds.column("x").to_pylist() == [1.5, 1000.0, -2.0]
    assert [str(d) for d in ds.column("d").to_pylist()] == ["2020-02-29", "2021-01-01",
                                                             "2020-03-01"]
    bad = tmp_path / "bad.csv"
    bad.write_text("d\n2020-02-30\n")
    ds = read_dataset(bad, schema=Schema([Field("d", type="date")]))
    assert ds.column("d").type == pa.string()          # no rolled-over March 1st


def test_strptime_does_not_roll_over_days():
    values = pa.array(["02/30/2020", "2/28/2020", " 12/31/2020 "], pa.string())
    parsed = strptime_strict(values, "%m/%d/%Y")
    assert parsed.is_valid().to_pylist() == [False, True, True]
    assert np.datetime64(parsed[2].as_py(), "D") == np.datetime64("2020-12-31")


def _plain(texts: list[str | None], suffix: str = "") -> bool:
    """By hand: every non-null text is its integer written plainly, then `suffix`."""
    for t in texts:
        body = None if t is None else t.removesuffix(suffix)
        if t is None:
            continue
        if body == t and suffix or not body.lstrip("+-").isdigit() or body != str(int(body)):
            return False
    return True


@pytest.mark.parametrize("seed", range(40))
def test_plain_integer_spelling_is_judged_from_lengths_as_by_hand(seed):
    from engine.profile.stats import distinct_ints
    from engine.values.infer import canonical_integers, point_zero_integers, point_zero_plain

    rng = np.random.default_rng(seed)
    scale = 10 ** int(rng.integers(0, 19))
    values = [int(v) for v in rng.integers(-scale, scale, int(rng.integers(1, 400)))]
    values += [0, -1, 10 ** 18, -(10 ** 18)] if seed % 5 == 0 else []
    texts: list[str | None] = [str(v) for v in values]
    odd = ["007", "+5", "-0", "00", "-07"]
    if seed % 2:    # one spelling that is not plain, somewhere
        texts[int(rng.integers(0, len(texts)))] = odd[seed % len(odd)]
    texts[::9] = [None] * len(texts[::9])
    col = pa.chunked_array([pa.array(texts[:len(texts) // 2], pa.string()),
                            pa.array(texts[len(texts) // 2:], pa.string())])
    ints = np.array([int(t) for t in texts if t is not None], np.int64)
    uniq, counts = distinct_ints(ints.copy())
    assert canonical_integers(col, uniq, counts) == _plain(texts)

    small = [None if t is None else f"{int(t) % 10 ** 12}.0" for t in texts]   # floats hold it
    zeros = [".0", "-.0", "+.0", "-0.0", "00.0", "0.0", "+3.0"]
    if seed % 3:
        small[int(rng.integers(0, len(small)))] = zeros[seed % len(zeros)]
    col = pa.chunked_array([pa.array(small, pa.string())])
    found = point_zero_integers(col)
    uniq, counts = distinct_ints(found.copy())
    assert point_zero_plain(col, uniq, counts) == _plain(small, ".0")


@pytest.mark.parametrize("late", [None, "12.5"])
def test_a_long_chunk_is_parsed_in_pieces_and_given_up_after_a_failing_one(monkeypatch, late):
    """One chunk of 200,000 values (a file read whole) is cast at most 65,536 values at a
    time: a failing cast costs Arrow time for every value it was given, so a value that does
    not parse late in the column stops the parse within a piece, not after the whole chunk."""
    from engine.values import infer

    n = 200_000
    values = [str(i) for i in range(n)]
    if late:
        values[150_000] = late
    col = pa.chunked_array([pa.array(values)])
    sizes = []
    real = infer._parse_chunk
    monkeypatch.setattr(infer, "_parse_chunk",
                        lambda chunk, *a: sizes.append(len(chunk)) or real(chunk, *a))
    parsed = infer.parse_column(col, "integer", None)
    assert max(sizes) <= infer._PIECE_ROWS
    if late:
        assert parsed is None and sum(sizes) < n   # given up at the piece holding "12.5"
    else:
        assert (parsed == np.arange(n)).all() and sum(sizes) == n
