"""Parsers on trimmed copies of real dictionaries of set 11 (tests/fixtures/wild11, see
tests/fixtures/SOURCES.md): a Markdown codebook whose variables carry `**Type:**`,
`**Modalities:**` and `**Guarantees:**` list items, with the codes nested in code spans."""

from __future__ import annotations

from harness.fixtures import fixture_path
from engine.parsers import parse_dictionary


def parse(name: str):
    return {f.name: f for f in parse_dictionary(fixture_path("wild11", name)).schema.fields}


def codes(field):
    return [(str(c.value), c.label) for c in field.categories]


def test_markdown_modalities_in_code_spans_are_codes():
    fields = parse("mobisurvstd_households_trimmed.md")
    assert codes(fields["survey_method"]) == [
        ("face_to_face", "the household was surveyed during a face-to-face meeting"),
        ("phone", "the household was surveyed on the phone")]
    assert codes(fields["home_insee_density"])[:2] == [("1", "commune densément peuplée"),
                                                       ("2", "centre urbain intermédiaire")]
    assert [c.value for c in fields["trips_weekday"].categories] == [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def test_a_wrapped_list_item_is_one_code_label():
    housing = dict(codes(parse("mobisurvstd_households_trimmed.md")["housing_status"]))
    assert housing["owner:ongoing_loan"] == ("the household is owning the housing and is paying "
                                             "loans (\"accédant à la propriété\")")
    assert len(housing) == 10


def test_keyed_list_items_are_no_codes_nor_description():
    fields = parse("mobisurvstd_households_trimmed.md")
    for name in ("sample_weight", "nb_cars", "interview_date", "nb_persons"):
        assert not fields[name].categories, name
    assert fields["nb_cars"].description == "Number of cars owned by the household."
    assert "Type" not in fields["interview_date"].description
    assert "Guarantees" not in fields["survey_method"].description


def test_formats_in_a_label_program_declare_columns():
    fields = parse("ukb_program_trimmed.do")
    assert "n_48_0_0" in fields and fields["n_48_0_0"].type == "number"   # only formatted
    assert codes(fields["n_19_0_0"])[:2] == [("1", "Direct entry"), ("2", "Manual entry")]
    assert fields["ts_53_0_0"].description == "Date of attending assessment centre"
    assert list(fields)[:3] == ["n_19_0_0", "n_21_0_0", "n_21_1_0"]


def test_a_format_in_an_analysis_program_declares_nothing(tmp_path):
    program = tmp_path / "analysis.do"
    program.write_text('use survey, clear\nlabel define yn 1 "Yes" 0 "No"\n'
                       'label values smoker yn\nlabel variable smoker "Smokes"\n'
                       'generate ratio = income / size\nformat %9.2f ratio\n'
                       'regress ratio smoker\n', encoding="utf-8")
    names = [f.name for f in parse_dictionary(str(program)).schema.fields]
    assert names == ["smoker"]


_LABELS = "\n".join(f'lab var q{i:02d}x "Frage {i}"' for i in range(1, 12)) + """
lab var q04bjobloss "Beruf letzte 4 Wochen verloren?"
lab define yesno 0 "Nein" 1 "Ja"
lab val q01x q04bjoblos yesno
"""


def test_an_abbreviated_name_in_label_values_is_the_variable_it_abbreviates(tmp_path):
    # the shape of WZB's corona panel label program: `q04bjoblos` stands for `q04bjobloss`
    program = tmp_path / "labels.do"
    program.write_text(_LABELS, encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(str(program)).schema.fields}
    assert "q04bjoblos" not in fields
    assert codes(fields["q04bjobloss"]) == [("0", "Nein"), ("1", "Ja")]


def test_a_name_only_label_values_gives_stays_its_own_where_few_are_labelled(tmp_path):
    program = tmp_path / "labels.do"
    program.write_text('label define yn 1 "Yes" 0 "No"\nlabel values sex yn\n'
                       'label values smoker yn\nlabel variable sexual "Orientation"\n',
                       encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(str(program)).schema.fields}
    assert {"sex", "smoker", "sexual"} <= set(fields)
    assert not fields["sexual"].categories
