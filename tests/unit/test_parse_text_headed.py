"""Headed property blocks (`name type` then `LABEL value` lines), `Label (name):` and
`Words:` headings over code lines, `name = text` after a code list, a tab lost before a
question, a scale's unlabelled steps, `in whole years`, scale readings that are no codes."""

from __future__ import annotations

from engine.parsers import parse_dictionary
from engine.parsers.codes import find_unit, parse_inline_codes
from engine.parsers.text import fields_from_lines


def _warn(_msg: str) -> None:
    pass


def _by_name(fields):
    return {f.name: f for f in fields}


_INFORMANT = """<html><body><h1>Codebook</h1><table>
<tr><td><p>Table</p><p><strong>INFO</strong></p><p>All data from the ministry</p></td></tr>
<tr><td><p><code>phase</code> <code>character</code></p>
<p><strong>INFO</strong> Budget phase - approved or actual</p></td></tr>
<tr><td><p><code>year</code> <code>integer</code></p></td></tr>
<tr><td><p><code>salaries</code> <code>numeric</code></p>
<p><strong>INFO</strong> Funds for salaries</p>
<p><strong>DETAIL</strong> Gross, without employer contributions</p>
<p><strong>JEDNOTKA</strong> CZK per year</p></td></tr>
<tr><td><p><code>staff</code> <code>numeric</code></p>
<p><strong>INFO</strong> Number of employees, full-time equivalents</p>
<p><strong>JEDNOTKA</strong> persons</p></td></tr>
<tr><td><p><code>salary_index</code> <code>numeric</code></p>
<p><strong>INFO</strong> Index of change between years</p>
<p><strong>SCALE</strong> 1 = no change, &gt; 1 = growth</p></td></tr>
<tr><td><p><code>avg_salary</code> <code>numeric</code></p>
<p><strong>INFO</strong> Average salary</p>
<p><strong>DETAIL</strong> Gross monthly</p>
<p><strong>JEDNOTKA</strong> CZK per month</p>
<p><strong>SOURCE</strong> Statistics office</p></td></tr>
<tr><td><p><code>inflation</code> <code>numeric</code></p>
<p><strong>INFO</strong> Inflation in percent</p>
<p><strong>SCALE</strong> 0 = no inflation, &gt; 0 = prices grow</p>
<p><strong>SOURCE</strong> Derived from the price index</p></td></tr>
<tr><td><p><code>category</code> <code>character</code></p>
<p><strong>INFO</strong> Staff category abbreviation</p>
<p><strong>SCALE</strong> 1 = same as the mean, &gt; 1 = higher</p>
<p><strong>SOURCE</strong> Authors</p></td></tr>
<tr><td>2022-02-03 15:41:41 CET</td></tr>
</table></body></html>
"""


def test_headed_blocks_in_a_one_column_table(tmp_path):
    path = tmp_path / "codebook.html"
    path.write_text(_INFORMANT, encoding="utf-8")
    fields = _by_name(parse_dictionary(path).schema.fields)
    assert list(fields) == ["phase", "year", "salaries", "staff", "salary_index",
                            "avg_salary", "inflation", "category"]
    assert fields["year"].type == "integer" and fields["phase"].type == "string"
    assert fields["salaries"].title == "Funds for salaries"
    assert "Gross, without employer contributions" in fields["salaries"].description
    assert fields["salaries"].unit == "CZK per year"
    assert fields["avg_salary"].unit == "CZK per month"
    # a scale's reading (`1 = no change, > 1 = growth`) is no code list
    assert not fields["salary_index"].categories
    assert not fields["category"].categories


def test_a_scale_key_that_reads_like_codes_in_one_block_gives_a_note(tmp_path):
    # the SCALE key holds no code list in the other blocks: here too it reads the scale
    extra = "".join(
        f"<tr><td><p><code>index_{n}</code> <code>numeric</code></p>"
        f"<p><strong>INFO</strong> Index number {n}</p>"
        f"<p><strong>SCALE</strong> 1 = no change, &gt; 1 = growth</p></td></tr>\n"
        for n in (1, 2))
    extra += "".join(f"<tr><td><p><code>count_{n}</code> <code>integer</code></p>"
                     f"<p><strong>INFO</strong> Count number {n}</p></td></tr>\n"
                     for n in range(1, 7))
    extra += ("<tr><td><p><code>real_growth</code> <code>numeric</code></p>"
             "<p><strong>INFO</strong> Growth of the real salary since 2003</p>"
             "<p><strong>SCALE</strong> 0 = no change, 1 = growth of 100 %</p></td></tr>\n"
             "<tr><td>2022-02-03")
    path = tmp_path / "codebook.html"
    path.write_text(_INFORMANT.replace("<tr><td>2022-02-03", extra), encoding="utf-8")
    fields = _by_name(parse_dictionary(path).schema.fields)
    growth = fields["real_growth"]
    assert not growth.categories
    assert growth.extras["notes"] == "SCALE: 0 = no change, 1 = growth of 100 %"
    assert growth.description == "Growth of the real salary since 2003"


