"""Coverage tells a complete parse from an incomplete one.  What a parser recognised as no
field (REDCap descriptive fields, a table's title and header rows, legends, tables of
statistics) counts as read; text that is no dictionary text (code, BibTeX, references,
explanation around the entries) counts only when read; a table of variables the rules missed,
or variables named in prose, still count as unread and the warning names where they are.
Small hand-written documents."""

from __future__ import annotations

import csv
import io

import docx
import pytest

from engine.parsers import ParseContext, parse_dictionary
from engine.parsers.coverage import measure
from engine.parsers.doctext import not_dictionary_text

# ---- a REDCap dictionary with many descriptive rows ------------------------------------------
_REDCAP_HEADER = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation"]
_CONSENT = {
    "en": ('<div class="rich-text-field-label"><p><span style="font-weight: bold;">Purpose of '
           'the study.</span> You are invited to take part in a research study about {t}. '
           "Taking part is voluntary and you may stop at any time.</p>\n<p>Your answers are "
           "kept confidential and stored on a secure server.</p></div>"),
    "es": ('<div class="rich-text-field-label"><p><b>Propósito del estudio.</b> Le invitamos '
           "a participar en un estudio sobre {t}. La participación es voluntaria.</p>\n<p>Sus "
           "respuestas serán confidenciales.</p></div>"),
    "fr": ('<div class="rich-text-field-label"><p><b>Objet de l\'étude.</b> Vous êtes invité à '
           "participer à une étude sur {t}. La participation est volontaire.</p>\n<p>Vos "
           "réponses resteront confidentielles.</p></div>"),
}
_TOPICS = ["sleep", "nutrition", "physical activity", "stress", "memory", "mood", "pain"]


def _redcap_csv(path, forms: int = 8, texts_per_form: int = 24):
    rows = [_REDCAP_HEADER]
    k = 0
    for form in range(forms):
        name = f"visit_{form}"
        for d in range(texts_per_form):
            text = _CONSENT[("en", "es", "fr")[d % 3]].format(t=_TOPICS[(form + d) % 7])
            rows.append([f"info_{form}_{d}", name, "", "descriptive", text] + [""] * 13)
        for j in range(5):
            k += 1
            topic = _TOPICS[k % 7]
            if j % 2:
                rows.append([f"q{k}_freq", name, "Symptoms" if j == 1 else "", "radio",
                             f"How often did you have {topic} problems in the past week?",
                             "1, Never | 2, Sometimes | 3, Often | 4, Always"] + [""] * 12)
            else:
                rows.append([f"q{k}_days", name, "", "text",
                             f"Number of days with {topic} problems", "", "0 to 7",
                             "integer", "0", "7"] + [""] * 8)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_redcap_descriptive_rows_count_as_read(tmp_path):
    """Consent texts in three languages (HTML, several lines a cell) outnumber the fields'
    rows: they are recognised, and there is no warning."""
    path = _redcap_csv(tmp_path / "DataDictionary.csv")
    result = parse_dictionary(path)
    assert len(result.schema.fields) == 40
    cov = result.coverage
    assert cov.share > 0.95 and not cov.low and cov.warning() is None
    # the same fields without what the reader recognised explain little of the file
    ctx = ParseContext(path=path, filename=path.name)
    bare = measure(ctx.coverage_source, result.schema.fields)
    assert bare.share < 0.3 and bare.low


# ---- a Word codebook: what the table reader recognised, and a table it missed -------------------
_VARS = [("hh_id", "Unique identifier of the household", "string", ""),
         ("region", "Region of residence of the household", "integer", ""),
         ("hh_size", "Number of persons living in the household", "integer", "persons"),
         ("income", "Monthly household income before taxes", "number", "EUR"),
         ("tenure", "Whether the dwelling is owned or rented", "integer", ""),
         ("rooms", "Number of rooms in the dwelling", "integer", "rooms")]
