"""engine.parsers.tabular: column roles decided from header words in five languages and from
the cells, several tables in one sheet, continuation rows, row-kind layouts, cells naming
several fields, and tables that are not field definitions.  Small hand-written tables."""

from __future__ import annotations

import pytest

from engine.parsers import NotThisFormat, ParseContext, parse_dictionary
from engine.parsers.tabular import parse_tabular
from engine.parsers.tabular import cells as C
from engine.parsers.tabular.columns import map_header, normalize
from engine.parsers.tabular.profile import content_roles


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def parse(tmp_path, name: str, text: str):
    return parse_dictionary(write(tmp_path, name, text)).schema


def codes(field) -> list[str]:
    return [f"{c.value}={c.label}" if c.label else c.value for c in field.categories]


# ---- header words in other languages ------------------------------------------------------
@pytest.mark.parametrize("cells, expected", [
    (["Nome da Variável", "Descrição", "Tipo"], {"name": 0, "description": 1, "type": 2}),
    (["Campo", "Descripción", "Unidad"], {"name": 0, "description": 1, "unit": 2}),
    (["Nom de la variable", "Libellé", "Modalités"], {"name": 0, "title": 1, "values": 2}),
    (["Variablenname", "Beschreibung", "Einheit"], {"name": 0, "description": 1, "unit": 2}),
])
def test_header_words_in_other_languages(cells, expected):
    roles, _ = map_header(cells)
    assert roles == expected


def test_normalize_drops_accents():
    assert normalize("Descrição / Observações") == "descricao observacoes"


def test_portuguese_sheet_with_title_two_row_header_code_rows_and_footnotes(tmp_path):
    """Title row, a header on two rows, names repeated on each code row (merged cells filled),
    a section row in capitals, a footnote number glued to a description."""
    s = parse(tmp_path, "dic.csv", "\n".join([
        "DICIONÁRIO DE VARIÁVEIS,,,,",
        "Nome da Variável,Descrição,Variáveis Categóricas,Variáveis Categóricas,Tipo",
        "Nome da Variável,Descrição,Categoria,Descrição,Tipo",
        "DADOS DO INSCRITO,DADOS DO INSCRITO,DADOS DO INSCRITO,DADOS DO INSCRITO,DADOS DO INSCRITO",
        "NU_INSCRICAO,Número de inscrição1,,,Alfanumérica",
        "TP_SEXO,Sexo do inscrito,M,Masculino,Alfanumérica",
        "TP_SEXO,Sexo do inscrito,F,Feminino,Alfanumérica",
        "IN_QSE,Respondeu ao questionário,1,Sim,Numérica",
        "IN_QSE,Respondeu ao questionário,0,Não,Numérica",
        ",,,,",
        "1. Trata-se de uma máscara do número original.,,,,",
    ]))
    assert s.names == ["NU_INSCRICAO", "TP_SEXO", "IN_QSE"]
    first = s.field("NU_INSCRICAO")
    assert first.description == "Número de inscrição"
    assert first.extras["notes"] == "Trata-se de uma máscara do número original."
    assert first.type == "string"
    assert first.extras["section"] == "DADOS DO INSCRITO"
    assert codes(s.field("TP_SEXO")) == ["M=Masculino", "F=Feminino"]
    assert s.field("TP_SEXO").description == "Sexo do inscrito"
    assert codes(s.field("IN_QSE")) == ["1=Sim", "0=Não"]
    assert s.field("IN_QSE").type == "number"


# ---- roles from the cells -----------------------------------------------------------------
def test_header_in_an_unknown_language_is_read_from_the_cells(tmp_path):
    """A Hebrew header: the names, a short label column and a code-list column by shape."""
    s = parse(tmp_path, "hebrew.csv", "\n".join([
        "שם השדה,שם בעברית,ערכים",
        "gil,גיל,17-24",
        'min,מין,"זכר\nנקבה"',
        'yabeshet,יבשת לידה,"1 - אסיה\n2-  אפריקה\n3 – אירופה"',
        'humra,"חומרת פגיעה\n* רק כשסוג מעורב=2","1 - הרוג\n2 - פצוע"',
    ]))
    assert s.names == ["gil", "min", "yabeshet", "humra"]
    assert s.field("gil").title == "גיל"
    assert s.field("gil").constraints == {"minimum": 17, "maximum": 24}
    assert codes(s.field("min")) == ["זכר", "נקבה"]
    assert codes(s.field("yabeshet")) == ["1=אסיה", "2=אפריקה", "3=אירופה"]
    assert s.field("humra").title == "חומרת פגיעה"
    assert s.field("humra").extras["notes"] == "רק כשסוג מעורב=2"


