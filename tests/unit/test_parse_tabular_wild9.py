"""engine.parsers.tabular on trimmed copies of real dictionaries (tests/fixtures/wild9, see
tests/fixtures/SOURCES.md): a Markdown grid table with linked code tables under headings, a
`Codes | Values label` sheet, value-label cells holding whole code lists, and a workbook
whose variable sheet names the sheets of its value labels."""

from __future__ import annotations

from harness.fixtures import fixture_path
from engine.formats.markdown.read import load_markdown
from engine.parsers import parse_dictionary
from engine.parsers.tabular.columns import map_header


def parse(name: str):
    return {f.name: f for f in parse_dictionary(fixture_path("wild9", name)).schema.fields}


def codes(field):
    return [(str(c.value), c.label) for c in field.categories]


def test_markdown_grid_table_is_read_and_links_are_their_text():
    text = open(fixture_path("wild9", "var_bbs_trimmed.md"), encoding="utf-8").read()
    doc = load_markdown(text)
    first = doc.tables[0].rows
    assert first[0][:2] == ["Variable", "Designation"]
    assert first[1][:2] == ["*bina*", "Anonymized bank identificaton number"]
    # `[Classification 97](#asset-instrument-classification-1997)`: the link's text
    assert doc.tables[1].rows[3][1] == "Classification 97"


def test_grid_table_fields_and_code_tables_named_by_their_heading():
    fields = parse("var_bbs_trimmed.md")
    assert list(fields) == ["bina", "date", "instrument_asset", "instrument_liab",
                            "counterparty_asset", "counterparty_liab", "country", "inst_type",
                            "value"]
    assert fields["instrument_asset"].title == "Financial instruments: asset side"
    # `## Institution Type` names the field titled `Type of institution`; two label columns
    assert codes(fields["inst_type"])[0] == ("1", "Bancos / Banks")
    # `## Country` names `country`; upper-case letter codes (`UM-PT`, `AUT`) are codes
    country = [v for v, _ in codes(fields["country"])]
    assert country[:5] == ["UM-PT", "PT-UM", "EUB", "AUT", "BEL"] and len(country) == 22
    # a classification table whose heading names no field is left alone
    assert not fields["instrument_asset"].categories


def test_codes_beside_a_values_label_column():
    assert map_header(["Variable identifier ", "Variable description", "Codes", "Values label",
                       "Filter", "Filter labels", "Periodicity"])[0] == {
        "name": 0, "description": 1, "code": 2, "code_label": 3}
    fields = parse("amigo_2023_trimmed.xlsx")
    assert codes(fields["HHTYPE"])[0] == (
        "1", "Person surveyed and living in the same private household")
    # `Blank | Not stated` and `YYYY`, `Not blank` are no codes a data cell holds
    assert [v for v, _ in codes(fields["MODE"])] == ["1", "2", "3", "4", "5", "6"]
    assert not fields["MODE"].missing_values
    assert not fields["REFYEAR"].categories and not fields["HHNUM"].categories
    assert fields["REFWEEK"].constraints == {"minimum": 1, "maximum": 53}
    assert [str(m.value) for m in fields["HHSPOU"].missing_values] == ["99"]


def test_value_label_column_without_codes_holds_each_fields_list():
    assert map_header(["Module", "Varname", "Varlabel", "Value label", "I2D2 Equivalent",
                       "Notes"])[0] == {"section": 0, "name": 1, "title": 2, "values": 3,
                                        "notes": 5}
    fields = parse("gld_dictionary_trimmed.xlsx")
    assert fields["urban"].title == "Binary - Individual in urban area"
    assert codes(fields["urban"]) == [("1", "Urban"), ("0", "Rural")]
    assert codes(fields["marital"])[-1] == ("5", "widowed")
    assert fields["int_month"].constraints == {"minimum": 1, "maximum": 12}
    assert not fields["countrycode"].categories
    # the template sheet's `[Your Text]` row is a blank to fill in, no field
    assert "[Your Text]" not in fields


def test_value_label_sheets_named_by_the_variable_sheet():
    fields = parse("bbs_meta_asset_trimmed.xlsx")
    inst = fields["inst_type"]
    assert codes(inst)[0] == ("1", "1 Banks / 1 Bancos")
    assert len(inst.categories) == 7 and inst.type == "integer"
    assert not fields["instcode"].categories
    # the value-label sheets were read: only the features sheet is reported as unused
    warned = " ".join(parse_dictionary(fixture_path("wild9", "bbs_meta_asset_trimmed.xlsx")
                                       ).warnings)
    assert "data_features_gen" in warned and "vl_INSTITUTION_TYPE" not in warned


def test_markdown_file_of_grid_tables_only(tmp_path):
    # the BPLIM variable spreadsheet's first grid table alone: no pipe table to sniff
    text = open(fixture_path("wild9", "var_bbs_trimmed.md"), encoding="utf-8").read()
    lines = text.split("\n")
    start = next(i for i, x in enumerate(lines) if x.startswith("+"))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    path = tmp_path / "variables.md"
    path.write_text("# Variables\n\n" + "\n".join(lines[start:end]) + "\n", encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert len(fields) == 9 and fields["value"].title == "Amount"


def test_apostrophe_typed_as_a_backtick_in_a_missing_label():
    from engine.parsers.codes.missing import is_missing_label

    # `98 "DON`T KNOW"` in the Malawi NSO LFS household.sps (set 9)
    assert is_missing_label("DON`T KNOW") and is_missing_label("Don´t know")


def test_missing_code_stated_in_a_format_or_source_cell():
    # `FORMATO O FUENTE`: `TEXTO, 99= SE IGNORA` beside the description
    fields = parse("dge_descriptores_trimmed.xlsx")
    assert [(str(m.value), m.label) for m in fields["PAIS_NACIONALIDAD"].missing_values] == [
        ("99", "SE IGNORA")]
    assert [str(m.value) for m in fields["PAIS_ORIGEN"].missing_values] == ["97"]
    # `CATÁLOGO: SEXO`, `AAAA-MM-DD`: no code
    assert not fields["SEXO"].missing_values and not fields["SEXO"].categories