_PERSON = [(f"p_{w}", f"The person's {w} as reported at the interview by the respondent")
           for w in ("age", "sex", "marital", "educ", "employed", "occupation", "industry",
                     "hours", "wage", "health", "disability", "smoker", "drinker", "height",
                     "weight", "bmi", "religion", "language", "born", "citizen")]


def _add_table(d, rows):
    t = d.add_table(rows=0, cols=len(rows[0]))
    for r in rows:
        for c, v in zip(t.add_row().cells, r):
            c.text = v


def _household_docx(path, missed: bool):
    d = docx.Document()
    d.add_heading("Household survey 2023: codebook", 0)
    d.add_paragraph("This codebook describes the household file of the survey. Each row of "
                    "the table below is one variable; the legend after it explains the columns.")
    d.add_heading("Household file", 1)
    _add_table(d, [("HOUSEHOLD FILE (hh.csv)",) * 4,
                   ("Variable", "Description", "Type", "Unit")] + _VARS)
    d.add_heading("Legend", 2)
    _add_table(d, [("Column", "Meaning"), ("Variable", "the name of the variable in the file"),
                   ("Description", "what the variable records"), ("Type", "its storage type"),
                   ("Unit", "the unit of measurement, where there is one")])
    d.add_heading("Frequencies of tenure", 2)
    _add_table(d, [("Tenure", "N", "%"), ("Owned", "1204", "61.3"), ("Rented", "702", "35.7"),
                   ("Other", "59", "3.0"), ("Total", "1965", "100.0")])
    if missed:       # variables laid out across: the rules read no field from it
        d.add_heading("Person file", 1)
        _add_table(d, [tuple(n for n, _ in _PERSON), tuple(t for _, t in _PERSON)])
    d.save(path)
    return path


def test_title_rows_legends_and_statistics_tables_count_as_read(tmp_path):
    result = parse_dictionary(_household_docx(tmp_path / "codebook.docx", missed=False))
    assert result.schema.names == [n for n, *_ in _VARS]        # the legend defines nothing
    assert result.coverage.share > 0.9 and result.coverage.warning() is None


def test_a_table_of_variables_the_rules_missed_is_named(tmp_path):
    result = parse_dictionary(_household_docx(tmp_path / "codebook.docx", missed=True))
    assert result.schema.names == [n for n, *_ in _VARS]
    cov = result.coverage
    assert cov.low and cov.sections_without_fields == ["Person file"]
    assert "'Person file'" in cov.warning()


# ---- reST with citations, Markdown with explanation, and variables left in prose -------------
def _rst_dataset(name: str, columns: list[tuple[str, str]]) -> str:
    rows = "".join(f"   * - :code:`{c}`\n     - {d}\n" for c, d in columns)
    return f"""
{'-' * len(name)}
{name}
{'-' * len(name)}
Measurements of {name.replace('_', ' ')} collected from published experiments and databases.

**Number of entries:** 1200

.. list-table::
   :align: left
   :widths: 20 80
   :header-rows: 1

   * - Column
     - Description
{rows}


**Reference**

Doe, J., Roe, R. and Poe, P. (2019) A database of {name} for machine learning. Journal of
Materials Data 12 (3), 45-67. DOI: 10.1000/jmd.2019.{len(name)}

**Bibtex Formatted Citations**

.. code-block:: text

\t@article{{doe2019{name}, author = {{Doe, John and Roe, Richard and Poe, Peter}}, title = {{A
\tdatabase of {name} for machine learning}}, journal = {{Journal of Materials Data}}, volume =
\t{{12}}, number = {{3}}, pages = {{45-67}}, year = {{2019}}, publisher = {{Data Press}},
\tabstract = {{We collect measurements from hundreds of published experiments and databases and
\tcurate them into a single table with consistent units, identifiers and provenance.}} }}
"""


def test_rst_citations_and_bibtex_are_no_dictionary_text(tmp_path):
    text = "=================\nDataset summaries\n=================\n" + "".join(
        _rst_dataset(n, [("formula", "Chemical formula of the compound"),
                         (f"{n}_value", f"Measured {n.split('_')[0]} value in SI units"),
                         ("structure", "Crystal structure of the compound")])
        for n in ("band_gap", "bulk_modulus", "formation_energy"))
    path = tmp_path / "datasets.rst"
    path.write_text(text, encoding="utf-8")
    result = parse_dictionary(path)
    assert {"formula", "band_gap_value", "structure"} <= set(result.schema.names)
    assert not result.coverage.low and result.coverage.warning() is None


