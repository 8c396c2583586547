"""engine.formats: one registry says what a file is; the rules, the LLM's text and the dataset
readers read it through the same format; compressed files are read as the file inside."""

from __future__ import annotations

import asyncio
import bz2
import gzip
import json
import lzma
import tempfile
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from harness.fixtures import fixture_path
from engine.__main__ import main
from engine.errors import EncryptedFile, InputError, LimitExceeded
from engine.formats import by_name, detect, document_text, load_document, read_dataset
from engine.limits import override
from engine.llm import FakeBackend, Limits, LLMService
from engine.pipeline import InlineExecutor, analyze_job, parse_job, profile_job, run_job
from engine.pipeline.steps import load_schema, parse_file

DICTIONARY = b"name,description\nage,Age of the respondent in years\nsex,Sex (1 = male; 2 = female)\n"
DATA = b"age,sex\n34,1\n51,2\n29,1\n"


# ---- what is this file ------------------------------------------------------------------
@pytest.mark.parametrize("folder, name, fmt", [
    ("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf", "pdf"),
    ("ice-covid-outbreaks", "data_dictionary.docx", "docx"),
    ("edge", "data_two_sheets.xlsx", "xlsx"),
    ("edge", "doc_spans.html", "html"),
    ("edge", "doc_pipes.md", "markdown"),
    ("jhu-covid-vaccine-hesitancy", "data_dictionary.csv", "csv"),
    ("house-prices", "data_description.txt", "text"),
    ("edge", "data_types.parquet", "parquet"),
    ("edge", "data_labels.sav", "spss"),
    ("edge", "data_labels.dta", "stata"),
    ("redcap-iedea", "Harmonist0BCodeLists_2017-12-21_1148.REDCap.xml", "xml"),
    ("edge", "general_tableschema.yaml", "yaml"),
    ("edge", "data_records.json", "json"),
])
def test_one_registry_says_what_each_file_is(folder, name, fmt):
    assert detect(fixture_path(folder, name)) is by_name(fmt)


def test_content_wins_over_the_name(tmp_path):
    workbook = tmp_path / "export.csv"                 # an Excel workbook named .csv
    workbook.write_bytes(fixture_path("edge", "data_two_sheets.xlsx").read_bytes())
    assert detect(workbook).name == "xlsx"
    page = tmp_path / "report.xls"                     # a web page named .xls
    page.write_text("<html><body><table><tr><td>a</td></tr></table></body></html>")
    assert detect(page).name == "html"
    assert read_dataset(workbook).format == "xlsx"


# ---- the LLM reads what the rules read ----------------------------------------------------
def _workbook_with_data_first(path: Path) -> Path:
    """A workbook whose first, larger sheet is data and whose second is the dictionary."""
    import openpyxl

    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Data"
    data.append(["age", "sex", "income", "region", "weight"])
    for i in range(60):
        data.append([20 + i % 50, 1 + i % 2, 1000 * i, f"zone{i}", 0.5 + i])
    variables = wb.create_sheet("Variables")
    variables.append(["Variable", "Description", "Values"])
    variables.append(["age", "Age of the respondent in years", ""])
    variables.append(["sex", "Sex of the respondent", "1 = male; 2 = female"])
    variables.append(["income", "Household income in dollars", ""])
    variables.append(["region", "Region of residence", ""])
    wb.save(path)
    return path


def test_the_llm_text_is_the_sheet_the_rules_read(tmp_path):
    path = _workbook_with_data_first(tmp_path / "survey.xlsx")
    result = parse_file(path)
    assert result.sheets == ["Variables"] and result.schema.names[:2] == ["age", "sex"]
    text = document_text(path, sheets=result.sheets)
    assert text.splitlines()[:2] == ["Variable\tDescription\tValues",
                                     "age\tAge of the respondent in years"]
    assert "zone7" not in text
    assert "zone7" in document_text(path, sheet="Data")       # a sheet asked for is read


def test_an_llm_job_sends_the_dictionary_sheet_not_the_larger_data_sheet(tmp_path):
    """The parse job's LLM stage reads the sheet the rules read (it read the largest sheet of
    the workbook before, here the data)."""
    path = _workbook_with_data_first(tmp_path / "survey.xlsx")
    backend = FakeBackend(lambda request: '{"fields": []}')

    async def run():
        llm = LLMService(backend, limits=Limits(concurrency=2, chunk_tokens=400))
        try:
            return [e async for e in parse_job(path, executor=InlineExecutor(), llm=llm,
                                               use_llm=True, outputs=False)]
        finally:
            await llm.aclose()
    events = asyncio.run(run())
    assert type(events[-1]).__name__ == "Final"
    sent = "\n".join(m["content"] for r in backend.history for m in r.messages)
    assert backend.history and "Age of the respondent in years" in sent
    assert "zone7" not in sent


def test_load_schema_reads_the_sheet_asked_for(tmp_path):
    path = _workbook_with_data_first(tmp_path / "survey.xlsx")
    assert load_schema(path, sheet="Variables").names[:2] == ["age", "sex"]
    with pytest.raises(InputError, match="no sheet named 'Nope'"):
        load_schema(path, sheet="Nope")


def test_redcap_workbook_fields_come_from_the_document_tables():
    result = parse_file(fixture_path("edge", "redcap_edge_dictionary.xlsx"))
    assert result.format.startswith("redcap") and len(result.sheets) == 1
    text = document_text(fixture_path("edge", "redcap_edge_dictionary.xlsx"),
                         sheets=result.sheets)
    assert text.startswith("Variable / Field Name\t")


