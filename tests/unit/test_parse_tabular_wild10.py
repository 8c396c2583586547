"""engine.parsers.tabular on trimmed copies of real dictionaries (tests/fixtures/wild10, see
tests/fixtures/SOURCES.md): a record design whose variable sheet names code lists printed as
named blocks on other sheets."""

from __future__ import annotations

from harness.fixtures import fixture_path
from engine.parsers import parse_dictionary


def parse(name: str):
    return {f.name: f for f in parse_dictionary(fixture_path("wild10", name)).schema.fields}


def codes(field):
    return [(str(c.value), c.label) for c in field.categories]


def missing(field):
    return sorted(str(m.value if hasattr(m, "value") else m) for m in field.missing_values)


def test_named_code_lists_on_other_sheets_are_the_fields_codes():
    fields = parse("ine_eese2020_trimmed.xlsx")
    assert list(fields)[:3] == ["CCAA", "IDENTHOGAR", "A7_2a"]
    # `TCCAA` is the first block of `Tablas1`, under a note row
    assert codes(fields["CCAA"])[:2] == [("01", "Andalucía"), ("02", "Aragón")]
    assert codes(fields["SEXOa"]) == [("1", "Hombre"), ("2", "Mujer")]
    # one list shared by two variables
    assert codes(fields["E1_1"])[:2] == codes(fields["E1C"])[:2] == [
        ("1", "Nacidos en España"), ("2", "Nacidos en el extranjero")]
    assert missing(fields["PROXY_0"]) == ["8", "9"]
    # a list of missing codes only, on another sheet
    assert missing(fields["EDADa"]) == ["998", "999"]
    # no list named: no codes
    assert not fields["IDENTHOGAR"].categories and not fields["A7_2a"].categories


def test_variable_rows_followed_by_code_rows_without_a_header():
    fields = parse("unipark_codebook_trimmed.xlsx")
    assert list(fields)[:6] == ["p_0001", "v_175", "v_176", "v_237", "v_1", "v_2"]
    # title rows (`Datum | …`) and filter rows (`Filter | (v_176 = '1')`) are no fields
    assert "Datum" not in fields and "Filter" not in fields
    assert fields["v_2"].description == "Geschlecht"
    assert codes(fields["v_2"]) == [("1", "Weiblich"), ("2", "Männlich"), ("3", "Divers")]
    assert codes(fields["v_154"]) == [("0", "not quoted"), ("1", "quoted")]
    assert fields["v_1"].description == "Alter" and not fields["v_1"].categories
    assert codes(fields["v_135"])[0][0] == "1" and len(fields["v_135"].categories) == 5


def test_code_lists_under_a_fields_label_are_no_fields_and_continue_across_pages():
    fields = parse("insee_mobzelt_contenu_trimmed.pdf")
    # the index defines the fields; the letter-coded lists (`AZ | Agriculture…`) under a
    # field's label are its codes, not fields
    assert len(fields) == 26 and "AZ" not in fields and "GZ" not in fields
    assert codes(fields["NA10"])[0] == ("AZ", "Agriculture, sylviculture et pêche")
    assert len(fields["NA10"].categories) == 10
    # a list continued on the next page without a caption: one list
    aged = [v for v, _ in codes(fields["AGED"])]
    assert aged[:2] == ["000", "001"] and "046" in aged and len(aged) == len(set(aged)) == 47
    assert len(fields["NA38"].categories) == 38


def test_a_code_list_in_brackets_wrapped_onto_a_new_line_in_its_cell():
    fields = parse("sisu_osingot_trimmed.xlsx")
    # `(01=osinko, …, 06=Osuuskunnan\nVOPR-ylijäämä)`: the line break is the cell's wrapping
    assert codes(fields["suorlaji"])[-1] == ("06", "Osuuskunnan VOPR-ylijäämä")
    assert fields["suorlaji"].description == "Suorituslaji"
    assert codes(fields["jaktyypp"])[-1] == ("S", "muu kuin julk. not. alle 500 jäsenen osuuskunta")


def test_bold_term_paragraphs_of_a_word_document_name_the_fields():
    fields = parse("edb_extension_codebook.docx")
    # names that are no identifiers, each a bold paragraph over its plain definition
    assert fields["Absolute link strength (L_tilde)"].description.startswith(
        'A measure of the "confidence"')
    assert fields["Similarity index"].constraints.get("maximum") == 1
    # the definition paragraph bounds the description (it does not run into the next term)
    assert fields["DEPTH_measures_instruments"].description.endswith("used in the measure.")
    # `2-digits ISIC codes …` is a description, not a code list
    assert not fields["ISIC"].categories and fields["ISIC"].description.startswith("2-digits")


def test_list_items_naming_several_variables_with_a_keyed_type():
    fields = parse("capstone_earthquake_codebook.html")
    # `geo_level_1_id, geo_level_2_id, geo_level_3_id (type: categorical): …`
    assert ["geo_level_1_id", "geo_level_2_id", "geo_level_3_id"] == list(fields)[:3]
    assert fields["geo_level_2_id"].description.startswith("geographic region")
    # `(type: int)` is the type, not part of the description
    assert fields["age_building"].type == "integer"
    assert fields["age_building"].description == "age of the building."
    # a short code between commas keeps its digit (`cae1` is no word with a footnote)
    assert "cae1" in [str(c.value) for c in fields["legal_ownership_status"].categories]


