"""engine.parsers.tabular on copies of real statistical-office spreadsheets
(tests/fixtures/wild7, see tests/fixtures/SOURCES.md): Korean header words, a group word over
a code and label column pair, range cells in a code column, and one level per row."""

from __future__ import annotations

from harness.fixtures import fixture_path
from engine.parsers import parse_dictionary
from engine.parsers.tabular.columns import map_header, normalize


def parse(name: str):
    return {f.name: f for f in parse_dictionary(fixture_path("wild7", name)).schema.fields}


def test_korean_japanese_chinese_header_words():
    assert normalize("변수명(한글)") == "변수명 한글"
    assert map_header(["번호", "변수명(한글)", "변수명(영문)", "변수유형", "변수수준", "변수설명",
                       "비고"])[0] == {"name": 1, "type": 3, "values": 4, "description": 5,
                                      "notes": 6}
    assert map_header(["変数名", "ラベル", "データ型", "単位"])[0] == {
        "name": 0, "title": 1, "type": 2, "unit": 3}
    assert map_header(["变量名称", "说明", "取值"])[0] == {
        "name": 0, "description": 1, "values": 2}


def test_korean_codebook_levels_one_per_row():
    fields = parse("코드북.xlsx")
    assert len(fields) == 49
    # the column headed as the Korean name holds the identifiers; the other one the labels
    assert fields["type_method"].title == "구매방법"
    # levels on rows of their own are codes; a text beside each level is its label ...
    channel = {c.value: c.label for c in fields["type_channel_new"].categories}
    assert channel["슈퍼마켓"] == "슈퍼마켓, 식자재마트"
    assert channel["기타"] is None           # no text beside it: the level is its own label
    assert [(c.value, c.label) for c in fields["shop_week"].categories][:2] == [
        ("1", "일"), ("2", "월")]
    # ... and the same text on every row (a merged cell) describes the field
    assert fields["type_method"].description == "식품을 구매한 방법"
    assert {c.value: c.label for c in fields["type_method"].categories}["PC주문"] is None


def test_pnadc_categories_over_code_and_label_columns():
    fields = parse("pnadc_dicionario_trimmed.xlsx")
    assert [(c.value, c.label) for c in fields["V2007"].categories] == [
        ("1", "Homem"), ("2", "Mulher")]
    # `Não aplicável` has no code: no category
    assert [c.value for c in fields["V3001"].categories] == ["1", "2"]
    # a range in the code column is the valid range, not a code
    assert fields["V1008"].constraints == {"minimum": 1, "maximum": 14}
    assert not fields["V1008"].categories
    day = fields["V2008"]
    assert day.constraints == {"minimum": 1, "maximum": 31}
    assert [str(m.value) for m in day.missing_values] == ["99"]
    # words in the code column say something about the values; they are no code
    assert not fields["V1027"].categories


def test_survey_tool_codebook_with_header_words_stacked_in_the_cells():
    # `Variablenname\nv_277 | Externer Variablenname\nv_277 | int | Geschlecht`, then one row
    # per code; the table broken at every question and page is read as one
    fields = parse("Codebuch_pages_2_3_49.pdf")
    assert list(fields)[:5] == ["v_277", "v_278", "v_279", "v_280", "v_1346"]
    sex = fields["v_277"]
    # the code column's cell on the field's own row is its type, the label beside it its title
    assert (sex.title, sex.type) == ("Geschlecht", "integer")
    assert [(c.value, c.label) for c in sex.categories] == [
        ("1", "weiblich"), ("2", "männlich"), ("3", "divers")]
    assert [m.value for m in sex.missing_values] == ["4"]
    # a scale's middle points repeat their code as the label; its codes go on past the page
    assert [c.value for c in fields["v_1346"].categories] == [str(k) for k in range(1, 11)]
    assert fields["v_1384"].type == "string"          # `blob`
    income = fields["v_281"]
    assert [m.label for m in income.missing_values] == ["Keine Angabe", "Weiß ich nicht"]


