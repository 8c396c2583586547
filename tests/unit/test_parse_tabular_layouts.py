"""engine.parsers.tabular: layouts of the third check set, written small and in other words —
merged name cells beside a label column the header calls the name, code lines restating the
variable's name, question-text and response-label headers, a column of the names in the data
file.  Small hand-written tables."""

from __future__ import annotations

import openpyxl

from engine.parsers import parse_dictionary
from engine.parsers.tabular import codecells as CC
from engine.parsers.tabular.columns import map_header


def codes(field) -> list[str]:
    return [f"{c.value}={c.label}" if c.label else str(c.value) for c in field.categories]


def by_name(schema) -> dict:
    return {f.name: f for f in schema.fields}


# ---- merged name cells, labels under a `Variable Name` header ------------------------------
def test_merged_names_beside_labels_the_header_calls_names(tmp_path):
    """A title row, `Variable | Variable Name | ...` where the second column holds labels and
    the first the identifiers, merged down the code rows; the code rows restate the name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Household survey codebook"])
    ws.append(["Variable", "Variable Name", "Type of Variable", "Variable Definition"])
    rows = [
        ("hh_id", "Household identifier", "Numeric", "Number given to the household"),
        ("roof_m", "Roof material", "Categorical", "roof_m=1 if metal sheets"),
        (None, None, None, "roof_m=2 if tiles"),
        (None, None, None, "roof_m=3 Other"),
        ("water_d", "Piped water", "Dummy", "water=1 if the home has piped water"),
        (None, None, None, "water=0 if it has none"),
        ("visits_n", "Number of visits", "Numeric", "Visits received in the last year"),
        ("notes_t", "Interviewer notes", "Text", "Anything the interviewer wrote down"),
    ]
    for r in rows:
        ws.append(list(r))
    for start, end in ((4, 6), (7, 8)):
        for col in "ABC":
            ws.merge_cells(f"{col}{start}:{col}{end}")
    path = tmp_path / "codebook.xlsx"
    wb.save(path)
    f = by_name(parse_dictionary(path).schema)
    assert set(f) == {"hh_id", "roof_m", "water_d", "visits_n", "notes_t"}
    assert f["roof_m"].title == "Roof material"
    assert codes(f["roof_m"]) == ["1=metal sheets", "2=tiles", "3=Other"]
    assert codes(f["water_d"]) == ["1=the home has piped water", "0=it has none"]
    assert not f["roof_m"].description
    assert f["visits_n"].categories == []


def test_code_lines_restating_the_name_in_spanish(tmp_path):
    """Names repeated on each code row (merged cells as a CSV writes them); `si` opens the
    condition, which the label leaves out."""
    path = tmp_path / "dic.csv"
    path.write_text("\n".join([
        "Variable,Nombre de la variable,Tipo,Definición",
        "sexo,Sexo del jefe de hogar,Categórica,sexo=1 si hombre",
        "sexo,Sexo del jefe de hogar,Categórica,sexo=2 si mujer",
        "edad,Edad del jefe de hogar,Numérica,Años cumplidos",
        "region,Región de residencia,Categórica,region=1 Costa",
        "region,Región de residencia,Categórica,region=2 Sierra",
        "region,Región de residencia,Categórica,region=3 Selva",
    ]), encoding="utf-8")
    f = by_name(parse_dictionary(path).schema)
    assert set(f) == {"sexo", "edad", "region"}
    assert codes(f["sexo"]) == ["1=hombre", "2=mujer"]
    assert codes(f["region"]) == ["1=Costa", "2=Sierra", "3=Selva"]
    assert f["edad"].title == "Edad del jefe de hogar"


def test_named_codes_need_two_lines_of_one_name_like_the_field():
    from engine.parsers.tabular.draft import named_codes

    prose = ["payment=1 if the person recalls", "payment=0 : if not", "Asked of all"]
    rest, found = named_codes(prose, "payment_d")
    assert rest == ["Asked of all"]
    assert codes_of(found) == ["1=the person recalls", "0=not"]
    found_bare = named_codes(["scale=1 Low", "scale=2", "scale=3 High"], "scale")[1]
    assert codes_of(found_bare) == ["1=Low", "2", "3=High"]
    # one line, a formula, or code lines of an unrelated name are no code list
    for prose, name in ((["x_d=1 if yes"], "x_d"),
                        (["Amount kept = (donation_n *2)", "total = income - kept"], "kept_n"),
                        (["other_var=1 A", "other_var=2 B", "third=1 C"], "payment_d")):
        assert named_codes(prose, name) == (prose, [])


def codes_of(found) -> list[str]:
    return [f"{c.value}={c.label}" if c.label else c.value for c in found]


# ---- header words --------------------------------------------------------------------------
def test_question_text_column_with_a_language_suffix_describes():
    roles, _ = map_header(["q_number", "var_name", "raw_col_name", "q_text_kk", "notes"])
    assert roles["name"] == 1 and roles["description"] == 3 and roles["notes"] == 4


def test_response_code_and_response_label_pair():
    roles, _ = map_header(["Variable", "Variable Label", "Response Code", "Response Label"])
    assert roles == {"name": 0, "title": 1, "code": 2, "code_label": 3}
    roles, _ = map_header(["Variable", "Libellé", "Code de la réponse", "Libellé de la réponse"])
    assert roles["code"] == 2 and roles["code_label"] == 3


def test_long_format_one_row_per_response_code(tmp_path):
    """A survey tool's export: the name and label on every row, one row per response code."""
    path = tmp_path / "codebook.csv"
    path.write_text("\n".join([
        "Variable,Variable Label,Response Code,Response Label,Variable Type",
        "CASE,Laufende Nummer,,,METRIC",
        "SD01,Geschlecht,1,weiblich,NOMINAL",
        "SD01,Geschlecht,2,männlich,NOMINAL",
        "SD01,Geschlecht,-9,nicht beantwortet,NOMINAL",
        "ZU01,Zufriedenheit,1,gar nicht,ORDINAL",
        "ZU01,Zufriedenheit,7,völlig,ORDINAL",
    ]), encoding="utf-8")
    f = by_name(parse_dictionary(path).schema)
    assert codes(f["SD01"])[:2] == ["1=weiblich", "2=männlich"]
    assert f["SD01"].title == "Geschlecht"
    assert not f["SD01"].description
    assert f["CASE"].categories == []


# ---- values cells --------------------------------------------------------------------------
def test_code_words_holding_numbers_are_codes_not_ranges():
    assert [c.value for c in CC.values_codes("none|1to7|8to30|gt30")] == [
        "none", "1to7", "8to30", "gt30"]
    assert CC.values_codes("Número de días, 0-31") == []


# ---- a column of the names in the data file ------------------------------------------------
def test_names_in_the_data_file_are_aliases_and_carry_units(tmp_path):
    """`Nom dans le fichier` reads as a file column, but holds a name per row: the field's
    name in the data file, whose brackets may give the unit."""
    path = tmp_path / "dico.csv"
    path.write_text("\n".join([
        "Nom dans le fichier brut,Nom dans R,Signification",
        "Taille (cm),taille,Taille du patient",
        "Poids du patient,poids,Poids en kilogrammes",
        "Date visite,date_visite,Date de la visite",
        "Groupe,groupe,Groupe de traitement",
    ]), encoding="utf-8")
    f = by_name(parse_dictionary(path).schema)
    assert set(f) == {"taille", "poids", "date_visite", "groupe"}
    assert f["taille"].extras.get("alias") == "Taille (cm)"
    assert f["taille"].unit == "cm"
    assert "section" not in f["taille"].extras
    assert f["date_visite"].unit is None