def test_code_lines_with_letter_codes_or_long_labels_in_one_cell():
    fields = parse("recs2020_codebook_trimmed.xlsx")
    # `C Urban cluster\nR Rural area\nU Urban area`
    assert codes(fields["UATYP10"]) == [("C", "Urban cluster"), ("R", "Rural area"),
                                        ("U", "Urban area")]
    # a label longer than a few words (`… (for example: duplex, row house, or townhome)`)
    assert [v for v, _ in codes(fields["TYPEHUQ"])] == ["1", "2", "3", "4", "5"]
    # one-word values stay values without labels
    assert [v for v, _ in codes(fields["REGIONC"])] == ["Midwest", "Northeast", "South", "West"]


def test_a_label_carried_over_to_the_next_page_ends_the_last_code_of_the_list():
    fields = parse("insee_mobzelt_dipl_trimmed.pdf")
    dipl = dict(codes(fields["DIPL"]))
    assert dipl["15"].endswith("d’enseignement, diplôme équivalent")
    assert {"16", "17", "18", "19"} <= set(dipl)


def test_a_range_written_with_a_bare_a_alone_in_brackets_or_on_its_line():
    from engine.parsers.codes import find_range
    assert find_range("Años residiendo en España (00 a 97 años)") == (0, 97)
    assert find_range("Número de identificación del hogar\n00000001 a 99999999") == (1, 99999999)
    # `a` inside a sentence stays a word
    assert find_range("Vamos a la playa (1 a la semana)") is None
    assert find_range("Ir a 5 km del centro") is None


def test_a_caption_less_list_on_the_next_page_continues_only_with_new_codes():
    from engine.formats import Document, Table
    from engine.model import Field
    from engine.parsers.tabular.codetables import attach_code_tables

    def run(second):
        sex = Field(name="sex", description="Sex of person")
        doc = Document(kind="pdf", text="", tables=[
            Table(rows=[["1", "Male"], ["2", "Female"]], name="t1", page=1,
                  context="Sex of person"),
            Table(rows=second, name="t2", page=2, context="")])
        attach_code_tables(doc, [], [sex])
        return [c.value for c in sex.categories]

    assert run([["3", "Other"], ["9", "Unknown"]]) == ["1", "2", "3", "9"]
    # codes that start over are another list (its caption was left on the page before)
    assert run([["1", "Yes"], ["2", "No"], ["3", "Don't know"]]) == ["1", "2"]


def test_a_sheet_of_code_lists_by_name_one_code_a_row(tmp_path):
    # built here: the layout of Stata/SPSS metadata exports (a variables sheet naming each
    # variable's value-label set; a sheet of `set | value | label` rows)
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Variables"
    for r in [("Variable", "Label", "Value labels"), ("sex", "Sex of person", "SEXL"),
              ("age", "Age in years", None), ("empl", "Employed last week", "YESNO"),
              ("car", "Has a car", "YESNO"), ("region", "Region", "REG")]:
        ws.append(r)
    labels = wb.create_sheet("Value labels")
    for r in [("List", "Value", "Label"), ("SEXL", 1, "Male"), ("SEXL", 2, "Female"),
              ("YESNO", 1, "Yes"), (None, 2, "No"), (None, 9, "Not stated"),
              ("REG", 1, "North"), ("REG", 2, "South")]:
        labels.append(r)
    path = tmp_path / "vars.xlsx"
    wb.save(path)
    fields = {f.name: f for f in parse_dictionary(str(path)).schema.fields}
    assert list(fields) == ["sex", "age", "empl", "car", "region"]   # no `SEXL`, `YESNO`
    assert codes(fields["sex"]) == [("1", "Male"), ("2", "Female")]
    assert [v for v, _ in codes(fields["car"])] == ["1", "2"]
    assert fields["region"].description is None and fields["region"].title == "Region"
    assert not fields["age"].categories


def test_no_procede_with_its_reason_is_a_missing_label():
    from engine.parsers.codes.missing import is_missing_label
    # INE: `01 No procede, es menor de 10 años` (not applicable: under 10)
    assert is_missing_label("No procede, es menor de 10 años")
    assert is_missing_label("No corresponde (no trabaja)")
    assert not is_missing_label("No sabe leer o escribir")


def test_finnish_not_relevant_is_a_missing_label():
    from engine.parsers.codes.missing import is_missing_label
    # Statistics Finland: `Korjausluokka (9=ei relevantti, 0=ei korj., …)`
    assert is_missing_label("ei relevantti")
    assert not is_missing_label("ei korj.") and not is_missing_label("ei")
    fields = parse("sisu_osingot_trimmed.xlsx")
    assert [str(m.value) for m in fields["korjaus"].missing_values] == ["9"]


def test_the_documents_own_title_is_no_field():
    fields = parse("edb_extension_codebook.docx")
    # `CODEBOOK` over `EDB extension variables`: the title, not a variable
    assert "CODEBOOK" not in fields and len(fields) == 21
