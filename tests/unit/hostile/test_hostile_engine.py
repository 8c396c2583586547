"""Every hostile file through the engine's API: an InputError subclass with the specific message
(or the expected warning), in this process."""

from __future__ import annotations

import json
import re

import pytest

from engine.analyze import analyze_files
from engine.errors import InputError, LimitExceeded, UnsafeContent
from engine.jobs import parse_file, profile_file
from engine.limits import override
from harness.hostile.generators import CASES, wide_csv, xlsx_dictionary_beside_data
from harness.hostile.runner import capped_address_space, hostile


@pytest.fixture(autouse=True)
def _memory_capped():
    """A regression raises MemoryError here rather than taking the machine's memory."""
    with capped_address_space():
        yield


def run_engine(case, files) -> str:
    """Feed the case to the engine; return what it said besides raising (warnings, report)."""
    if case.kind == "parse":
        return "\n".join(parse_file(files[0]).warnings)
    if case.kind == "profile":
        return "\n".join(profile_file(files[0])[1])
    data, dictionary = files
    return json.dumps(analyze_files(data, dictionary).to_dict(), default=str)


@pytest.mark.parametrize("case", [c for c in CASES if not c.warning], ids=lambda c: c.name)
def test_refused_with_a_specific_input_error(case):
    with pytest.raises(InputError) as info:
        run_engine(case, hostile(case.name))
    assert re.search(case.expect, str(info.value)), str(info.value)
    if "CODEBOOK_" in case.expect:
        assert isinstance(info.value, LimitExceeded)
    if "entities" in case.expect:
        assert isinstance(info.value, UnsafeContent)


@pytest.mark.parametrize("case", [c for c in CASES if c.warning], ids=lambda c: c.name)
def test_read_with_a_specific_warning(case):
    assert re.search(case.expect, run_engine(case, hostile(case.name)))


def test_mixed_encoding_is_decoded_part_by_part():
    result = parse_file(hostile("mixed-encoding")[0])
    text = json.dumps(result.schema.to_descriptor(), ensure_ascii=False)
    assert "Café crème" in text and "Crème brûlée" in text and "Ã" not in text


def test_the_cell_bound_is_counted_as_the_sheet_streams():
    """Under a low bound the 6-million-row sheet is refused by its streamed count, not its size."""
    with override(max_cells=1000, max_unzipped_size=1 << 30):
        with pytest.raises(LimitExceeded, match="CODEBOOK_MAX_CELLS"):
            profile_file(hostile("xlsx-many-rows")[0])


def test_the_deep_logic_note_quotes_the_expression_briefly():
    data, dictionary = hostile("deep-logic")
    report = json.dumps(analyze_files(data, dictionary).to_dict(), default=str)
    note = next(m.group() for m in re.finditer(r"branching logic[^\"]*", report))
    assert "CODEBOOK_MAX_LOGIC_DEPTH" in report and len(note) < 400


def test_raising_a_bound_lets_the_file_through(tmp_path):
    small = wide_csv("w.csv", 30)(tmp_path, False)[0]
    with override(max_columns=20):
        with pytest.raises(LimitExceeded, match="30 columns"):
            profile_file(small)
    assert len(profile_file(small)[0].columns) == 30


def test_a_data_sheet_beside_the_dictionary_is_left_out_with_a_warning(tmp_path):
    result = parse_file(xlsx_dictionary_beside_data(tmp_path, False)[0])
    assert len(result.schema.fields) == 38
    assert any("'Data' were not read" in w and "CODEBOOK_MAX_DICTIONARY_CELLS" in w
               for w in result.warnings)
    with pytest.raises(LimitExceeded, match="sheet 'Data'"):
        parse_file(tmp_path / "dictionary_and_data.xlsx", sheet="Data")
