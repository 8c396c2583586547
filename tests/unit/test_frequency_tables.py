"""Frequency tables under a variable (`Category | n`, `Answer | Frequency | Percent`): the
labels are the values and the counts are no codes; summary and statistics tables give no codes
(machine-made Markdown overview in the shape of md-no-moba-far2-barn)."""

from __future__ import annotations

from engine.parsers import ParseContext
from engine.parsers.text import parse_text
from engine.parsers.text.codetables import read_code_table

_DOC = """# survey.sav
- [Q1](survey.md#Q1): Q1:FORM; ; 1. Do you live with the child's mother?
- [Q2](survey.md#Q2): Q2:FORM; ; 2. How often do you talk?
- [Q3](survey.md#Q3): Q3:FORM; (year); 3. Year moved apart
- [Q4](survey.md#Q4): Q4:FORM; ; 4. Number of children

### Q1
Q1:FORM; ; 1. Do you live with the child's mother?

| Category | n |
| -------- | - |
| Yes (go to question 3) | 30256 |
| No, we moved apart | 3817 |
| 0 | 8 |
| NA | 673 |

### Q2
Q2:FORM; ; 2. How often do you talk?

| Category | n |
| -------- | - |
| Daily | 1391 |
| Weekly | 1982 |
| Rarely | 175 |
| NA | 30821 |

### Q3
Q3:FORM; (year); 3. Year moved apart

| Key | Value |
| --- | ----- |
| Min. | 1 |
| 1st Qu. | 2008 |
| Median | 2011 |
| Mean | 2008.93597480976 |
| Max. | 9999 |
| NA's | 30992 |

### Q4
Q4:FORM; ; 4. Number of children

| Category | n |
| -------- | - |
| 1 | 34237 |
| 2 | 561 |
| 3 | 5 |
| NA | 0 |
"""


def _pairs(table):
    return [(c.value, c.label) for c in table.categories]


def test_markdown_frequency_tables_give_label_values(tmp_path):
    path = tmp_path / "survey.md"
    path.write_text(_DOC, encoding="utf-8")
    fields = {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}
    assert [(c.value, c.label) for c in fields["Q1"].categories] == [
        ("Yes (go to question 3)", "Yes (go to question 3)"),
        ("No, we moved apart", "No, we moved apart"), ("0", "0")]
    assert [(c.value, c.label) for c in fields["Q1"].missing_values] == [("NA", None)]
    assert [c.value for c in fields["Q2"].categories] == ["Daily", "Weekly", "Rarely"]
    assert not fields["Q3"].categories and not fields["Q3"].missing_values  # a summary
    assert not fields["Q4"].categories  # observed numbers are no code list


def test_count_and_percent_columns_are_no_codes():
    table = read_code_table([["Answer", "Frequency", "Percent"], ["Yes", "812", "61.2"],
                             ["No", "514", "38.8"], ["Total", "1326", "100"]])
    assert _pairs(table) == [("Yes", "Yes"), ("No", "No")]
    table = read_code_table([["Code", "Label", "Frequency", "%"], ["1", "Yes", "812", "61.2"],
                             ["2", "No", "514", "38.8"], ["Total", "", "1326", "100"]])
    assert _pairs(table) == [("1", "Yes"), ("2", "No")]


def test_statistics_tables_are_no_code_lists():
    assert read_code_table([["Group", "Mean", "SD"], ["Male", "12.3", "2.1"],
                            ["Female", "11.8", "2.4"], ["Other", "10.2", "3.0"]]) is None
    assert read_code_table([["Key", "Value"], ["Min.", "1"], ["Median", "2011"],
                            ["Mean", "2008.9"], ["Max.", "9999"]]) is None
    assert read_code_table([["Statistic", "Estimate"], ["Mean", "4.2"], ["Median", "4"],
                            ["Std. Dev.", "1.1"]]) is None


def test_label_first_code_tables_still_read():
    assert _pairs(read_code_table([["Male", "1"], ["Female", "2"]])) == [("1", "Male"),
                                                                         ("2", "Female")]
    table = read_code_table([["Code", "Label", "N"], ["1", "Yes", "812"], ["2", "No", "514"],
                             ["9", "Missing", "3"]])
    assert _pairs(table) == [("1", "Yes"), ("2", "No")]
    assert [c.value for c in table.missing] == ["9"]