_README = """# Weekly sales forecasting

## Overview

The company runs several hundred stores in four countries. Store managers predict their
weekly sales up to six weeks in advance, and their forecasts vary widely in accuracy. This
project builds one forecasting model per store from the historical sales.

## Data fields

Most fields are self-explanatory. The following are described here.

Store - a unique id for each store
Sales - the turnover for any given day
Customers - the number of customers on a given day
Open - whether the store was open: 0 = closed, 1 = open
Promo - whether the store ran a promotion that day

## Method

We reduced the store series with a singular value decomposition, forecast the leading
components with several models and reconstructed the store forecasts from them. The models
were compared on the mean absolute error of a hold-out window of four weeks.

![model diagram](https://example.org/model.png)

```r
fit <- auto.arima(components[, 1])
forecast(fit, h = 4)
```

## References

Hyndman, R.J. and Athanasopoulos, G. (2021) Forecasting: principles and practice, 3rd
edition, OTexts: Melbourne, Australia.
"""


def test_explanation_around_a_list_of_fields_is_no_warning(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(_README, encoding="utf-8")
    result = parse_dictionary(path)
    assert result.schema.names == ["Store", "Sales", "Customers", "Open", "Promo"]
    assert not result.coverage.low and result.coverage.warning() is None


def test_variables_named_in_prose_still_count_as_unread(tmp_path):
    """A section that names variables in sentences (`dist_km`, `promo2_since`) holds fields
    the rules missed: it is not explanation, and the warning names it."""
    extra = "\n## Competition variables\n\n" + "\n".join(
        f"The variable comp{k}_dist_km gives the distance to competitor number {k} in "
        f"kilometres, and comp{k}_open_since the month it opened; comp{k}_kind tells whether "
        f"it is a discounter, a chain or an independent shop." for k in range(1, 9)) + "\n"
    path = tmp_path / "README.md"
    path.write_text(_README.replace("## Method", extra + "\n## Method"), encoding="utf-8")
    cov = parse_dictionary(path).coverage
    assert cov.low and "'Competition variables'" in cov.warning()


# ---- the rules themselves ----------------------------------------------------------------------
def test_what_is_no_dictionary_text():
    lines = ["# Codebook", "",
             "This file explains the survey. It was collected in 2021 by the institute.", "",
             "age: age of the respondent in years", "sex: sex of the respondent",
             "region: region of residence", "",
             "How often do you read a newspaper on paper or online?", "",
             "```", "df <- read.csv('x.csv')", "```", "",
             "@misc{x2021, title = {Survey},", "  year = {2021}}", "",
             "## How to cite", "", "Institute (2021). The survey. Data archive.", "",
             "## Variables", "", "weight_kg Weight of the respondent in kilograms"]
    found = not_dictionary_text(lines)
    text = {lines[i] for i in found}
    assert "This file explains the survey. It was collected in 2021 by the institute." in text
    assert {"df <- read.csv('x.csv')", "@misc{x2021, title = {Survey},", "  year = {2021}}",
            "Institute (2021). The survey. Data archive."} <= text
    assert not text & {"age: age of the respondent in years", "sex: sex of the respondent",
                       "How often do you read a newspaper on paper or online?",
                       "weight_kg Weight of the respondent in kilograms"}


@pytest.mark.parametrize("heading", ["References", "Referencias", "Références", "Literatur",
                                     "**Bibliografia**", "7. Citation"])
def test_reference_headings_in_five_languages(heading):
    lines = [heading, "", "Doe J (2020) A title. A journal 3: 1-10.", "", "# Data", "",
             "x_1: the first measurement of the series"]
    found = not_dictionary_text(lines)
    assert 2 in found and 6 not in found
