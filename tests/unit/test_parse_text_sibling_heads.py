"""Names alone on their lines, each followed by a `- description` list item and a `Values:`
line, in the shape of a Word data dictionary: names that are no identifiers (`State codes`,
`Abbrev.Name`) still head fields because they stand where the other heads stand; values in
quotes lose their quotes; a `01|AL|Alabama` code list running on in the last body is kept
whole.  Negative case: a short line above a list item without the shared `Values:` line (a
section title) is no field."""

from __future__ import annotations

from engine.parsers.text import fields_from_lines

_DICTIONARY = """\
Water Quality Data Dictionary
Authors: A. Person, B. Person

Sample Notes
- These notes explain how samples were taken in the field.

Abbrev.Name
- Assigned abbreviated name for the compounds evaluated in the study.
Values:
"PFOA" = Perfluorooctanoic acid
"PFOS" = Perfluorooctane sulfonic acid
ActivityMediaName
- Describes the type sample by matrix in the portal
Values:
“Water”
“Tissue”
ActivityMediaSubdivisionName
- Describes the type of sub-sample within the matrices
Values:
“Surface Water”
Characteristic Name
- Compound identifier name, more than one name per compound
Values:
“PFOA Ion”
“Perfluorooctanoic acid”
“Perfluorooctane sulfonate”
detection_flag
- Adds a flag that says whether the sample was above the detection limit
Values:
“Pass”
“Fail”
EPA_method_flag
- Adds a flag when the sample was not analysed with an approved method
Values:
“Pass”
“Fail”
ResultMeasure.MeasureUnitCode
- Describes the units that all concentration data are reported in
Values:
“UG/KG”
“NG/L”
State codes
- Used to assign a numbered identifier to each state.
Values:
01|AL|Alabama|01779775
02|AK|Alaska|01785533
04|AZ|Arizona|01779777
05|AR|Arkansas|00068085
06|CA|California|01779778
08|CO|Colorado|01779779
09|CT|Connecticut|01779780
10|DE|Delaware|01779781
11|DC|District of Columbia|01702382
12|FL|Florida|00294478
"""


def _fields():
    fields, _ = fields_from_lines(_DICTIONARY.splitlines(), lambda _m: None)
    return {f.name: f for f in fields}


def test_names_that_stand_where_heads_stand_are_heads():
    fields = _fields()
    assert list(fields) == ["Abbrev.Name", "ActivityMediaName", "ActivityMediaSubdivisionName",
                            "Characteristic Name", "detection_flag", "EPA_method_flag",
                            "ResultMeasure.MeasureUnitCode", "State codes"]
    assert fields["Characteristic Name"].description.startswith("Compound identifier name")
    assert "Sample Notes" not in fields  # no `Values:` in its body: a section title


def test_quoted_options_lose_their_quotes():
    codes = [c.value for c in _fields()["Characteristic Name"].categories]
    assert codes == ["PFOA Ion", "Perfluorooctanoic acid", "Perfluorooctane sulfonate"]


def test_a_code_list_running_on_in_the_last_body_is_whole():
    states = _fields()["State codes"].categories
    assert len(states) == 10
    assert (str(states[0].value).lstrip("0"), states[0].label) == ("1", "AL|Alabama|01779775")