def test_rule_for_every_field_stated_once_in_other_languages():
    from engine.parsers.codes import document_missing, global_missing_codes

    text = ("• Campos preenchidos com “#NULO” significam que a informação está em branco no "
            "banco de dados;\n• Campos preenchidos com “#NE” significam que naquele ano a "
            "informação não era registrada em banco de dados.")
    assert [c.value for c in global_missing_codes(text)] == ["#NULO", "#NE"]
    assert [c.value for c in global_missing_codes("El código 99 significa valor perdido. "
                                                  "-1 bedeutet keine Angabe.")] == ["99", "-1"]
    assert [c.value for c in global_missing_codes("Missing values are coded as -9.")] == ["-9"]
    assert not global_missing_codes("2 indicates the respondent was blank-minded")

    class Own:                       # a rule inside a field's own text is that field's
        description = "Age; 99 always indicates a missing value"
        title = None
    assert document_missing("Age; 99 always indicates a missing value", [Own()]) == []


def test_pdf_layout_whose_first_page_states_the_missing_markers():
    schema = parse_dictionary(fixture_path("wild7", "LEIAME_pages_1_2.pdf")).schema
    assert {"#NULO", "#NE"} <= set(schema.missing_values or [])
    assert "DATA_GERACAO" in schema.names


def test_numbered_lines_in_a_cell_with_bare_middle_points():
    from engine.parsers.tabular import codecells as CC

    scale = CC.cell_codes("1 Nada satisfecho\n2 \n3\n4\n5 Muy satisfecho")
    assert [(c.value, c.label) for c in scale] == [
        ("1", "Nada satisfecho"), ("2", None), ("3", None), ("4", None), ("5", "Muy satisfecho")]
    # a label that starts with numbers (an age band) stays the label
    ages = CC.values_codes("1 18 a 29 años\n2 30 a 44 años\n3 más de 45 años")
    assert [(c.value, c.label) for c in ages] == [
        ("1", "18 a 29 años"), ("2", "30 a 44 años"), ("3", "más de 45 años")]
    assert CC.cell_codes("2019 results\n2018 results") == []       # numbers not counting up


def test_pdf_text_drawn_twice_for_bold_is_read_once():
    from engine.formats import load_document

    path = fixture_path("wild7", "LEIAME_pages_1_2.pdf")
    doc = load_document(path, path.name)
    assert "DATA_NASCIMENTO\tData de nascimento do candidato\n" in doc.pages[1]
    assert "A codificação de caracteres dos arquivos é “Latin 1”;\n" in doc.pages[0]