def test_unexpected_word_over_the_name_column(tmp_path):
    """`Variable stem | Group`: the name header is read, the unknown word column is text."""
    s = parse(tmp_path, "stems.md", "\n".join([
        "| # (a/b) | Variable stem | Group |",
        "|---|---|---|",
        "| 188/291 | v2regsupgroups_0 | Aristocracy / hereditary elites |",
        "| 189/292 | v2regsupgroups_1 | Agrarian elites / large landholders |",
        "| 190/293 | v2regsupgroups_2 | Party elites |",
    ]))
    assert s.names == ["v2regsupgroups_0", "v2regsupgroups_1", "v2regsupgroups_2"]
    assert s.field("v2regsupgroups_2").title == "Party elites"


def test_misaligned_header_names_the_column_of_names(tmp_path):
    """`Variable` over a column of row numbers: the identifiers beside it are the names."""
    s = parse(tmp_path, "shifted.csv", "\n".join([
        "Variable,,Description",
        "1,age_years,Age of the respondent at the interview in years",
        "2,sex_code,Sex of the respondent as recorded by the interviewer",
        "3,hh_size,Number of people living in the household",
    ]))
    assert s.names == ["age_years", "sex_code", "hh_size"]


def test_content_roles_scores_whole_columns():
    rows = [["age_years", "Age", "Age at the interview in years", "integer"],
            ["sex_code", "Sex", "Sex as recorded by the interviewer", "integer"],
            ["hh_size", "Household size", "Number of people living in the household", "int"],
            ["region", "Region", "Region of residence at the time of the survey", "string"]]
    assert content_roles(rows) == {"name": 0, "type": 3, "description": 2, "title": 1}


def test_header_less_table_in_markdown(tmp_path):
    s = parse(tmp_path, "plain.md", "\n".join([
        "Some text before.", "",
        "| | |", "|---|---|",
        "| visit_id | Identifier of the visit, unique within a site |",
        "| visit_date | Date of the visit as recorded by the nurse |",
        "| score_total | Total score of the questionnaire, 0 to 10 |",
    ]))
    assert s.names == ["visit_id", "visit_date", "score_total"]


def test_a_data_file_is_no_dictionary(tmp_path):
    """A header of identifiers over values: a data file, even with a text column."""
    path = write(tmp_path, "products.csv", "\n".join([
        "sku,description,price",
        "AB12,A long description of the first product in stock,3.50",
        "CD34,Another long description of a product we sell,4.00",
        "EF56,The third product with a description of its own,1.25",
    ]))
    with pytest.raises(NotThisFormat):
        list(parse_tabular(ParseContext(path=path, filename=path.name)))


# ---- several tables in one sheet ----------------------------------------------------------
def test_several_tables_in_one_sheet_each_with_title_and_header(tmp_path):
    s = parse(tmp_path, "two.csv", "\n".join([
        "persons.csv,",
        ",",
        "Column,Description",
        "person_id,Identifier of the person",
        "age,Age in years",
        ",",
        "visits.csv,",
        "Field name,Meaning",
        "visit_id,Identifier of the visit",
        "person_id,The person visited",
    ]))
    assert s.names == ["person_id", "age", "visit_id"]
    assert s.field("visit_id").extras["section"] == "visits.csv"
    assert s.field("age").extras["section"] == "persons.csv"


def test_table_name_column_filled_on_first_rows_only(tmp_path):
    s = parse(tmp_path, "tables.csv", "\n".join([
        "Table Name,Column,Data Type,Description",
        "PATIENTS,patient_id,integer,Identifier of the patient",
        ",birth_date,date,Date of birth",
        "LABS,patient_id,integer,Identifier of the patient",
        ",result_value,float,Value of the lab result",
    ]))
    assert s.names == ["patient_id", "birth_date", "result_value"]
    assert s.field("birth_date").extras["section"] == "PATIENTS"
    assert s.field("result_value").extras["section"] == "LABS"
    assert s.field("result_value").type == "number"


