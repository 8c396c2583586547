"""engine.profile: types inferred from text, NA-like tokens, statistics checked against pandas,
duplicate rows, and the JSON/Markdown forms.

Edge files used here (tests/fixtures/edge/):
- data_duplicates.csv   9 rows: rows 4 and 8 repeat row 1, row 6 repeats row 2, row 9 repeats
                        row 5 (with empty cells); row 3 differs from row 1 only in `id`
- data_mixed_types.csv  un-padded datetimes, an "NA" in integers, TRUE/FALSE/true booleans and
                        "PrivacySuppressed" among numbers
- data_types.parquet, data_labels.sav, data_two_sheets.xlsx (see data_make_fixtures.py)
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from harness.fixtures import fixture_path
from engine.profile import Profile, profile_dataset
from engine.formats import read_dataset

COLUMN_KEYS = ["name", "type", "source_type", "count", "missing", "missing_pct", "distinct",
               "unique", "categorical", "blank", "na_like", "nonconforming",
               "nonconforming_count", "min", "max", "mean", "std", "p25", "p50", "p75",
               "min_length", "max_length", "top", "examples"]


def profile(*parts: str, **kw) -> Profile:
    return profile_dataset(read_dataset(fixture_path(*parts), **kw))


@pytest.fixture(scope="module")
def house():
    return profile("house-prices", "train.csv")


def test_house_prices_na_is_reported_not_missing(house):
    assert house.rows == 1460 and len(house.columns) == 81 and house.duplicate_rows == 0
    lot = house.column("LotFrontage")
    assert lot.type == "integer"                 # NA tokens do not spoil the type
    assert (lot.missing, lot.na_like, lot.count) == (0, {"NA": 259}, 1460)
    assert (lot.min, lot.max, lot.distinct) == (21, 313, 111)
    assert lot.mean == pytest.approx(70.04995836802665)
    assert lot.std == pytest.approx(24.284751774483208)
    assert (lot.p25, lot.p50, lot.p75) == (59.0, 69.0, 80.0)
    alley = house.column("Alley")
    assert alley.type == "string" and alley.na_like == {"NA": 1369}
    assert alley.top == [{"value": "NA", "count": 1369}, {"value": "Grvl", "count": 50},
                         {"value": "Pave", "count": 41}]
    assert alley.examples == ["Grvl", "Pave"] and alley.categorical
    assert house.column("GarageYrBlt").na_like == {"NA": 81}
    assert house.column("Electrical").na_like == {"NA": 1}


def test_house_prices_numbers_and_codes(house):
    price = house.column("SalePrice")
    assert price.type == "integer" and (price.min, price.max) == (34900, 755000)
    assert price.mean == pytest.approx(180921.19589041095)
    assert price.std == pytest.approx(79442.50288288662)
    assert (price.p25, price.p50, price.p75) == (129975.0, 163000.0, 214000.0)
    assert price.distinct == 663 and not price.categorical
    ident = house.column("Id")
    assert ident.unique and ident.distinct == 1460 and ident.top == []
    assert ident.examples == ["1", "2", "3", "4", "5"]
    hood = house.column("Neighborhood")
    assert hood.top[:2] == [{"value": "NAmes", "count": 225}, {"value": "CollgCr", "count": 150}]
    assert hood.categorical and hood.min_length == 5 and hood.max_length == 7
    assert house.column("MoSold").categorical and house.column("MoSold").distinct == 12
    assert house.column("YrSold").top[0] == {"value": "2009", "count": 338}


def test_country_codes_namibia_and_leading_zeros():
    prof = profile("country-codes", "country-codes.csv")
    alpha2 = prof.column("ISO3166-1-Alpha-2")
    assert (alpha2.missing, alpha2.distinct, alpha2.unique) == (0, 249, True)
    assert alpha2.na_like == {"NA": 1} and alpha2.type == "string"
    assert prof.column("Continent").na_like == {"NA": 41}
    assert prof.column("Continent").categorical
    currency = prof.column("ISO4217-currency_numeric_code")
    assert currency.type == "string"               # "008": a code, not a number
    assert currency.top[0] == {"value": "978", "count": 36}
    assert prof.column("M49").type == "integer"
    assert prof.column("FIFA").blank == 2          # two cells holding a no-break space


def test_college_scorecard_tokens_and_stray_values():
    prof = profile("college-scorecard", "College-scorecard-reduced.csv")
    debt = prof.column("DEBT_MDN")
    assert debt.type == "number" and debt.na_like == {"NULL": 5}
    assert debt.nonconforming == {"PrivacySuppressed": 147} and debt.nonconforming_count == 147
    assert (debt.min, debt.max) == (1926.0, 39000.0)
    assert prof.column("ZIP").type == "string" and prof.column("ZIP").distinct == 961
    assert prof.column("UNITID").unique


def test_mixed_types_edge_file():
    prof = profile("edge", "data_mixed_types.csv")
    when = prof.column("when")
    assert when.type == "datetime"
    assert (when.min, when.max) == ("2017-06-14 08:11:00", "2017-06-16 23:59:00")
    count = prof.column("count")
    assert count.type == "integer" and count.na_like == {"NA": 1} and count.max == 2
    assert prof.column("flag").type == "boolean"
    price = prof.column("price")
    assert price.type == "number" and price.nonconforming == {"PrivacySuppressed": 1}
    assert (price.min, price.max) == (1.5, 2.0)


def test_duplicate_rows_on_hand_made_file():
    prof = profile("edge", "data_duplicates.csv")
    assert prof.duplicate_rows == 4
    assert prof.duplicate_examples == [{"row": 4, "same_as": 1}, {"row": 6, "same_as": 2},
                                       {"row": 8, "same_as": 1}, {"row": 9, "same_as": 5}]
    assert "4 duplicate rows (first: row 4 = row 1)" in prof.summary_markdown()


def test_duplicate_rows_match_pandas_on_generated_data(tmp_path):
    """No column is unique, so the candidate narrowing and the hash grouping both run; the
    columns take every path (integer bincount, codes, many floats, NA tokens, short strings)."""
    rng = np.random.default_rng(42)
    n = 30_000
    df = pd.DataFrame({"a": rng.integers(0, 40, n), "b": rng.choice(["x", "y", "z", ""], n),
                       "c": rng.integers(0, 30, n) / 4, "d": rng.choice(["p", "q"], n),
                       "e": rng.random(n).round(6).astype(str),
                       "f": [f"k{v}" for v in rng.integers(0, 10**6, n)]})
    df.loc[rng.random(n) < 0.01, "e"] = "NA"
    df = pd.concat([df, df.sample(700, random_state=1)], ignore_index=True)
    path = tmp_path / "dups.csv"
    df.to_csv(path, index=False)
    prof = profile_dataset(read_dataset(path))
    expected = pd.read_csv(path, dtype=str, keep_default_na=False).duplicated()
    assert prof.duplicate_rows == int(expected.sum())
    first = int(np.flatnonzero(expected.to_numpy())[0])
    assert prof.duplicate_examples[0]["row"] == first + 1
    # only codes: no column narrows the search, every row is hashed
    codes = tmp_path / "codes.csv"
    df[["a", "b", "d"]].to_csv(codes, index=False)
    expected = pd.read_csv(codes, dtype=str, keep_default_na=False).duplicated()
    prof = profile_dataset(read_dataset(codes))
    assert prof.duplicate_rows == int(expected.sum()) > 20_000
    assert [e["row"] for e in prof.duplicate_examples] == [
        int(i) + 1 for i in np.flatnonzero(expected.to_numpy())[:10]]


def test_statistics_match_pandas(tmp_path):
    rng = np.random.default_rng(42)
    n = 25_000                                       # more than the 10,000-row sample
    ints = rng.integers(-500, 10_000_000, n)
    floats = rng.normal(10, 3, n).round(3)
    floats[rng.random(n) < 0.1] = np.nan
    codes = rng.choice([1, 2, 3, 9], n)
    df = pd.DataFrame({"ints": ints, "floats": floats, "codes": codes,
                       "ids": [f"K{v:05d}" for v in rng.integers(0, 60_000, n)]})
    path = tmp_path / "stats.csv"
    df.to_csv(path, index=False)
    prof = profile_dataset(read_dataset(path))
    for name in ("ints", "floats", "codes"):
        col, s = prof.column(name), df[name].dropna()
        assert col.missing == df[name].isna().sum()
        assert col.distinct == s.nunique()
        assert col.min == pytest.approx(s.min()) and col.max == pytest.approx(s.max())
        assert col.mean == pytest.approx(s.mean(), rel=1e-12)
        assert col.std == pytest.approx(s.std(), rel=1e-9)
        q = s.quantile([0.25, 0.5, 0.75]).tolist()
        assert [col.p25, col.p50, col.p75] == pytest.approx(q, rel=1e-12)
    assert prof.column("ints").type == "integer" and prof.column("floats").type == "number"
    codes_top = df["codes"].value_counts()
    assert prof.column("codes").top[0] == {"value": str(codes_top.index[0]),
                                           "count": int(codes_top.iloc[0])}
    ids = prof.column("ids")                         # many distinct short strings
    assert ids.type == "string" and ids.distinct == df["ids"].nunique()
    top = df["ids"].value_counts()
    assert ids.top[0]["count"] == int(top.iloc[0])
    assert ids.examples == list(dict.fromkeys(df["ids"]))[:5]


def test_late_text_value_falls_back_to_the_exact_path(tmp_path):
    """The first 10,000 rows (the sample) are integers; a word after them must not be lost."""
    path = tmp_path / "late.csv"
    values = [str(i) for i in range(30_000)] + ["n/a", "oops"]
    path.write_text("v\n" + "\n".join(values) + "\n")
    col = profile_dataset(read_dataset(path)).column("v")
    assert col.type == "integer" and col.na_like == {"n/a": 1}
    assert col.nonconforming == {"oops": 1} and col.max == 29_999 and col.distinct == 30_002


def test_na_tokens_among_many_numbers_use_the_fast_path(tmp_path):
    path = tmp_path / "na.csv"
    rng = np.random.default_rng(1)
    vals = [f"{v:.4f}" for v in rng.random(30_000)]
    vals[::1000] = ["NA"] * 30
    path.write_text("x\n" + "\n".join(vals) + "\n")
    col = profile_dataset(read_dataset(path)).column("x")
    assert col.type == "number" and col.na_like == {"NA": 30} and col.missing == 0


def _exact_path(name: str, col) -> dict:
    """A column's profile by the exact (dict) path, whatever its plan."""
    from engine.profile.columns import _codes, plan

    return _codes(name, col, plan(col).kind).profile.to_dict()