def test_scale_reading_is_no_inline_code_list():
    assert parse_inline_codes("1 = no change, > 1 = growth of the budget") == []
    assert len(parse_inline_codes("1 = no change, 2 = growth")) == 2


def test_two_points_of_a_continuous_scale_are_no_codes():
    # `0.01 = 1 % growth` reads the scale of a rate; a pair of codes is two integers or words
    assert parse_inline_codes("Scale: 0 = no change, 0.01 = growth of 1 %") == []
    assert len(parse_inline_codes("0 = no change, 1 = growth")) == 2
    assert len(parse_inline_codes("1.0 = no, 2.0 = yes")) == 2
    assert len(parse_inline_codes("0 = none, 0.5 = half, 1 = all")) == 3


_PARAGRAPHS = """\
CLRTI: Variable defining a complicated LRTI (0=No, 1=Yes)
Previous_CLRTI: Whether previously hospitalized (0=No, 1=Yes)

Sex:
1 = Male
2 = Female

Welvaart = SES: financial prosperity on household level based on income and wealth.
Welvaart_q: Welvaart categorized into quintiles.
1 = highest
2 = lowest

Migration background:
1 = the Netherlands
2 = Europe

Household Composition (huishouden):
1 = One-person household
2 = Couple

Weight (kg):
1 = light
2 = heavy

Response options:
1 = yes
2 = no

Years_since: The amount of years since the last LRTI, in whole years.
"""


def test_label_name_and_word_headings_over_codes():
    fields, _ = fields_from_lines(_PARAGRAPHS.splitlines(), _warn)
    by = _by_name(fields)
    assert [(c.value, c.label) for c in by["Sex"].categories] == [("1", "Male"), ("2", "Female")]
    assert by["Welvaart"].description.startswith("SES: financial prosperity")
    assert len(by["Migration background"].categories) == 2
    assert by["huishouden"].title == "Household Composition"
    assert len(by["huishouden"].categories) == 2
    # a unit in brackets and a heading over a list of codes name no variable
    assert "kg" not in by and "Response options" not in by
    assert by["Years_since"].unit == "years"


def test_in_whole_years_is_a_unit():
    assert find_unit("The amount of years since the last event, in whole years.") == "years"
    assert find_unit("Age in completed years") == "years"
    assert find_unit("written in full sentences") is None


_TABBED = [
    "age\tWhat is your age?",
    "sex\tWhat is your gender?",
    "\t\t\t1.\tWoman",
    "\t\t\t2.\tMan",
    "race\tWhat race are you?",
    "\t\t\t1.\tWhite",
    "\t\t\t2.\tOther, specify",
    "",
    "otherrace_text [Generated] Text if answered 2. to race.",
    "",
    "c_competent\tHow competent is this student?",
    "\t\t\t1.\tNot at all competent",
    "\t\t\t2. \t",
    "\t\t\t3.",
    "\t\t\t4.\t",
    "\t\t\t5.\tVery competent",
    "",
    "",
    "",
    "",
    "",
    "",
    "odd\tDid anything seem odd?",
    "comment\tLAST QUESTION",
    "\t\tAny final comments?",
]


def test_tabbed_questionnaire_space_name_scale_steps_and_blank_paragraphs():
    fields, _ = fields_from_lines(_TABBED, _warn)
    by = _by_name(fields)
    assert "otherrace_text" in by
    assert "odd" in by and "comment" in by
    steps = [(str(c.value).rstrip("."), c.label) for c in by["c_competent"].categories]
    assert steps == [("1", "Not at all competent"), ("2", "2"), ("3", "3"), ("4", "4"),
                     ("5", "Very competent")]