# ---- compressed inputs --------------------------------------------------------------------
def _zstd(data: bytes) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as out:
        out.write(data)
    return sink.getvalue().to_pybytes()


COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress,
               ".zst": _zstd}


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_a_compressed_dictionary_and_dataset_are_read_as_the_file_inside(tmp_path, suffix):
    plain = tmp_path / "dict.csv"
    plain.write_bytes(DICTIONARY)
    packed = tmp_path / f"dict.csv{suffix}"
    packed.write_bytes(COMPRESSORS[suffix](DICTIONARY))
    assert parse_file(packed).schema.to_descriptor() == parse_file(plain).schema.to_descriptor()
    assert document_text(packed) == DICTIONARY.decode()
    data = tmp_path / f"data.csv{suffix}"
    data.write_bytes(COMPRESSORS[suffix](DATA))
    ds = read_dataset(data)
    assert (ds.filename, ds.format, ds.columns, ds.n_rows) == ("data.csv", "csv",
                                                               ["age", "sex"], 3)


def test_a_zip_of_one_file_is_read_and_system_files_are_ignored(tmp_path):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/data.csv", DATA)
        zf.writestr("__MACOSX/export/._data.csv", b"\x00\x05\x16\x07")
        zf.writestr("export/.DS_Store", b"\x00")
    ds = read_dataset(archive)
    assert ds.filename == "data.csv" and ds.column("age").to_pylist() == ["34", "51", "29"]


def test_a_zip_of_several_files_names_them(tmp_path):
    archive = tmp_path / "study.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("codebook.csv", DICTIONARY)
        zf.writestr("data.csv", DATA)
    for read in (parse_file, read_dataset, document_text):
        with pytest.raises(InputError, match=r"study\.zip is a ZIP archive of 2 files "
                                             r"\(codebook\.csv, data\.csv\)"):
            read(archive)


def test_a_password_protected_member_and_a_compressed_file_inside_are_refused(tmp_path):
    archive = tmp_path / "locked.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data.csv", DATA)
    raw = bytearray(archive.read_bytes())
    raw[6] |= 1                          # the local header's "encrypted" flag
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 8] |= 1                # and the central directory's
    archive.write_bytes(bytes(raw))
    with pytest.raises(EncryptedFile, match="password-protected inside the archive"):
        read_dataset(archive)
    twice = tmp_path / "data.csv.gz.gz"
    twice.write_bytes(gzip.compress(gzip.compress(DATA)))
    with pytest.raises(InputError, match="compressed file .* inside a compressed file"):
        read_dataset(twice)


@pytest.mark.parametrize("suffix", [*COMPRESSORS, ".zip"])
def test_a_decompression_bomb_gets_the_bounds_message(tmp_path, suffix):
    zeros = b"0," * 1_500_000              # 3 MB of text that compresses to a few KB
    bomb = tmp_path / f"bomb.csv{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("bomb.csv", zeros)
    else:
        bomb.write_bytes(COMPRESSORS[suffix](zeros))
    assert bomb.stat().st_size < 100_000
    before = _unpacked_dirs()
    with override(max_unzipped_size=1_000_000):
        for read in (parse_file, read_dataset):
            with pytest.raises(LimitExceeded, match="CODEBOOK_MAX_UNZIPPED_SIZE") as info:
                read(bomb)
            assert f"bomb.csv{suffix}: " in str(info.value)
    assert _unpacked_dirs() == before       # the partial file went with its directory


def test_a_zip_member_whose_header_lies_about_its_size_is_still_bounded(tmp_path):
    bomb = tmp_path / "liar.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.csv", b"1," * 1_000_000)
    raw = bytearray(bomb.read_bytes())
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 24:central + 28] = (100).to_bytes(4, "little")   # declared: 100 bytes
    raw[22:26] = (100).to_bytes(4, "little")
    bomb.write_bytes(bytes(raw))
    with override(max_unzipped_size=500_000):
        with pytest.raises(InputError) as info:
            read_dataset(bomb)
    assert "liar.zip" in str(info.value)


def _unpacked_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("codebook-unpacked-*")}


def test_compressed_files_through_the_cli_and_the_jobs(tmp_path, capsys):
    dictionary = tmp_path / "dict.csv.gz"
    dictionary.write_bytes(gzip.compress(DICTIONARY))
    data = tmp_path / "data.csv.xz"
    data.write_bytes(lzma.compress(DATA))
    assert main(["parse", str(dictionary)]) == 0
    assert [f["name"] for f in json.loads(capsys.readouterr().out)["fields"]] == ["age", "sex"]
    assert main(["analyze", str(data), "--dictionary", str(dictionary)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == 3 and not report["dictionary"]["inferred"]
    # the jobs the app runs
    profile = run_job(profile_job(data, executor=InlineExecutor())).value.profile
    assert [c.name for c in profile.columns] == ["age", "sex"]
    analysis = run_job(analyze_job(data, dictionary, executor=InlineExecutor())).value.analysis
    assert analysis.to_dict()["rows"] == 3
    with pytest.raises(InputError):
        load_document(tmp_path / "missing.csv.gz")


def test_the_llm_reads_a_statistical_file_as_the_dictionary_stored_inside():
    """(It was sent the file's bytes decoded as text.)"""
    text = document_text(fixture_path("edge", "data_labels.sav"))
    assert text.splitlines()[:4] == ["id: Respondent id (integer)",
                                     "sex: Sex of respondent (integer)", "  1 = Male",
                                     "  2 = Female"]