@pytest.mark.parametrize("spell", [
    lambda v: f"{v}.0",                          # a float column of whole numbers, as pandas
    lambda v: f"{v}.0" if v % 7 else "NA",       # ... with NA-like tokens
])
def test_point_zero_integers_profile_as_the_exact_path_does(tmp_path, spell):
    """'12.0' integers (beyond the sample too) take the point-zero path, and their profile is
    the one the exact path gives: lengths, first-seen examples, weighted statistics, tokens."""
    from engine.profile.columns import _point_zero, _without_na_tokens, plan

    rng = np.random.default_rng(5)
    values = [spell(int(v)) for v in rng.integers(-500, 40_000, 30_000)]
    values[3::11] = [""] * len(values[3::11])
    path = tmp_path / "whole.csv"
    path.write_text("x,y\n" + "\n".join(f"{v},{i % 3}" for i, v in enumerate(values)) + "\n")
    ds = read_dataset(path)
    col = ds.column("x")
    how = plan(col)
    assert (how.path, how.kind) == ("fast", "integer")
    assert _point_zero("x", col, *_without_na_tokens(col, how.mask_na)) is not None
    prof = profile_dataset(ds)
    assert prof.column("x").to_dict() == _exact_path("x", col)
    assert prof.column("x").type == "integer" and prof.column("x").min_length >= 2


