"""Bracketed notes closing several fields' texts: answer options (`Item 1 [A/B/C/D]`) and score
ranges of open items (`[open: 0-1-2 pts]`); brackets of prose (units, formats, references, a
note on one or two fields) stay text."""

from __future__ import annotations

from engine.model import Field
from engine.parsers import parse_dictionary
from engine.parsers.codes import find_range
from engine.parsers.codes.bracketed import bracketed_notes
from engine.parsers.codes.ranges import score_range

_RD = r"""\docType{data}
\name{testScores}
\title{Test scores}
\format{data frame: 1000 rows, 8 variables}
\description{
Results of a school test.

\bold{Variables:}
\itemize{
  \item{\code{id} pupil id}
  \item{\code{sex} pupil's sex}
  \item{\code{Q1} Item 1 [A/B/C/\bold{D}]}
  \item{\code{Q2} Item 2 [\bold{A}/B/C/D]}
  \item{\code{Q3} Item 3 [A/\bold{B}/C/D]}
  \item{\code{Q4_1} Item 4.1 [open: 0-1-2 pts]}
  \item{\code{Q4_2} Item 4.2 [open: 0-1 pts]}
  \item{\code{Q5} Item 5 [open: 0-1 pts]}
}
}
"""


def _fields(descriptions: dict[str, str]) -> dict[str, Field]:
    fields = [Field(name, description=d) for name, d in descriptions.items()]
    bracketed_notes(fields)
    return {f.name: f for f in fields}


def test_options_and_scores_of_test_items_in_an_rd_itemize(tmp_path):
    path = tmp_path / "testScores.Rd"
    path.write_text(_RD, encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    q1 = fields["Q1"]
    assert q1.description == "Item 1"
    # the key in bold is one of the options, not a code of its own
    assert [(c.value, c.label) for c in q1.categories] == [(v, v) for v in "ABCD"]
    assert q1.type == "string"
    q4 = fields["Q4_1"]
    assert q4.description == "Item 4.1 [open]"
    assert (q4.constraints["minimum"], q4.constraints["maximum"]) == (0, 2)
    assert q4.type == "integer" and not q4.categories
    assert (fields["Q5"].constraints["minimum"], fields["Q5"].constraints["maximum"]) == (0, 1)
    assert fields["sex"].description == "pupil's sex" and not fields["sex"].categories


def test_options_of_other_kinds():
    fields = _fields({"a": "Smokes? [Yes/No]", "b": "Drinks? [Yes/No]", "c": "Eats meat? [Yes/No]",
                      "d": "Rating [1/2/3/4/5]", "e": "Name", "f": "Item 6 [closed: A/B/C]"})
    assert [c.value for c in fields["a"].categories] == ["Yes", "No"]
    assert fields["a"].description == "Smokes?"
    assert [c.value for c in fields["d"].categories] == ["1", "2", "3", "4", "5"]
    assert fields["d"].type == "integer"
    assert fields["f"].description == "Item 6 [closed]"
    assert [c.value for c in fields["f"].categories] == ["A", "B", "C"]


def test_a_note_on_too_few_fields_stays_text():
    fields = _fields({"a": "Item 1 [A/B/C/D]", "b": "Item 2 [A/B/C/D]", "c": "Age in years"})
    assert not fields["a"].categories and fields["a"].description == "Item 1 [A/B/C/D]"


def test_units_formats_and_references_are_no_options():
    fields = _fields({
        "u": "Wind speed east [m/s]", "v": "Wind speed north [m/s]", "w": "Gusts [m/s]",
        "d1": "Start [dd/mm/yyyy]", "d2": "End [dd/mm/yyyy]", "d3": "Birth [dd/mm/yyyy]",
        "r1": "As defined in [12]", "r2": "See [3-5]", "r3": "After [sic]",
        "k1": "Density [kg/m3]", "k2": "Mass [kg/m3]", "k3": "Flux [kg/m3]",
        "x1": "Choice [A/b]", "x2": "Choice [A/b]", "x3": "Choice [A/b]",
        "g1": "Glucose [mg/dl]", "g2": "Urea [mg/dl]", "g3": "Lipids [mmol/l]"})
    assert not any(f.categories or f.constraints for f in fields.values())
    assert fields["u"].description == "Wind speed east [m/s]"


def test_score_ranges_in_words():
    assert score_range("0-1-2 pkt.") == (0, 2)
    assert score_range("0 – 3 Punkte") == (0, 3)
    assert score_range("otwarte: 0-1 pkt.", whole=True) is None
    assert score_range("3-5 points higher than the mean") is None
    assert score_range("2-1 pts") is None  # the scores rise
    assert find_range("Open item, scored 0-1-2 points.") == (0, 2)
    # in running text two numbers may give the scores of the items a total adds up
    assert find_range("Audit C score. Each question is scored from 0-4 points.") is None
    assert find_range("Scored 0-2-4 points.") is None
    assert find_range("0-1-2-3") is None


def test_options_in_words_suit_no_quantity():
    fields = [Field(n, description=f"Item {n} [A/B/C/D]", type=t)
              for n, t in (("a", "any"), ("b", "any"), ("c", "any"), ("d", "number"))]
    bracketed_notes(fields)
    assert fields[0].categories and not fields[3].categories
    assert fields[3].description == "Item d [A/B/C/D]"