def test_ranges_in_a_code_column_on_several_rows_are_bands(tmp_path):
    path = tmp_path / "bands.csv"
    path.write_text("Variable,Description,Code,Label\n"
                    "agegrp,Age group,18-24,Aged 18 to 24\n,,25-34,Aged 25 to 34\n"
                    ",,35-64,Aged 35 to 64\nsex,Sex,1,Male\n,,2,Female\n"
                    "hh_size,Household size,1 a 30,Persons\n", encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert [c.value for c in fields["agegrp"].categories] == ["18-24", "25-34", "35-64"]
    assert not fields["agegrp"].constraints
    assert fields["hh_size"].constraints == {"minimum": 1, "maximum": 30}
    assert not fields["hh_size"].categories


def test_values_word_over_code_and_description_columns():
    from engine.parsers.tabular.columns import header_rows

    rows = [["Variável", "Descrição", "Categorias", "Categorias"],
            ["Variável", "Descrição", "Código", "Descrição"],
            ["sexo", "Sexo", "1", "Homem"], ["", "", "2", "Mulher"]]
    assert header_rows(rows)[0].roles == {"name": 0, "description": 1, "code": 2,
                                          "code_label": 3}


def test_japanese_and_chinese_dictionaries(tmp_path):
    ja = tmp_path / "ja.csv"
    ja.write_text('変数名,ラベル,型,値ラベル\nq1,性別,整数,"1=男性\n2=女性"\nq2,年齢,整数,\n'
                  'q3,居住地域,文字列,"1=北海道\n2=東北\n9=無回答"\n', encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(ja).schema.fields}
    assert [(f.name, f.title, f.type) for f in fields.values()] == [
        ("q1", "性別", "integer"), ("q2", "年齢", "integer"), ("q3", "居住地域", "string")]
    assert [str(m.value) for m in fields["q3"].missing_values] == ["9"]
    zh = tmp_path / "zh.csv"
    zh.write_text('变量名,变量标签,数据类型,取值\nsex,性别,整数,"1=男; 2=女"\nage,年龄,数值,\n',
                  encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(zh).schema.fields}
    assert [c.label for c in fields["sex"].categories] == ["男", "女"]
    assert fields["age"].type == "number"


def test_stacked_pieces_are_joined_also_a_narrower_page_of_codes():
    from engine.formats import Table
    from engine.parsers.tabular.stacked import joined

    first = Table(rows=[["Question text (q_1)"] * 4,
                        ["Variablenname\nv_1", "Externer Variablenname\nv_1", "int", "Sex"],
                        ["", "", "1", "male"]], name="page 1 table 1", page=1)
    codes = Table(rows=[["2", "female"], ["3", "diverse"]], name="page 2 table 1", page=2)
    [table] = joined([first, codes])
    assert table.rows[1] == ["Variablenname", "Externer Variablenname", "", ""]
    assert table.rows[2] == ["v_1", "v_1", "int", "Sex"]
    assert table.rows[-1] == ["", "", "3", "diverse"]


def test_statistical_office_file_descriptions(tmp_path):
    # INSEE's `varmod` layout: one row per modality, abbreviated French headers
    varmod = tmp_path / "varmod.csv"
    varmod.write_text("COD_VAR;LIB_VAR;COD_MOD;LIB_MOD;TYPE_VAR;LONG_VAR\n"
                      "SEXE;Sexe;1;Hommes;CHAR;1\nSEXE;Sexe;2;Femmes;CHAR;1\n"
                      "IPONDI;Poids de l'individu;;;NUM;17\n"
                      "DIPL;Diplôme le plus élevé;01;Pas de scolarité;CHAR;2\n"
                      "DIPL;Diplôme le plus élevé;ZZ;Hors champ;CHAR;2\n", encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(varmod).schema.fields}
    assert list(fields) == ["SEXE", "IPONDI", "DIPL"]
    assert [(c.value, c.label) for c in fields["SEXE"].categories] == [
        ("1", "Hommes"), ("2", "Femmes")]
    assert [m.value for m in fields["DIPL"].missing_values] == ["ZZ"]
    # INEGI's layout: the label under NOMBRE_CAMPO, the variable's mnemonic beside it
    inegi = tmp_path / "diccionario.csv"
    inegi.write_text("NOMBRE_CAMPO,LONGITUD,TIPO,NEMÓNICO,CATÁLOGO,RANGO_CLAVES\n"
                     "Identificador de la vivienda,10,C,folioviv,,\nSexo,1,C,sexo,sexo,1-2\n"
                     "Edad,2,N,edad,,0-97\n", encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(inegi).schema.fields}
    assert [(f.name, f.title) for f in fields.values()] == [
        ("folioviv", "Identificador de la vivienda"), ("sexo", "Sexo"), ("edad", "Edad")]
    assert fields["edad"].constraints == {"minimum": 0, "maximum": 97}


def test_italian_scandinavian_finnish_czech_hungarian_header_words():
    assert map_header(["Nome variabile", "Descrizione", "Tipo", "Modalità"])[0] == {
        "name": 0, "description": 1, "type": 2, "values": 3}
    assert map_header(["Variabelnavn", "Beskrivelse", "Værdier", "Enhed"])[0] == {
        "name": 0, "description": 1, "values": 2, "unit": 3}
    assert map_header(["Variabel", "Spørsmål", "Kodeliste"])[0] == {
        "name": 0, "description": 1, "values": 2}
    for header in (["Muuttuja", "Kuvaus", "Arvot"], ["Proměnná", "Popis", "Hodnoty"],
                   ["Változó", "Leírás", "Értékek"]):
        assert map_header(header)[0] == {"name": 0, "description": 1, "values": 2}


def test_missing_labels_in_more_languages():
    from engine.parsers.codes import is_missing_label

    for label in ("모름/무응답", "비해당", "非該当", "Vet ikke", "Uoplyst", "Uppgift saknas",
                  "Ei osaa sanoa", "Nevím", "Nem tudja"):
        assert is_missing_label(label), label
    for label in ("Nei", "Ikke", "Nem", "Ja"):
        assert not is_missing_label(label), label


def test_japanese_code_table_with_one_character_labels(tmp_path):
    path = tmp_path / "fugo.csv"
    path.write_text("項目名,符号,内容\n性別,1,男\n,2,女\n年齢階級,01,15～19歳\n,02,20～24歳\n,99,不詳\n",
                    encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert [(c.value, c.label) for c in fields["性別"].categories] == [("1", "男"), ("2", "女")]
    assert [(m.value, m.label) for m in fields["年齢階級"].missing_values] == [("99", "不詳")]