@pytest.mark.parametrize("odd", ["-0.0", "+5.0", "07.0", "5", "5.00", "1e3", "-.0", "5.5",
                                 " 5.0", "12345678901234567890.0"])
def test_other_spellings_among_point_zero_integers_go_the_exact_path(tmp_path, odd):
    """One value spelled otherwise, past the sample: the point-zero path declines and the
    profile is the exact path's (which may read the column as numbers, or as codes)."""
    from engine.profile.columns import _point_zero, _without_na_tokens, plan

    values = [f"{v}.0" for v in range(20_000)] + [odd]
    path = tmp_path / "odd.csv"
    path.write_text("x\n" + "\n".join(f'"{v}"' for v in values) + "\n")
    ds = read_dataset(path)
    col = ds.column("x")
    how = plan(col)
    assert _point_zero("x", col, *_without_na_tokens(col, how.mask_na)) is None
    assert profile_dataset(ds).column("x").to_dict() == _exact_path("x", col)


def test_typed_files_parquet_and_spss():
    pq = profile("edge", "data_types.parquet")
    assert [c.type for c in pq.columns] == ["integer", "number", "string", "boolean", "date"]
    day = pq.column("day")
    assert (day.min, day.max, day.missing) == ("2023-12-31", "2024-02-29", 1)
    assert pq.column("code").na_like == {"NA": 1} and pq.column("code").examples[0] == "0123"
    assert pq.column("flag").top == [{"value": "true", "count": 2},
                                     {"value": "false", "count": 1}]
    sav = profile("edge", "data_labels.sav")
    happy = sav.column("happy")
    assert happy.type == "integer" and happy.source_type == "integer"
    assert (happy.min, happy.max) == (1, 9)
    income = sav.column("income")
    assert income.missing == 1 and income.type == "integer"


