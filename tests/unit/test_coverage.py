"""Coverage: how much of a document the parsed fields account for (ParseResult.coverage);
where it is said (CLI, app) is in tests/integration/test_coverage_said.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.model import Field
from engine.parsers import parse_dictionary
from engine.parsers.coverage import measure, page_ranges
from engine.parsers.doclines import SourceLines
from harness.fixtures import HALF_READ_FIELDS as READ, fixture_path, half_read_pdf


@pytest.fixture
def half_read(tmp_path) -> Path:
    return half_read_pdf(tmp_path / "survey_codebook.pdf")


def test_pages_without_fields_are_named(half_read):
    result = parse_dictionary(half_read)
    assert result.schema.names == [name for name, _ in READ]
    cov = result.coverage
    assert cov.pages == 4 and cov.pages_without_fields == [3, 4]
    assert cov.low and 0.3 < cov.share < 0.6
    assert "pages 3-4 (of 4) hold no field" in cov.warning() and "--llm" in cov.warning()
    d = cov.to_dict()
    assert d["pages_without_fields"] == [3, 4] and d["low"] is True
    assert json.loads(json.dumps(d)) == d


def test_complete_table_dictionary_is_about_one():
    cov = parse_dictionary(fixture_path("jhu-covid-vaccine-hesitancy",
                                        "data_dictionary.csv")).coverage
    assert cov.share > 0.95 and not cov.low and cov.warning() is None
    assert cov.sections_without_fields == [] and cov.pages_without_fields == []


def test_text_dictionary_with_code_lists_is_about_one():
    cov = parse_dictionary(fixture_path("house-prices", "data_description.txt")).coverage
    assert cov.share > 0.95 and not cov.low


def test_few_fields_from_the_first_page_of_many_is_low():
    """The next entries of a list the parser missed do not count as explained by the last
    field it read, though they share the list's words."""
    pages = ["\n".join(f"v{p}{k}: answer to question {k} of part {p} about the household"
                       for k in range(8)) for p in range(8)]
    src = SourceLines(lines=[], units=[], labels=[str(p + 1) for p in range(8)], paged=True)
    for p, page in enumerate(pages):
        lines = page.splitlines()
        src.lines += lines
        src.units += [p] * len(lines)
    first_page = [Field(f"v0{k}", description=f"answer to question {k} of part 0 about the "
                        "household") for k in range(8)]
    cov = measure(src, first_page)
    assert cov.share == pytest.approx(1 / 8) and cov.low
    assert cov.pages_without_fields == [2, 3, 4, 5, 6, 7, 8]
    everything = first_page + [Field(f"v{p}{k}", description=f"answer to question {k} of part "
                                     f"{p} about the household")
                               for p in range(1, 8) for k in range(8)]
    assert measure(src, everything).share == pytest.approx(1.0)


def test_preamble_before_the_fields_is_not_a_warning():
    cov = parse_dictionary(fixture_path("uci-adult", "adult.names")).coverage
    assert cov.share < 0.5                  # the dataset's history and results come first
    assert cov.body_share > 0.9 and not cov.low


def test_binary_and_markup_files():
    sav = parse_dictionary(fixture_path("edge", "data_labels.sav")).coverage
    assert sav.share is None and not sav.low and sav.warning() is None
    ddi3 = parse_dictionary(fixture_path("gss-happiness-extract", "1972_2014.ddi3.xml"))
    assert ddi3.coverage.markup and ddi3.coverage.share < 0.5 and not ddi3.coverage.low


def test_page_ranges():
    assert page_ranges([2, 3, 4, 5, 8, 10, 11]) == "2-5, 8, 10-11"
    assert page_ranges([7]) == "7"
