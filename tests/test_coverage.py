"""Coverage: how much of a document the parsed fields account for, and where it is said
(ParseResult.coverage, the CLI's stderr, the app's status line and job details)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from conftest import FIXTURES, fixture_path
from engine.model import Field
from engine.parsers import parse_dictionary
from engine.parsers.coverage import measure, page_ranges
from engine.parsers.doclines import SourceLines

ROOT = Path(__file__).resolve().parent.parent

_spec = importlib.util.spec_from_file_location("doc_make_fixtures",
                                               FIXTURES / "edge" / "doc_make_fixtures.py")
pdfgen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdfgen)

# Two pages of `name: description` entries the rules read, then two pages of numbered
# questions they do not (a codebook's second half in another layout).
READ = [("age", "Age of the respondent in completed years"),
        ("sex", "Sex of the respondent as recorded at the interview"),
        ("region", "Region of residence of the household"),
        ("hhsize", "Number of people living in the household"),
        ("income", "Monthly household income in euros before taxes"),
        ("educ", "Highest level of education the respondent completed"),
        ("employed", "Whether the respondent was in paid work last week"),
        ("tenure", "Whether the dwelling is owned or rented by the household")]
UNREAD = ["How often do you read a newspaper on paper or online?",
          "Which party did you vote for at the last general election?",
          "How much do you trust the national parliament to act fairly?",
          "Did you take part in a lawful public demonstration this year?",
          "How satisfied are you with the state of the economy today?",
          "Would you describe the area where you live as urban or rural?",
          "How many hours a week do you spend caring for relatives?",
          "Have you signed a petition in the last twelve months or not?"]


def _half_read_pdf(path: Path) -> Path:
    pages = []
    for part in (READ[:4], READ[4:]):
        items = [(72, 740 - 30 * k, f"{name}: {desc}") for k, (name, desc) in enumerate(part)]
        pages.append(pdfgen.text_ops(items))
    for part in (UNREAD[:4], UNREAD[4:]):
        items = []
        for k, question in enumerate(part):
            items += [(72, 740 - 50 * k, f"Question {UNREAD.index(question) + 1}"),
                      (90, 725 - 50 * k, question)]
        pages.append(pdfgen.text_ops(items))
    path.write_bytes(pdfgen.pdf_bytes(pages))
    return path


@pytest.fixture
def half_read(tmp_path) -> Path:
    return _half_read_pdf(tmp_path / "survey_codebook.pdf")


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


# ---- where it is said ---------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_warns_on_stderr_and_exits_0(half_read):
    r = _cli("parse", str(half_read))
    assert r.returncode == 0, r.stderr
    assert [f["name"] for f in json.loads(r.stdout)["fields"]] == [name for name, _ in READ]
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == 1
    assert "pages 3-4 (of 4) hold no field" in warnings[0] and "--llm" in warnings[0]


def test_cli_is_quiet_about_a_complete_parse():
    r = _cli("parse", str(fixture_path("house-prices", "data_description.txt")))
    assert r.returncode == 0 and "account for" not in r.stderr


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server.url, verbose=False)


def test_app_job_details_and_status_carry_coverage(client, tmp_path):
    path = fixture_path("jhu-covid-vaccine-hesitancy", "data_dictionary.csv")
    status, _, _, _, _, job = client.predict(handle_file(str(path)), False,
                                             api_name="/parse_dictionary")
    assert job["coverage"]["share"] > 0.95 and job["coverage"]["low"] is False
    assert "account for" in status
    pdf = _half_read_pdf(tmp_path / "survey_codebook.pdf")
    status, table, _, _, _, job = client.predict(handle_file(str(pdf)), False,
                                                 api_name="/parse_dictionary")
    assert len(table["data"]) == len(READ)
    assert job["coverage"]["low"] is True and job["coverage"]["pages_without_fields"] == [3, 4]
    first_line = status.splitlines()[0]
    assert "only" in first_line and "pages 3-4" in first_line and "Refine with LLM" in first_line