def test_excel_columns_profiled_from_stored_types():
    prof = profile("edge", "data_two_sheets.xlsx")
    assert prof.sheet == "Data" and prof.sheets == ["Notes", "Data", "Other"]
    assert prof.column("opened").type == "datetime"
    assert prof.column("opened").min == "1999-12-31 00:00:00"
    assert prof.column("rating").source_type == "number"


def test_to_dict_is_json_with_stable_keys(house):
    d = json.loads(json.dumps(house.to_dict()))
    assert list(d["columns"][0]) == COLUMN_KEYS
    assert {"rows", "column_count", "duplicate_rows", "duplicate_examples", "size_bytes",
            "memory_bytes", "encoding", "delimiter", "sheets", "warnings"} <= set(d)
    assert d["column_count"] == 81 and d["encoding"] == "utf-8"


def test_markdown_and_table_forms(house):
    summary = house.summary_markdown()
    assert "1460 rows × 81 columns" in summary and "no duplicate rows" in summary
    md = house.to_markdown()
    assert "| LotFrontage | integer | 0 | 0.0 | 111 | 21 | 313 |" in md
    assert "NA-like: NA ×259" in md
    table = house.column_rows()
    assert list(table.columns)[:3] == ["name", "type", "missing"] and len(table) == 81


def test_headerless_profile_with_schema_names():
    from engine.model import Field, Schema

    schema = Schema([Field(n) for n in ("age", "workclass", "fnlwgt")])
    prof = profile("uci-adult", "adult.data", schema=schema)
    assert [c.name for c in prof.columns[:4]] == ["age", "workclass", "fnlwgt", "column_4"]
    assert prof.column("workclass").na_like == {"?": 123}
    assert prof.column("age").type == "integer" and prof.column("age").min == 17


