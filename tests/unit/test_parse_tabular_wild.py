"""engine.parsers.tabular on trimmed copies of real dictionaries (tests/fixtures/wild), each
expectation checked by eye against the document."""

from __future__ import annotations

from harness.fixtures import fixture_path
from engine.parsers import parse_dictionary


def parse(case: str, name: str):
    return parse_dictionary(fixture_path("wild", case, name)).schema


def codes(field) -> list[str]:
    return [f"{c.value}={c.label}" if c.label else c.value for c in field.categories]


def test_census_name_val_rows():
    s = parse("csv-headerless-acs-pums-2021", "PUMS_Data_Dictionary_2021.csv")
    assert s.names[:5] == ["RT", "SERIALNO", "DIVISION", "PUMA", "REGION"]
    rt = s.field("RT")
    assert rt.description == "Record Type"
    assert codes(rt) == ["H=Housing Record or Group Quarters Unit", "P=Person Record"]
    assert rt.type == "string"
    np_ = s.field("NP")
    assert np_.description == "Number of persons in this household"
    assert np_.constraints == {"minimum": 0, "maximum": 20}
    assert np_.categories == []
    bdsp = s.field("BDSP")
    assert bdsp.constraints == {"minimum": 0, "maximum": 99}
    assert [(c.value, c.label) for c in bdsp.missing_values] == [("bb", "N/A (GQ)")]
    assert s.field("SERIALNO").constraints == {}        # a range of string identifiers
    access = s.field("ACCESSINET")
    assert [c.value for c in access.missing_values] == ["b"]
    assert [c.value for c in access.categories] == ["1", "2", "3"]


def test_portuguese_workbook_with_code_rows_sections_and_footnotes():
    s = parse("xlsx-inep-enem-1999-pt", "Dicionário_Microdados_ENEM_1999.xlsx")
    assert len(s.names) == 156          # the renamed-variables sheet is no dictionary
    assert "MASC_INSCRITO" not in s.names
    f = s.field("TP_FAIXA_ETARIA")
    assert f.description == "Faixa etária"                  # footnote 2 taken off
    assert f.extras["notes"] == "Idade do inscrito em 31/12/1999."
    assert codes(f)[0] == "1=Menor de 17 anos" and codes(f)[-1] == "20=Maior de 70 anos"
    assert codes(s.field("CO_PROVA")) == ["A=Amarela", "B=Branca", "R=Rosa", "V=Verde"]
    assert s.field("NU_INSCRICAO").description == "Número de inscrição no ENEM."
    assert s.field("NU_INSCRICAO").type == "string"
    q2 = s.field("Q2")
    assert q2.description == "Ano em que você nasceu"
    assert q2.extras["section"] == "QUESTIONÁRIO SOCIOECONÔMICO DO ENEM"
    assert "asterisco (*) indica dupla marcação" in q2.extras["notes"]
    muni = s.field("CO_MUNICIPIO_RESIDENCIA")
    assert muni.description.startswith("Código do Município em que o inscrito mora:\n1º dígito")


def test_hebrew_word_tables_read_from_their_cells():
    s = parse("docx-tables-hebrew-young-drivers", "codebook.docx")
    assert "שם השדה בקובץ" not in s.names
    # Id1 is defined in each table: the definitions are merged
    assert s.field("Id1").title.replace(" ", "") == "מספרזהותפיקטיבי-צעיר"
    assert codes(s.field("min")) == ["זכר", "נקבה"]
    assert s.field("gil").constraints == {"minimum": 17, "maximum": 24}
    assert codes(s.field("Yabeshet")) == ["1=אסיה", "2=אפריקה", "3=אירופה",
                                          "5=אמריקה-אוקיאניה", "9=ישראל"]
    assert s.field("HUMRAT_PGIA").title == "חומרת פגיעה"
    assert s.field("YOM_BASHAVUA").constraints == {"minimum": 1, "maximum": 7}  # continued table
    for name in ("KodKvutzaLMS_1", "KodKvutzaLMS_2", "KodKvutzaLMS_3"):
        assert s.field(name).constraints == {"minimum": 1, "maximum": 54}


def test_spanish_markdown_with_several_names_per_row():
    s = parse("md-multiname-rows-valencia-es", "DATA_DICTIONARY.md")
    assert len(s.names) == 53
    assert s.names[:4] == ["codbar", "neighborhood", "district", "ind_*"]
    assert s.field("neighborhood").description == "Identificador y nombres municipales del barrio."
    assert s.field("cumulative_*").description == ("Impacto acumulado hasta esa posición en la "
                                                   "cartera.")
    assert s.field("candidate_type").description == ("Siempre `modeled_review_area`; no es una "
                                                     "propuesta de obra.")


def test_statistics_codebook_is_names_and_types_only():
    s = parse("md-worcs-generated-codebook", "codebook_data_simulated.md")
    assert len(s.names) == 28
    assert "Name" not in s.names and "mean" not in s.names      # the legend is no table
    bd02 = s.field("bd02")
    assert bd02.type == "number"
    assert bd02.constraints == {} and bd02.missing_values == []
    assert s.field("bd01").categories == []                    # a mode is no code list


def test_rst_list_tables_without_the_data_set_index():
    s = parse("rst-list-tables-matminer-datasets", "dataset_summary.rst")
    assert "boltztrap_mp" not in s.names
    assert s.names[:3] == ["formula", "m_n", "m_p"]
    assert s.field("m_p").description == "p-type/valence band effective mass."
    assert s.field("gap is direct").description == "boolean indicator for direct gap"
    assert s.field("m_n").extras["section"] == "boltztrap_mp"


def test_cms_pdf_term_name_variable_name_definition():
    s = parse("gov-table-pdf-cms-inpatient", "data_dictionary.pdf")
    assert s.names[:2] == ["Rndrng_Prvdr_CCN", "Rndrng_Prvdr_Org_Name"]
    ruca = s.field("Rndrng_Prvdr_RUCA")
    assert ruca.title == "Rendering Provider Rural-Urban Commuting Area Codes"
    assert ruca.description == ("The Rural-Urban Commuting Area (RUCA) code for the zip code in "
                                "which the provider is physically located.")