# ---- continuation rows ----------------------------------------------------------------------
def test_value_label_continuation_rows_and_a_caps_section_row(tmp_path):
    s = parse(tmp_path, "vl.csv", "\n".join([
        "Variable,Label,Value,Label",
        "q1,Smokes,1,Yes",
        ",,2,No",
        "HOUSEHOLD ROSTER,,,",
        "q2,Owns a car,1,Yes",
        ",,2,No",
        ",,9,Not applicable",
    ]))
    assert s.names == ["q1", "q2"]
    assert codes(s.field("q1")) == ["1=Yes", "2=No"]
    assert codes(s.field("q2")) == ["1=Yes", "2=No"]
    assert [c.value for c in s.field("q2").missing_values] == ["9"]
    assert s.field("q2").extras["section"] == "HOUSEHOLD ROSTER"


# ---- row-kind layouts -------------------------------------------------------------------------
def test_row_kind_layout_is_recognised_from_repetition(tmp_path):
    """Not the words NAME/VAL: any small set of tokens repeated in the first column."""
    s = parse(tmp_path, "kinds.csv", "\n".join([
        'V,AGE,N,2,"Age of person"',
        'C,AGE,N,2,0,0,"Under 1 year"',
        'C,AGE,N,2,1,99,"1 to 99 years"',
        'V,SEX,C,1,"Sex"',
        'C,SEX,C,1,"1","1","Male"',
        'C,SEX,C,1,"2","2","Female"',
        'V,ROOMS,N,2,"Number of rooms"',
        'C,ROOMS,N,2,bb,bb,"N/A (group quarters)"',
        'C,ROOMS,N,2,1,20,"1 to 20 rooms"',
        'V,HINC,N,6,"Household income"',
        'C,HINC,N,6,-9999,-1,"Loss"',
        'C,HINC,N,6,0,99999,"Income in dollars"',
    ]))
    assert s.names == ["AGE", "SEX", "ROOMS", "HINC"]
    assert s.field("AGE").constraints == {"minimum": 0, "maximum": 99}
    assert s.field("AGE").categories == []
    assert codes(s.field("SEX")) == ["1=Male", "2=Female"]
    assert s.field("SEX").type == "string"
    assert [c.value for c in s.field("ROOMS").missing_values] == ["bb"]
    assert s.field("HINC").constraints == {"minimum": -9999, "maximum": 99999}


def test_a_section_column_is_no_row_kind(tmp_path):
    """A first column of a few repeated values whose rows each name a new field."""
    s = parse(tmp_path, "sections.csv", "\n".join(
        ["Form,Variable,Label"]
        + [f"{form},{form[:3]}_{k},Question {k} of {form}" for form in ("baseline", "followup")
           for k in range(6)]))
    assert len(s.names) == 12


# ---- several names in one cell ------------------------------------------------------------
def test_cells_naming_several_fields_and_wildcards(tmp_path):
    s = parse(tmp_path, "multi.md", "\n".join([
        "| Campo | Descripción |", "|---|---|",
        "| `codbar`, `neighborhood`, `district` | Identificador y nombres del barrio. |",
        "| `ind_*`, `vul_global` | Indicadores de vulnerabilidad. |",
        "| `area_m2` | Superficie. |",
    ]))
    assert s.names == ["codbar", "neighborhood", "district", "ind_*", "vul_global", "area_m2"]
    assert s.field("district").description == "Identificador y nombres del barrio."


@pytest.mark.parametrize("cell, names", [
    ("`a_1`, `b_2` y `c_3`", ["a_1", "b_2", "c_3"]),
    ("KodLMS_1\nKodLMS_2\nKodLMS_3", ["KodLMS_1", "KodLMS_2", "KodLMS_3"]),
    ("what_is_the_patients_inco\nm", []),     # a long name wrapped, not two names
    ("COWcode_a/b", []),
    ("age", []),
])
def test_split_names(cell, names):
    assert C.split_names(cell) == names


