"""A `Name<TAB>Description` table flattened to text (a LaTeX PDF), each name followed by its
type in brackets: names whose underscores the PDF's text lost (`bills spons n (numeric)`)
still head fields, known by the type word and the tab after it, among the other typed heads.
Negative case: a line of words with a bracketed remark that is no type stays text.
Also `NAME: text` lists: a preamble word (`Date:`) between two entries names a field; at the
top of the document it stays preamble.  And a coded name alone on its line, printed below its
one line of text (a PDF centres a cell's lines), takes that line back from the entry above."""

from __future__ import annotations

from engine.parsers.text import fields_from_lines

_TABLE = """\
Table 1: Description of the variables in the main dataset.
Name\tDescription
BillID (string)\tBill identifier composed of the Congress number and the bill number.
BillNum (numeric)\tBill Number.
Title (string)\tBill Title.
MemberID (numeric)\tCongress-member-level unique identifier.
bills spons n (numeric)\tThe number of bills sponsored by the bill sponsor during that Congress.
experience (numeric)\tNumber of years the member has served in Congress.
unified cong (binary)\tWhether the same party has the majority in both chambers.
see the notes (page 2)\tfor how the sample was drawn.
nomgrid (numeric)\tGridlock Interval measure.
"""


def test_names_with_lost_underscores_head_fields():
    fields, _ = fields_from_lines(_TABLE.splitlines(), lambda _m: None)
    by_name = {f.name: f for f in fields}
    assert "bills spons n" in by_name and "unified cong" in by_name
    assert by_name["bills spons n"].description.startswith("The number of bills")
    assert by_name["MemberID"].description == "Congress-member-level unique identifier."
    assert "see the notes" not in by_name  # `(page 2)` is no type


_COLON_LIST = """\
Data Codebook
Title: Climate and diarrhoea in Chobe District, monthly series
Date: July 2019, revised in March 2020

Month: Month of the observation
Year: Year of observation
Date: Date of the first of the month (month/day/year)

diarrhea: Total monthly diarrhea incidence
rainfall: Total monthly rainfall in the district
"""


def test_a_preamble_word_among_fields_names_a_field():
    fields, _ = fields_from_lines(_COLON_LIST.splitlines(), lambda _m: None)
    names = [f.name for f in fields]
    assert names == ["Month", "Year", "Date", "diarrhea", "rainfall"]  # not the top `Date:`
    assert fields[2].description.startswith("Date of the first of the month")


_CENTRED = """\
VARIÁVEL\tDESCRIÇÃO
NOME_CANDIDATO\tNome completo do candidato
SIGLA_UE\tSigla da Unidade Eleitoral (em caso de eleição majoritária é a
sigla da UF que o candidato concorre)
CODIGO_OCUPACAO\tCódigo da ocupação do candidato
DATA_NASCIMENTO\tData de nascimento do candidato
Número do título eleitoral do candidato
NUM_TITULO_ELEITORAL_CANDIDATO
IDADE_DATA_ELEICAO\tIdade do candidato da data da eleição
CODIGO_SEXO\tCódigo do sexo do candidato
"""


def test_a_name_printed_below_its_text_takes_that_text():
    fields, _ = fields_from_lines(_CENTRED.splitlines(), lambda _m: None)
    by_name = {f.name: f for f in fields}
    assert by_name["NUM_TITULO_ELEITORAL_CANDIDATO"].description == \
        "Número do título eleitoral do candidato"
    assert by_name["DATA_NASCIMENTO"].description == "Data de nascimento do candidato"
    assert by_name["SIGLA_UE"].description.endswith("sigla da UF que o candidato concorre)")