def test_exact_grouping_agrees_with_hash_grouping():
    """The lexicographic fallback (used only after a hash collision) finds the same groups."""
    from engine.profile.duplicates import _group, _group_exact

    rng = np.random.default_rng(7)
    keys = [rng.integers(-1, 3, 500), rng.integers(0, 2, 500)]
    for order, leader in (_group(keys), _group_exact(keys)):
        pairs = {(int(order[i]), int(order[leader[i]])) for i in range(len(order))}
        assert all(keys[0][a] == keys[0][b] and keys[1][a] == keys[1][b] for a, b in pairs)
        assert sum(a != b for a, b in pairs) == 500 - len({(x, y) for x, y in zip(*keys)})


def test_labels_inside_sav_are_surfaced_as_a_dictionary():
    """data_labels.sav (edge fixture) carries variable and value labels: the profile says so
    and carries them as a Table Schema."""
    from engine.formats import read_dataset

    prof = profile_dataset(read_dataset(fixture_path("edge", "data_labels.sav")))
    d = prof.to_dict()["dictionary"]
    happy = next(f for f in d["fields"] if f["name"] == "happy")
    assert [c["label"] for c in happy["categories"]][:1] and happy["missingValues"]
    assert "carries its own dictionary" in prof.summary_markdown()


@pytest.mark.parametrize("values", [
    np.arange(1, 200_001),                                          # sorted IDs: no sort
    np.repeat(np.arange(100_000), 2),                               # sorted, with repeats
    np.r_[np.arange(1, 100_001), np.arange(1, 100_001)],            # sorted halves
    np.random.default_rng(3).integers(0, 50_000, 200_000),          # narrow: a bincount
    np.random.default_rng(4).integers(-10**12, 10**12, 200_000),    # wide: a sort
    np.random.default_rng(5).permutation(150_000) - 75_000,         # shuffled, negative
    np.array([7, 7, -3]),
])
def test_distinct_ints_agrees_with_numpy_whichever_way_it_counts(values):
    from engine.profile.stats import distinct_ints

    expected = np.unique(values, return_counts=True)
    uniq, counts = distinct_ints(values.copy())
    assert uniq.tolist() == expected[0].tolist()
    assert np.asarray(counts).tolist() == expected[1].tolist()