# ---- tables that are not field definitions ----------------------------------------------------
def test_statistics_table_min_max_are_observed_not_constraints(tmp_path):
    s = parse(tmp_path, "stats.md", "\n".join([
        "| name | type | n | missing | mean | sd | min | max | mode_value |",
        "|---|---|---|---|---|---|---|---|---|",
        "| age | numeric | 990 | 0.01 | 39.8 | 9.96 | 18 | 70 | |",
        "| sex | factor | 989 | 0.01 | | | | | women |",
    ]))
    assert s.names == ["age", "sex"]
    assert s.field("age").constraints == {}
    assert s.field("age").missing_values == []
    assert s.field("age").type == "number"
    assert s.field("sex").categories == []


def test_file_list_and_index_of_data_sets_are_not_fields(tmp_path):
    s = parse(tmp_path, "index.md", "\n".join([
        "# Data sets", "",
        "| Name | Description | Entries |", "|---|---|---|",
        "| cars | Prices of used cars | 300 |",
        "| bikes | Bike rentals by day | 731 |",
        "| homes | House sales in one county | 2930 |", "",
        "# cars", "", "| Column | Description |", "|---|---|",
        "| price | Price in dollars |", "| year | Model year |", "",
        "# bikes", "", "| Column | Description |", "|---|---|",
        "| day | Date of the rentals |", "| count | Bikes rented that day |", "",
        "# homes", "", "| Column | Description |", "|---|---|",
        "| area | Living area |", "",
        "# Files", "", "| File | Description |", "|---|---|",
        "| cars.csv | The cars table |", "| bikes.csv | The bikes table |",
    ]))
    assert s.names == ["price", "year", "day", "count", "area"]


def test_a_legend_of_the_column_headers_is_not_fields(tmp_path):
    s = parse(tmp_path, "legend.md", "\n".join([
        "| variable | type | values |", "|---|---|---|",
        "| smoker | integer | 1=Yes; 2=No |", "| height_cm | numeric | |", "",
        "Legend:", "", "| Column | Meaning |", "|---|---|",
        "| variable | The name of the variable |", "| type | Its storage type |",
        "| values | The codes it takes |",
    ]))
    assert s.names == ["smoker", "height_cm"]
    assert codes(s.field("smoker")) == ["1=Yes", "2=No"]


# ---- cells ----------------------------------------------------------------------------------
def test_type_column_with_measurement_levels_and_ranges(tmp_path):
    s = parse(tmp_path, "scale.md", "\n".join([
        "| Variable | Scale | Description |", "|---|---|---|",
        "| polyarchy | 0–1 interval | Electoral democracy index |",
        "| regime_end | Ordinal 0–7 | How the regime ended |",
        "| pct_christian | Continuous (0–100) | Christian share of the population |",
    ]))
    assert s.field("polyarchy").constraints == {"minimum": 0, "maximum": 1}
    assert s.field("polyarchy").type == "number"
    assert s.field("regime_end").constraints == {"minimum": 0, "maximum": 7}
    assert s.field("pct_christian").constraints == {"minimum": 0, "maximum": 100}


@pytest.mark.parametrize("name, unit", [("T [K]", "K"), ("kappa [W/mK]", "W/mK"),
                                        ("Weight (kg)", "kg"), ("patient (ID)", None),
                                        ("score (0-10)", None)])
def test_unit_in_brackets_after_a_name(name, unit):
    assert C.name_unit(name) == unit


@pytest.mark.parametrize("text, kind", [("Numérica", "number"), ("Alfanumérica", "string"),
                                        ("Entero", "integer"), ("varchar(38)", "string"),
                                        ("Binary (0/1)", "integer"), ("Nominal", None)])
def test_type_words_in_other_languages(text, kind):
    assert C.type_word(text) == kind


def test_a_header_naming_columns_the_body_never_reaches_is_no_crash():
    """A PDF table whose header row spans more columns than its body rows hold (the rows were
    cut short): those roles have nothing to check, and no error comes of it."""
    from engine.parsers.tabular.profile import check_roles

    assert check_roles([[], []], {"description": 0}) == {"description": 0}
    assert "name" not in check_roles([["x"], ["y"]], {"title": 1, "description": 2})
