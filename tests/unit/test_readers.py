"""engine.formats (datasets): datasets read as written, from the real corpus and small edge files.

Edge files used here (tests/fixtures/edge/):
- data_semicolon_cp1252.csv  semicolon-separated, Windows-1252 accents, decimal commas, "007"
- data_pipe.txt              pipe-separated text with an empty cell
- data_ragged.csv            one short row and one long row
- data_quoted_newline.csv    a quoted value with a line break, a comma and doubled quotes
- data_utf16.tsv             UTF-16 with BOM, tab-separated
- data_blank_lines.csv       nothing but blank lines
- data_records.json / data_columns.json / data_wrapped.json / data_lines.jsonl / data_bad.json
- data_two_sheets.xlsx       an empty first sheet, the data on "Data", a third sheet
- data_encrypted.xlsx        an OLE container with an EncryptionInfo stream (password-protected)
- data_corrupt.parquet, data_corrupt.xlsx   files that only start like their format
- data_types.parquet, data_labels.sav, data_labels.dta, data_small.xpt (data_make_fixtures.py)
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from harness.fixtures import fixture_path
from engine.errors import EncryptedFile, InputError, UnsupportedFormat
from engine.model import Category, Field, Schema
from engine.formats import read_dataset

ADULT = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
         "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
         "hours-per-week", "native-country", "class"]
GSS = ["YEAR", "ID_", "EDUC", "INCOME06", "HAPPY", "HAPMAR", "HAPCOHAB", "JOBMEANS", "DEPRESS"]


def rows(ds, column):
    return ds.column(column).to_pylist()


def edge(name):
    return fixture_path("edge", name)


# ---- delimited text from the corpus -----------------------------------------------------------
def test_country_codes_keep_na_and_leading_zeros():
    ds = read_dataset(fixture_path("country-codes", "country-codes.csv"))
    assert (ds.format, ds.delimiter, ds.header, ds.encoding) == ("csv", ",", True, "utf-8")
    assert ds.n_rows == 249 and len(ds.columns) == 56
    assert ds.columns[:3] == ["FIFA", "Dial", "ISO3166-1-Alpha-3"]
    by_alpha3 = {r["ISO3166-1-Alpha-3"]: r for r in ds.table.to_pylist()}
    assert by_alpha3["NAM"]["ISO3166-1-Alpha-2"] == "NA"          # Namibia, not missing
    assert by_alpha3["NAM"]["ISO4217-currency_numeric_code"] == "516,710"
    assert by_alpha3["ALB"]["ISO4217-currency_numeric_code"] == "008"  # leading zeros kept
    assert by_alpha3["ALB"]["ISO3166-1-numeric"] == "8"
    assert rows(ds, "Continent").count("NA") == 41                   # North America
    assert rows(ds, "FIFA").count("\u00a0") == 2                     # a lone no-break space stays
    assert all(t == pa.string() for t in ds.table.schema.types)


def test_college_scorecard_bom_null_tokens_and_zip_codes():
    ds = read_dataset(fixture_path("college-scorecard", "College-scorecard-reduced.csv"))
    assert ds.encoding == "utf-8-sig" and ds.columns[0] == "UNITID"
    assert ds.n_rows == 1000 and len(ds.columns) == 60
    zips = rows(ds, "ZIP")
    assert zips[:2] == ["35762", "35294-0110"]
    assert rows(ds, "ACTWRMID")[0] == "NULL"
    assert rows(ds, "DEBT_MDN").count("PrivacySuppressed") == 147


def test_buildings_cp1252_and_comma_in_header():
    ds = read_dataset(fixture_path("material-intensity-buildings", "buildings.csv"))
    assert ds.encoding == "cp1252" and ds.n_rows == 910 and len(ds.columns) == 85
    assert ds.columns[66] == "Notes, population_0"
    assert "Fernández, John E." in rows(ds, "authors")
    assert rows(ds, "construction_period_start")[0] == "NA"


def test_invalid_utf8_bytes_are_replaced_with_a_warning():
    ds = read_dataset(fixture_path("fivethirtyeight-primary-candidates-2018", "rep_candidates.csv"))
    assert ds.encoding == "utf-8" and ds.n_rows == 774
    names = rows(ds, "Candidate")
    assert "Rocky Ch\ufffd\ufffdvez" in names
    assert "Cristina Osme\u0331a" in names          # the valid UTF-8 around it is kept
    assert len(ds.warnings) == 1 and "not valid UTF-8" in ds.warnings[0]


def test_uci_adult_headerless_with_names_and_types_from_schema():
    types = {"age": "integer", "fnlwgt": "integer", "education-num": "integer",
             "capital-gain": "integer", "capital-loss": "integer", "hours-per-week": "integer"}
    schema = Schema([Field(n, type=types.get(n, "string")) for n in ADULT], missing_values=["?"])
    ds = read_dataset(fixture_path("uci-adult", "adult.data"), schema=schema)
    assert ds.header is False and ds.columns == ADULT
    assert ds.n_rows == 2000                                  # the final blank line is ignored
    assert ds.table.schema.field("age").type == pa.int64()
    assert ds.table.schema.field("workclass").type == pa.string()
    first = ds.table.slice(0, 1).to_pylist()[0]
    assert first["age"] == 39 and first["workclass"] == "State-gov"   # ", " separators trimmed
    assert first["class"] == "<=50K"
    assert rows(ds, "workclass").count("?") == 123            # string fields keep "?" as written


def test_uci_adult_without_schema_gets_generic_names():
    ds = read_dataset(fixture_path("uci-adult", "adult.data"))
    assert ds.header is False and ds.columns[0] == "column_1" and len(ds.columns) == 15
    assert rows(ds, "column_1")[:2] == ["39", "50"]


def test_schema_with_fewer_fields_names_extra_columns_and_warns():
    schema = Schema([Field("a"), Field("b")])
    ds = read_dataset(fixture_path("uci-adult", "adult.data"), schema=schema)
    assert ds.columns[:3] == ["a", "b", "column_3"]
    assert "2 fields but the data has 15 columns" in ds.warnings[0]


def test_german_credit_space_separated():
    ds = read_dataset(fixture_path("german-credit", "german.data"))
    assert ds.delimiter == " " and ds.n_rows == 1000 and len(ds.columns) == 21
    assert ds.table.slice(0, 1).to_pylist()[0]["column_1"] == "A11"
    assert rows(ds, "column_21")[:2] == ["1", "2"]


def test_gss_fixed_width_cut_at_schema_positions():
    schema = Schema([Field(n, type="integer",
                           extras={"position": {"start": 1 + 20 * i, "end": 20 * (i + 1)}})
                     for i, n in enumerate(GSS)])
    ds = read_dataset(fixture_path("gss-happiness-extract", "GSS.dat"), schema=schema)
    assert ds.format == "fixed-width" and ds.columns == GSS and ds.n_rows == 2538
    assert ds.table.slice(0, 1).to_pylist()[0] == {
        "YEAR": 2014, "ID_": 1, "EDUC": 16, "INCOME06": 21, "HAPPY": 1, "HAPMAR": 0,
        "HAPCOHAB": 0, "JOBMEANS": 0, "DEPRESS": 2}
    assert ds.warnings == []


def test_gss_fixed_width_as_strings_when_untyped():
    schema = Schema([Field(n, extras={"position": {"start": 1 + 20 * i, "width": 20}})
                     for i, n in enumerate(GSS)])
    ds = read_dataset(fixture_path("gss-happiness-extract", "GSS.dat"), schema=schema)
    assert rows(ds, "HAPPY")[:3] == ["1", "1", "3"]


def test_gss_without_positions_splits_on_blanks():
    ds = read_dataset(fixture_path("gss-happiness-extract", "GSS.dat"))
    assert ds.format == "whitespace" and ds.header is False
    assert len(ds.columns) == 9 and ds.n_rows == 2538
    assert ds.table.slice(2, 1).to_pylist()[0]["column_3"] == "13"


def test_heart_disease_declared_missing_tokens_become_null():
    names = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
             "oldpeak", "slope", "ca", "thal", "num"]
    fields = [Field(n, type="number" if n == "oldpeak" else "integer",
                    missing_values=[Category("?")] if n in ("ca", "thal") else [])
              for n in names]
    ds = read_dataset(fixture_path("uci-heart-disease", "processed.cleveland.data"),
                      schema=Schema(fields))
    assert ds.table.schema.field("cp").type == pa.int64()      # "1.0" read as 1
    assert rows(ds, "cp")[:3] == [1, 4, 4]
    assert ds.missing_tokens == {"ca": {"?": 4}, "thal": {"?": 2}}
    assert ds.column("ca").null_count == 4


def test_undeclared_token_keeps_the_column_as_text_and_says_why():
    names = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
             "oldpeak", "slope", "ca", "thal", "num"]
    ds = read_dataset(fixture_path("uci-heart-disease", "processed.cleveland.data"),
                      schema=Schema([Field(n, type="integer") for n in names]))
    assert ds.table.schema.field("ca").type == pa.string()
    assert any("Column 'ca' is declared integer" in w and "'?'" in w for w in ds.warnings)
    assert any("Column 'oldpeak'" in w and "'2.3'" in w for w in ds.warnings)


def test_typed_false_keeps_text_even_with_a_schema():
    schema = Schema([Field(n, type="integer") for n in ADULT])
    ds = read_dataset(fixture_path("uci-adult", "adult.data"), schema=schema, typed=False)
    assert ds.columns == ADULT and rows(ds, "age")[0] == "39"


def test_header_detected_when_first_row_matches_schema_names():
    schema = Schema([Field("Id"), Field("MSSubClass"), Field("LotFrontage")])
    ds = read_dataset(fixture_path("house-prices", "train.csv"), schema=schema)
    assert ds.header is True and ds.columns[:2] == ["Id", "MSSubClass"] and ds.n_rows == 1460


def test_explicit_header_and_delimiter_options():
    ds = read_dataset(fixture_path("house-prices", "train.csv"), header=False, delimiter=",")
    assert ds.n_rows == 1461 and rows(ds, "column_1")[0] == "Id"


# ---- edge text files --------------------------------------------------------------------------
def test_semicolon_cp1252_file():
    ds = read_dataset(edge("data_semicolon_cp1252.csv"))
    assert (ds.delimiter, ds.encoding) == (";", "cp1252")
    assert rows(ds, "name") == ["José", "Anna", "Zoë"]
    assert rows(ds, "amount") == ["1,5", "2,25", None]
    assert rows(ds, "code") == ["007", "010", "NA"]


def test_pipe_separated_text_with_empty_cell():
    ds = read_dataset(edge("data_pipe.txt"))
    assert ds.delimiter == "|" and rows(ds, "label") == ["alpha", "beta gamma", None]


def test_ragged_rows_are_padded_and_extra_cells_kept():
    ds = read_dataset(edge("data_ragged.csv"))
    assert ds.columns == ["a", "b", "c", "column_4"]
    assert rows(ds, "c") == ["3", None, "8", "12"]
    assert rows(ds, "column_4") == [None, None, "9", None]
    assert any("fewer than 3 values" in w for w in ds.warnings)
    assert any("more than 3 values" in w for w in ds.warnings)


def test_quoted_newline_comma_and_quotes():
    ds = read_dataset(edge("data_quoted_newline.csv"))
    assert rows(ds, "note") == ["first line\nsecond line", "plain, with comma", 'say "hi"']
    assert rows(ds, "value") == ["10", "20", "30"]


def test_utf16_tab_separated():
    ds = read_dataset(edge("data_utf16.tsv"))
    assert (ds.format, ds.encoding) == ("tsv", "utf-16")
    assert ds.table.to_pylist() == [{"x": "ä", "y": "1"}, {"x": "b", "y": "2"}]


def test_to_pandas_keeps_strings_as_written():
    df = read_dataset(fixture_path("country-codes", "country-codes.csv")).to_pandas()
    assert df.loc[df["ISO3166-1-Alpha-3"] == "NAM", "ISO3166-1-Alpha-2"].item() == "NA"


# ---- other formats ----------------------------------------------------------------------------
def test_json_records_columns_wrapped_and_lines():
    recs = read_dataset(edge("data_records.json"))
    assert recs.columns == ["id", "name", "tags", "score", "ok", "extra"]
    assert rows(recs, "name") == ["Ann", "NA", "0123"]
    assert rows(recs, "tags") == ['["a", "b"]', None, None]
    assert recs.source_types == {"id": "integer", "name": "string", "tags": "string",
                                 "score": "number", "ok": "boolean", "extra": "string"}
    cols = read_dataset(edge("data_columns.json"))
    assert rows(cols, "mixed") == ["1", "two", "3.5"] and rows(cols, "code")[2] is None
    assert read_dataset(edge("data_wrapped.json")).table.to_pylist() == [
        {"k": "a", "v": 1}, {"k": "b", "v": 2}]
    lines = read_dataset(edge("data_lines.jsonl"))
    assert lines.format == "jsonl" and rows(lines, "v") == [1, 2, None]


def test_xlsx_first_non_empty_sheet_and_sheet_choice():
    ds = read_dataset(edge("data_two_sheets.xlsx"))
    assert ds.sheet == "Data" and ds.sheets == ["Notes", "Data", "Other"]
    assert "3 sheets" in ds.warnings[0] and "Other" in ds.warnings[0]
    assert rows(ds, "zip") == [35762, 2134, 94305]
    assert rows(ds, "mixed") == ["1", "NA", "x"]               # mixed types read as text
    assert ds.source_types["opened"] == "datetime" and ds.source_types["rating"] == "number"
    other = read_dataset(edge("data_two_sheets.xlsx"), sheet="Other")
    assert other.table.to_pylist() == [{"a": 1, "b": 2}] and other.warnings == []
    with pytest.raises(InputError, match="no sheet named 'Nope'.*Notes, Data, Other"):
        read_dataset(edge("data_two_sheets.xlsx"), sheet="Nope")


def test_xlsx_string_field_in_schema_reads_numbers_as_text():
    schema = Schema([Field("zip", type="string")])
    ds = read_dataset(edge("data_two_sheets.xlsx"), schema=schema)
    assert rows(ds, "zip") == ["35762", "2134", "94305"]


def test_parquet_types_as_stored():
    ds = read_dataset(edge("data_types.parquet"))
    assert ds.format == "parquet"
    assert rows(ds, "code") == ["0123", "NA", None, "0456"]
    assert ds.source_types == {"id": "integer", "score": "number", "code": "string",
                               "flag": "boolean", "day": "date"}


def test_spss_values_as_stored_and_labels_kept():
    ds = read_dataset(edge("data_labels.sav"))
    assert ds.format == "spss-sav" and ds.n_rows == 6
    assert rows(ds, "happy") == [1.0, 2.0, 3.0, 8.0, 9.0, 2.0]   # user-missing codes kept
    happy = ds.labels.field("happy")
    assert happy.description == "General happiness"
    assert [c.value for c in happy.missing_values] == ["8", "9"]
    assert ds.source_types["name"] == "string" and ds.source_types["visit"] == "date"


def test_stata_and_sas_transport():
    dta = read_dataset(edge("data_labels.dta"))
    assert dta.format == "stata-dta" and dta.labels.field("sex").categories[0].label == "Male"
    xpt = read_dataset(edge("data_small.xpt"))
    assert xpt.format == "sas-xpt" and rows(xpt, "SUBJID") == ["S01", "S02", "S03"]
    assert xpt.labels.field("WEIGHT").description == "Weight (kg)"


# ---- errors -----------------------------------------------------------------------------------
def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv is empty"):
        read_dataset(empty)
    with pytest.raises(InputError, match="File not found"):
        read_dataset(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="only blank lines"):
        read_dataset(edge("data_blank_lines.csv"))


def test_unknown_extension(tmp_path):
    odd = tmp_path / "data.pdf"
    odd.write_bytes(b"%PDF-1.4")
    with pytest.raises(UnsupportedFormat, match="'.pdf' are not supported as a dataset"):
        read_dataset(odd)


def test_broken_files_say_what_is_wrong():
    with pytest.raises(EncryptedFile, match="password-protected"):
        read_dataset(edge("data_encrypted.xlsx"))
    with pytest.raises(InputError, match="is not a valid Parquet file"):
        read_dataset(edge("data_corrupt.parquet"))
    with pytest.raises(InputError, match="is not a valid Excel workbook"):
        read_dataset(edge("data_corrupt.xlsx"))
    with pytest.raises(InputError, match=r"not valid JSON \(line 2"):
        read_dataset(edge("data_bad.json"))


def test_corrupt_statistical_file(tmp_path):
    bad = tmp_path / "broken.sav"
    bad.write_bytes(b"$FL2" + b"\x00" * 100)
    with pytest.raises(InputError, match="could not be read as an SPSS .sav file"):
        read_dataset(bad)


def test_large_generated_csv_reads_as_strings(tmp_path):
    """A few hundred thousand rows go through the multi-threaded reader (several blocks)."""
    path = tmp_path / "big.csv"
    n = 80_000
    with path.open("w") as fh:
        fh.write("id,code,value\n")
        fh.writelines(f"{i},{i % 7:03d},{i * 0.5}\n" for i in range(n))
    ds = read_dataset(path)
    assert ds.n_rows == n and ds.column("code").num_chunks > 1
    assert rows(ds, "code")[:3] == ["000", "001", "002"]
    assert pc.count_distinct(ds.column("code")).as_py() == 7


def test_xls_name_on_xlsx_content_and_damaged_xls(tmp_path):
    misnamed = tmp_path / "data.xls"
    misnamed.write_bytes(edge("data_two_sheets.xlsx").read_bytes())
    ds = read_dataset(misnamed)
    assert ds.format == "xlsx" and ds.sheet == "Data"
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match="broken.xls is not a valid Excel 97-2003 workbook"):
        read_dataset(broken)


def test_xls_cell_values():
    """.xls cells as xlrd gives them: whole numbers, dates, booleans, errors."""
    import datetime as dt

    import xlrd

    from engine.formats.sheets.data import _xls_value

    class Cell:
        def __init__(self, ctype, value):
            self.ctype, self.value = ctype, value

    assert _xls_value(Cell(xlrd.XL_CELL_NUMBER, 35762.0), 0) == 35762
    assert _xls_value(Cell(xlrd.XL_CELL_NUMBER, 4.5), 0) == 4.5
    assert _xls_value(Cell(xlrd.XL_CELL_DATE, 45292.0), 0) == dt.datetime(2024, 1, 1)
    assert _xls_value(Cell(xlrd.XL_CELL_BOOLEAN, 1), 0) is True
    assert _xls_value(Cell(xlrd.XL_CELL_ERROR, 0x2A), 0) == "#N/A"
    assert _xls_value(Cell(xlrd.XL_CELL_EMPTY, ""), 0) is None