@pytest.mark.parametrize("fixed", [False, True])
def test_short_strings_count_blanks_as_arrow_does(fixed):
    """The short path counts blank values from the packed distinct values (ASCII), as
    `utf8_is_space or == ""` counts them row by row."""
    from engine.profile.short_text import profile_short_text

    rng = np.random.default_rng(4)
    alphabet = [" ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "a", "0", "\x00", "!"]
    values = ["".join(rng.choice(alphabet, rng.integers(0, 8))) for _ in range(3000)]
    if fixed:
        values = [v.ljust(8)[:8] for v in values]
    col = pa.chunked_array([pa.array(values[:1000]), pa.array(values[1000:])])
    prof, _ = profile_short_text("x", col)
    expected = pc.sum(pc.or_(pc.utf8_is_space(col), pc.equal(col, ""))).as_py()
    assert prof.blank == expected > 0 and prof.distinct == len(set(values))


def test_a_sliced_column_profiles_as_the_same_values_unsliced():
    """Chunks that start inside their buffers (a sliced table) are read at their own offsets."""
    from engine.formats import Dataset
    from engine.profile.short_text import pack

    rng = np.random.default_rng(5)
    codes = [f"{v:05d}" for v in rng.integers(0, 100_000, 60_000)]
    table = pa.table({"zip": codes, "n": [str(v) for v in rng.integers(0, 10**6, 60_000)]})
    sliced, copied = table.slice(7), pa.table(table.slice(7).to_pydict())
    assert sliced.column("zip").chunk(0).offset == 7
    packed, _, lengths = pack(sliced.column("zip"))
    assert lengths == (5, 5) and (packed == pack(copied.column("zip"))[0]).all()
    one, other = (profile_dataset(Dataset(t, "x.csv", "csv")).to_dict() for t in (sliced, copied))
    for d in (one, other):
        d.pop("seconds"), d.pop("memory_bytes")
    assert one == other and one["columns"][0]["distinct"] == len(set(codes[7:]))


def _hash_counts(col: pa.ChunkedArray) -> list[tuple[str, int]]:
    vc = pc.value_counts(col)
    return [(v, c) for v, c in zip(vc.field("values").to_pylist(), vc.field("counts").to_pylist())
            if v is not None]


@pytest.mark.parametrize("width", [1, 2, 3, 4, 6, 8])
def test_codes_of_one_width_count_as_the_hash_counts(width):
    """Codes of one width up to 8 bytes are counted from the buffers (a bincount, or packed
    and sorted): the same values and counts as Arrow's hash, in its first-seen order from 3
    bytes on; nulls, chunks and a sliced chunk change nothing."""
    from engine.profile.short_text import fixed_width_counts

    rng = np.random.default_rng(width)
    pool = ["".join(rng.choice(list("AZaz09_ "), width)) for _ in range(40)]
    values = [None if r < 0.05 else pool[int(r * 1000) % 40] for r in rng.random(30_000)]
    col = pa.chunked_array([pa.array(values[:10_000]), pa.array(values[10_000:]).slice(3)])
    dictionary, counts = fixed_width_counts(col)
    got = list(zip(dictionary.to_pylist(), counts.tolist()))
    expected = _hash_counts(col)
    if width <= 2:   # 1-2 bytes: ordered by code
        got, expected = sorted(got), sorted(expected)
    assert got == expected


def test_codes_beyond_the_first_rows_follow_those_seen_in_them():
    """A code first met after the rows looked at comes after those met in them, by bytes."""
    from engine.profile.short_text import fixed_width_counts

    values = ["B22", "A11"] * 40_000 + ["Z99", "C33", "Z99"]
    dictionary, counts = fixed_width_counts(pa.chunked_array([pa.array(values)]))
    assert dictionary.to_pylist() == ["B22", "A11", "C33", "Z99"]
    assert counts.tolist() == [40_000, 40_000, 1, 2]


@pytest.mark.parametrize("values", [
    ["ab", "abc", "abcd"],                      # widths differ
    ["abcdefghi", "bcdefghij"],                 # longer than a word
])
def test_codes_of_mixed_or_long_widths_are_left_to_the_hash(values):
    from engine.profile.short_text import fixed_width_counts

    assert fixed_width_counts(pa.chunked_array([pa.array(values * 10)])) is None


def test_a_null_slot_holding_bytes_is_left_to_the_hash():
    """A value nulled by if_else keeps its bytes in the buffer: counting the buffer whole
    would count it."""
    from engine.profile.short_text import fixed_width_counts

    col = pa.chunked_array([pa.array(["AAA", "BBB", "CC", "DDD"])])
    nulled = pc.if_else(pc.equal(col, "CC"), pa.scalar(None, pa.string()), col)
    assert nulled.null_count == 1 and fixed_width_counts(nulled) is None


def test_integer_codes_of_one_width_profile_as_the_parsed_integers(tmp_path):
    """Year-like and Likert-like integer columns are counted as codes and parsed once per
    distinct value: the statistics are those of the integers, and the lengths are given."""
    rng = np.random.default_rng(11)
    n = 80_000
    year, q = rng.integers(1950, 2025, n), rng.integers(1, 6, n)
    path = tmp_path / "codes.csv"
    pd.DataFrame({"year": year, "q": q}).to_csv(path, index=False)
    prof = profile_dataset(read_dataset(path))
    for name, values in (("year", year), ("q", q)):
        c = prof.column(name)
        assert c.type == "integer" and c.distinct == len(np.unique(values))
        assert (c.min, c.max, c.p50) == (values.min(), values.max(), np.median(values))
        assert c.mean == pytest.approx(values.mean()) and c.std == pytest.approx(values.std(ddof=1))
        width = len(str(values[0]))
        assert (c.min_length, c.max_length) == (width, width)
        top = max(c.top, key=lambda t: t["count"])
        assert top["count"] == np.bincount(values).max()
