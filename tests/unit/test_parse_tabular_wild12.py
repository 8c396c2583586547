"""A sheet with a list of variables, then, below blank and title rows, a table of their codes
whose name appears on the first row of each variable only (trimmed from the Instituto Nacional
de Estadística de Guatemala's ENEI workbook, set 12 case xlsx-es-ine-guatemala-enei-variables):
the code table's header is a header though its name cell has a typo (`NOMBRE DE LA VARIBLE`),
and `ETIQUETA` right of `VALOR` labels the codes."""

from __future__ import annotations

from harness.fixtures import fixture_path
from engine.parsers import parse_dictionary
from engine.parsers.tabular.columns import header_rows, map_header


def _fields():
    result = parse_dictionary(fixture_path("wild12/ine_gt_enei_personas_trimmed.xlsx"))
    return {f.name: f for f in result.schema.fields}


def _codes(field):
    return [(str(c.value), c.label) for c in field.categories]


def test_a_label_header_right_of_a_value_header_labels_the_codes():
    roles, _ = map_header(["NOMBRE DE LA VARIABLE", "VALOR ", "ETIQUETA"])
    assert (roles["code"], roles["code_label"]) == (1, 2)


def test_a_later_header_with_a_misspelt_name_cell_starts_a_table():
    names = [[f"PPA{k:02d}", f"PREGUNTA {k}", ""] for k in range(30)]
    rows = [["VARIABLE", "ETIQUETA", ""], *names, ["", "", ""],
            ["NOMBRE DE LA VARIBLE", "VALOR", "ETIQUETA"], ["PPA02", "1", "Hombre"],
            ["", "2", "Mujer"]]
    assert [h.row for h in header_rows(rows)] == [0, 32]


def test_the_code_table_gives_each_variable_its_codes_and_labels():
    fields = _fields()
    assert _codes(fields["DOMINIO"]) == [
        ("1", "Urbano Metropolitano"), ("2", "Resto Urbano"), ("3", "Rural Nacional")]
    assert _codes(fields["PPA02"]) == [("1", "Hombre"), ("2", "Mujer")]
    assert fields["PPA02"].title == "SEXO" or fields["PPA02"].description == "SEXO"
    missing = fields["P03D04"].missing_values
    assert [str(c.value) for c in missing] == ["3"]


def test_code_list_labelled_in_parentheses_keeps_bare_middle_codes():
    # IPEA aopdata dictionary: `1 (pobres), 2, 3, 4, 5 (ricos)`; `1 (pico); 0 (fora pico)`
    from engine.parsers.tabular import codecells as CC
    got = CC.cell_codes("1 (pobres), 2, 3, 4, 5 (ricos)")
    assert [c.value for c in got] == ["1", "2", "3", "4", "5"]
    assert got[0].label == "pobres" and got[-1].label == "ricos"
    got = CC.cell_codes("1 (pico); 0 (fora pico)")
    assert [(c.value, c.label) for c in got] == [("1", "pico"), ("0", "fora pico")]
