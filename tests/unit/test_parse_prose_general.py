"""Prose dictionaries of other publishers' layouts, on small hand-written documents.

Each layout is written here from its shape alone (other words, other languages), so the tests
hold the mechanisms, not any one file: key-value bullets under Markdown headings, bold names on
their own lines, a table of values under each variable, Word paragraphs with list-paragraph
keys and label-first code tables, `name: description` lines with tabs and dotted names, Rd
items over several lines, questionnaires with options on the question's line, and a PDF table
that the table reader, not the prose reader, reads.  Negative cases say what is not a field or
not a code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import docx
import pytest

from engine.model import Category, Field
from engine.parsers import ParseContext, parse_dictionary
from engine.parsers.coverage import Coverage
from engine.parsers.quality import consistency, focus, reading_score
from engine.parsers.text import parse_text, strip_footnotes
from engine.parsers.text.options import options_in_line
from engine.parsers.text.codetables import read_code_table
from engine.parsers.text.entries import label_code, oriented
from engine.parsers.text.names import heading_name, is_placeholder


def _read(tmp_path, name: str, content: str | bytes) -> dict[str, Field]:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return {f.name: f for f in parse_text(ParseContext(path=path, filename=name))}


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


# ---- 1. key-value bullets under Markdown headings -------------------------------------------
SPANISH = """# Diccionario de la Encuesta de Hogares Rurales

## Presentación

Cada variable se describe así:

- **Definición operativa**: lo que mide la variable.
- **Tipo**: numérica, categórica o texto.
- **Valores posibles**: los códigos admitidos.

## Marco conceptual

La pobreza rural se estudia en tres dimensiones (Sen, 1999):

1) Eje de ingresos: lo que el hogar percibe.
2) Eje de activos: la tierra y el ganado.

## Variables

### `COD_HOGAR` — Código del hogar

- **Definición operativa**: Número asignado a cada hogar en el marco muestral.
- **Tipo**: Numérica
- **Valores posibles**: [Texto libre]

### `ZONA` — Zona de residencia

- **Definición operativa**: Ubicación de la vivienda.
- **Tipo**: Categórica
- **Valores posibles**:
  - 1: Altiplano
  - 2: Valle
  - 3: Llano
  - 99: No corresponde

### RIEGO — Acceso a riego

- **Definición operativa**: Si alguna parcela tiene riego. Se distinguen:
  1) riego por gravedad, 2) riego por aspersión.
- **Tipo**: Dicotómica
- **Valores posibles**: 1: Sí; 0: No

### GANADO — Cabezas de ganado

- **Definición operativa**: Número de cabezas de ganado mayor del hogar.
- **Tipo**: Numérica
- **Valores posibles**: 0 a 500

### NOTAS — Notas del encuestador

- **Definición operativa**: Observaciones libres.
- **Tipo**: Texto
- **Valores posibles**: [Texto libre]

## Referencias

- Sen, A. (1999). Development as Freedom. Oxford University Press.
- Pérez, L. (2015). Hogares rurales. Revista Andina, 4(1), 33-50.
"""


def test_key_value_bullets_under_markdown_headings(tmp_path):
    fields = _read(tmp_path, "diccionario.md", SPANISH)
    assert list(fields) == ["COD_HOGAR", "ZONA", "RIEGO", "GANADO", "NOTAS"]
    zona = fields["ZONA"]
    assert zona.title == "Zona de residencia"
    assert zona.description == "Ubicación de la vivienda."
    assert _pairs(zona.categories) == [("1", "Altiplano"), ("2", "Valle"), ("3", "Llano")]
    assert _pairs(zona.missing_values) == [("99", "No corresponde")]  # not applicable
    assert _pairs(fields["RIEGO"].categories) == [("1", "Sí"), ("0", "No")]  # not `1) riego`
    assert fields["COD_HOGAR"].categories == [] and fields["NOTAS"].categories == []
    assert fields["COD_HOGAR"].type == "number" and fields["NOTAS"].type == "string"
    assert fields["GANADO"].categories == []  # `0 a 500` is no code list
    assert "0 a 500" in fields["GANADO"].description


def test_heading_names_need_a_separator_or_a_coded_name():
    assert heading_name("### `SEXO` — Sexo de la persona") == ("SEXO", "Sexo de la persona")
    assert heading_name("**wt_kg** - Weight") == ("wt_kg", "Weight")
    assert heading_name("age      Age in years") == ("age", "Age in years")
    assert heading_name("WHD010 Current height") == ("WHD010", "Current height")
    assert heading_name("siguiente estructura:") == ("", "")  # a sentence above a block
    assert heading_name("Age in years") == ("", "")


# ---- 2. bold names alone on their lines -----------------------------------------------------
GERMAN = """# Variablen der Pendlerstudie

Fehlende Angaben sind leer.

**pid**
Personennummer

**geschlecht**
Geschlecht der befragten Person
1 = weiblich,
2 = männlich,
3 = divers.

**wegzeit*
Wegzeit zur Arbeit in Minuten

*rad_km**
Mit dem Rad gefahrene Kilometer pro Woche

**studiengang**
Studiengang
BWL = Betriebswirtschaftslehre,
INF = Informatik.

**zufriedenheit**
1 = gar nicht,
2 = etwas,
3 = sehr.
"""


def test_bold_names_alone_with_broken_markup_and_list_punctuation(tmp_path):
    fields = _read(tmp_path, "codebuch.md", GERMAN)
    assert list(fields) == ["pid", "geschlecht", "wegzeit", "rad_km", "studiengang",
                            "zufriedenheit"]
    assert fields["wegzeit"].description == "Wegzeit zur Arbeit in Minuten"
    assert _pairs(fields["geschlecht"].categories) == [
        ("1", "weiblich"), ("2", "männlich"), ("3", "divers")]
    assert _pairs(fields["studiengang"].categories) == [
        ("BWL", "Betriebswirtschaftslehre"), ("INF", "Informatik")]
    z = fields["zufriedenheit"]  # codes without a description
    assert not z.description and [c.value for c in z.categories] == ["1", "2", "3"]


# ---- 3. a table of values under each variable (converted survey documentation) ---------------
SURVEY = """# Sleep Disorders (SLQ_J)

## Table of Contents

- [Component Description](#component-description)
- [Codebook and Frequencies](#codebook-and-frequencies)

## Component Description

The sleep section asks about usual sleep and wake times on workdays and the frequency of
snoring. Questions were asked in the home of participants aged 16 and older.

## Codebook and Frequencies

### SEQN - Respondent sequence number

  Variable Name: SEQN
  SAS Label: Respondent sequence number
  English Text: Respondent sequence number.
  Target: Both males and females 16 YEARS - 150 YEARS

Code or Value | Value Description | Count | Cumulative | Skip to Item
---|---|---|---|---
93705 to 102956 | Range of Values | 6161 | 6161 |
. | Missing | 0 | 6161 |

### SLD012 - Sleep hours - weekdays or workdays

  Variable Name: SLD012
  SAS Label: Sleep hours - weekdays or workdays
  English Text: Number of hours usually sleep on weekdays or workdays.
  Target: Both males and females 16 YEARS - 150 YEARS

Code or Value | Value Description | Count | Cumulative | Skip to Item
---|---|---|---|---
2 to 13.5 | Range of Values | 6094 | 6094 |
77 | Refused | 1 | 6095 |
99 | Don't know | 9 | 6104 |
. | Missing | 57 | 6161 |

### CHECK ITEM SLQ025

  CHECK ITEM SLQ025: IF SP AGE 16-19, GO TO SLQ030. OTHERWISE, CONTINUE.

### SLQ030 - How often do you snore?

  Variable Name: SLQ030
  SAS Label: How often do you snore?
  English Text: In the past 12 months, how often did you snore while you were sleeping?
  Target: Both males and females 16 YEARS - 150 YEARS

Code or Value | Value Description | Count | Cumulative | Skip to Item
---|---|---|---|---
0 | Never | 1578 | 1578 | SLQ040
1 | Rarely - 1-2 nights a week | 1321 | 2899 |
2 | Occasionally - 3-4 nights a week | 1025 | 3924 |
3 | Frequently - 5 or more nights a week | 1686 | 5610 |
7 | Refused | 2 | 5612 |
9 | Don't know | 493 | 6105 |
. | Missing | 56 | 6161 |

### SLQ300u - Usual sleep time on weekdays (unit)

  Variable Name: SLQ300u
  SAS Label: Usual sleep time on weekdays (unit)
  English Text: What time do you usually fall asleep on weekdays?
  Target: Both males and females 16 YEARS - 150 YEARS

Code or Value | Value Description | Count | Cumulative | Skip to Item
---|---|---|---|---
1 | AM | 914 | 914 |
2 | PM | 5190 | 6104 |
. | Missing | 57 | 6161 |
"""


def test_a_table_of_values_under_each_variable(tmp_path):
    fields = _read(tmp_path, "slq.md", SURVEY)
    assert list(fields) == ["SEQN", "SLD012", "SLQ030", "SLQ300u"]  # no CHECK ITEM, no TOC
    sleep = fields["SLD012"]
    assert sleep.title == "Sleep hours - weekdays or workdays"
    assert (sleep.constraints["minimum"], sleep.constraints["maximum"]) == (2, 13.5)
    assert _pairs(sleep.missing_values) == [("77", "Refused"), ("99", "Don't know"),
                                            (".", "Missing")]
    assert sleep.categories == []  # a range of values, not codes; counts are not codes
    snore = fields["SLQ030"]
    assert [c.value for c in snore.categories] == ["0", "1", "2", "3"]
    assert snore.categories[1].label == "Rarely - 1-2 nights a week"
    assert "CHECK" not in snore.description and "CHECK" not in sleep.description
    assert _pairs(fields["SLQ300u"].categories) == [("1", "AM"), ("2", "PM")]
    assert fields["SEQN"].constraints == {"minimum": 93705, "maximum": 102956}


def test_code_tables_read_from_their_cells():
    t = read_code_table([["Value", "Label", "Frequency"], ["1", "Urban", "420"],
                         ["2", "Rural", "380"], ["-9", "Missing", "3"]])
    assert _pairs(t.categories) == [("1", "Urban"), ("2", "Rural")]
    assert _pairs(t.missing) == [("-9", "Missing")]
    t = read_code_table([["Urban", "1"], ["Rural", "2"]])  # label first
    assert _pairs(t.categories) == [("1", "Urban"), ("2", "Rural")]
    t = read_code_table([["Valor", "Etiqueta"], ["1 a 7,500", "Rango"], ["9999", "No sabe"]])
    assert (t.minimum, t.maximum, _pairs(t.missing)) == (1, 7500, [("9999", "No sabe")])
    # a table of fields is the table reader's, not a code table
    assert read_code_table([["Variable", "Label"], ["age", "Age"], ["sex", "Sex"]]) is None
    assert read_code_table([["Name", "Description"], ["Alice", "Engineer"]]) is None


def test_a_table_in_another_section_is_not_the_last_variables(tmp_path):
    text = """### q1 — First question

Some text.

### q2 — Second question

More text.

### q3 — Third question

Last text.

## Processing steps

Step | What to do
---|---
1 | Download the files
2 | Unzip them
"""
    fields = _read(tmp_path, "steps.md", text)
    assert list(fields) == ["q1", "q2", "q3"]
    assert fields["q3"].categories == []


# ---- 4. Word paragraphs: a name, then list-paragraph keys -----------------------------------
def _word_codebook(path):
    d = docx.Document()
    d.add_paragraph("Codebook for the livelihood survey", style="Title")
    d.add_paragraph("This codebook lists each variable with its definition and tabulation. "
                    "Counts refer to the 2018 round.")
    d.add_paragraph("VARIABLE_NAME")
    d.add_paragraph("Definition: Description of variable", style="List Paragraph")
    d.add_paragraph("Tabulation: Frequencies of the values", style="List Paragraph")

    def variable(name, definition, unique, missing, lines=(), table=()):
        d.add_paragraph(name)
        d.add_paragraph(f"Definition: {definition}", style="List Paragraph")
        d.add_paragraph(f"Unique values = {unique}", style="List Paragraph")
        d.add_paragraph(f"Missing: {missing}", style="List Paragraph")
        if lines:
            d.add_paragraph("Tabulation:", style="List Paragraph")
            for line in lines:
                d.add_paragraph(line, style="List Paragraph")
        if table:
            t = d.add_table(rows=0, cols=2)
            for label, code in table:
                cells = t.add_row().cells
                cells[0].text, cells[1].text = label, code
    variable("resp_id", "Identifier of the respondent", 1840, 0)
    variable("religion", "Religion of the household head", 3, 2,
             table=[("Hindu", "1"), ("Muslim", "2"), ("Other", "3")])
    variable("state", "State of residence", 3, 0, lines=["BIHAR = 1", "ODISHA = 2", "ASSAM = 3"])
    variable("has_loan", "Whether the household has a loan", 2, 14,
             lines=["Yes = 1", "No = 0", "Don't know = 8"])
    variable("land_cat", "Land owned, in acres", 3, 40,
             lines=["<=2: 1", "2-5: 2", ">5: 3"])
    variable("members", "Number of household members", 14, 0)
    d.save(path)


def test_word_paragraphs_with_keys_and_label_first_codes(tmp_path):
    path = tmp_path / "codebook.docx"
    _word_codebook(path)
    fields = {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}
    assert list(fields) == ["resp_id", "religion", "state", "has_loan", "land_cat", "members"]
    assert fields["resp_id"].description == "Identifier of the respondent"
    assert fields["resp_id"].categories == [] and fields["resp_id"].missing_values == []
    assert _pairs(fields["religion"].categories) == [("1", "Hindu"), ("2", "Muslim"),
                                                     ("3", "Other")]
    assert _pairs(fields["state"].categories) == [("1", "BIHAR"), ("2", "ODISHA"),
                                                  ("3", "ASSAM")]
    loan = fields["has_loan"]
    assert _pairs(loan.categories) == [("1", "Yes"), ("0", "No")]
    assert _pairs(loan.missing_values) == [("8", "Don't know")]
    assert _pairs(fields["land_cat"].categories) == [("1", "<=2"), ("2", "2-5"), ("3", ">5")]
    assert "14" not in fields["members"].description  # `Unique values = 14` is a count


def test_label_first_code_lines_and_placeholders():
    assert label_code("Don't know = 8") == Category("8", "Don't know")
    assert label_code("<=200: 1") == Category("1", "<=200")
    assert label_code("Mean: 4") is None and label_code("Unique values = 12") is None
    assert label_code("1 = Yes") is None
    assert _pairs(oriented([Category("Yes", "1"), Category("No", "0")])) == [("1", "Yes"),
                                                                             ("0", "No")]
    assert _pairs(oriented([Category("1", "2"), Category("M", "x")])) == [("1", "2"),
                                                                          ("M", "x")]
    assert is_placeholder("VARIABLE_NAME") and is_placeholder("nombre de la variable")
    assert not is_placeholder("variable") and not is_placeholder("name")


def test_a_bare_name_on_a_word_paragraph_heads_a_short_entry(tmp_path):
    d = docx.Document()
    d.add_paragraph("The survey of 2021 farms: each entry gives the variable and its codes.")
    for name, text, rows in (("plot_id", "Plot identifier.", ()),
                             ("soil", "Dominant soil type.", (("Clay", "1"), ("Loam", "2"),
                                                               ("Sand", "3"))),
                             ("slope", "Slope class of the plot.", (("Flat", "1"),
                                                                     ("Steep", "2"))),
                             ("yield_kg", "Harvest of the last season in kg.", ())):
        d.add_paragraph(name)
        d.add_paragraph(text)
        if rows:
            t = d.add_table(rows=0, cols=2)
            for label, code in rows:
                cells = t.add_row().cells
                cells[0].text, cells[1].text = label, code
    path = tmp_path / "farms.docx"
    d.save(path)
    fields = {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}
    assert list(fields) == ["plot_id", "soil", "slope", "yield_kg"]
    assert _pairs(fields["slope"].categories) == [("1", "Flat"), ("2", "Steep")]
    assert fields["yield_kg"].categories == []


# ---- 5. `name: description` paragraphs with tabs; dotted names -------------------------------
def test_colon_paragraphs_with_tabs_and_dotted_names(tmp_path):
    d = docx.Document()
    d.add_paragraph("Monthly ocean indices", style="Heading 1")
    d.add_paragraph("The series below come from the national climate centre.\t")
    for line in ("yr:\tcalendar year\t", "AMO:\tAtlantic multidecadal oscillation\t\t",
                 "NINO1.2: anomaly in the Nino 1+2 region", "NINO3.4: anomaly in Nino3.4\t",
                 "NINO3.41: NINO3.4 lagged by one month\t"):
        d.add_paragraph(line)
    path = tmp_path / "indices.docx"
    d.save(path)
    fields = {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}
    assert list(fields) == ["yr", "AMO", "NINO1.2", "NINO3.4", "NINO3.41"]
    assert fields["NINO3.41"].description == "NINO3.4 lagged by one month"
    assert fields["AMO"].description == "Atlantic multidecadal oscillation"


def test_footnote_marks_leave_dotted_names_and_formulas():
    assert strip_footnotes("see NINO3.4 and NINO3.41") == "see NINO3.4 and NINO3.41"
    assert strip_footnotes("CO2 levels from the CDC5)") == "CO2 levels from the CDC)"
    assert strip_footnotes("data set1 of the study") == "data set of the study"


# ---- 6. Rd items over several lines, values in \code{} ---------------------------------------
RD = r"""% roxygen
\name{trees_survey}
\title{Street tree survey}
\format{
A data frame with 5 variables:
\describe{
  \item{tree_id}{
    Identifier of the tree.
  }

  \item{health}{Health of the tree, one of
    \code{Good}, \code{Fair} or \code{Poor}.}

  \item{
    dbh
  }{Diameter at breast height in centimetres.}
  \item{borough}{Borough: one of `Bronx`, `Queens` or `Brooklyn`.}
  \item{notes}{Free text, see \code{\link{survey_notes}}.}
}
}
"""


def test_rd_items_over_lines_and_quoted_values(tmp_path):
    fields = _read(tmp_path, "trees.Rd", RD)
    assert list(fields) == ["tree_id", "health", "dbh", "borough", "notes"]
    assert fields["tree_id"].description == "Identifier of the tree."
    health = fields["health"]
    assert health.description == "Health of the tree, one of Good, Fair or Poor."
    assert [c.value for c in health.categories] == ["Good", "Fair", "Poor"]
    assert all(c.label == c.value for c in health.categories)  # value == label
    assert fields["notes"].categories == []


# ---- 7. a PDF table: the table reading wins over the prose reading --------------------------
def _pdf(lines: list[tuple[float, float, str]], rules: list[tuple[float, float, float]]) -> bytes:
    """A one-page PDF with text at (x, y) and horizontal rules (x1, x2, y)."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    ops = [f"BT /F1 10 Tf {x} {y} Td ({esc(t)}) Tj ET" for x, y, t in lines]
    ops += [f"0.5 w {a} {y} m {b} {y} l S" for a, b, y in rules]
    stream = "\n".join(ops).encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_table_goes_to_the_table_reader(tmp_path):
    rows = [("hh", "Household number", "string", "Unique per household"),
            ("age", "Age of the person", "numeric", "Years"),
            ("sex", "Sex of the person", "string", "M, F"),
            ("weight", "Body weight", "numeric", "kg"),
            ("town", "Town of residence", "string", "Name of the town"),
            ("rooms", "Rooms in the dwelling", "numeric", "1 to 12"),
            ("rent", "Monthly rent", "numeric", "Euro"),
            ("tenure", "Tenure of the dwelling", "string", "own, rent"),
            ("floor", "Floor of the dwelling", "numeric", "0 to 30")]
    lines = [(72, 740, "Data dictionary"),
             (72, 715, "The variables of the file are listed in the table below.")]
    y = 690
    lines += [(72, y, "Name"), (140, y, "Label"), (300, y, "Type"), (380, y, "Values / units")]
    rules = [(72, 520, y + 12), (72, 520, y - 5)]
    for row in rows:
        y -= 14
        lines += [(x, y, cell) for x, cell in zip((72, 140, 300, 380), row)]
    rules.append((72, 520, y - 6))
    path = tmp_path / "dictionary.pdf"
    path.write_bytes(_pdf(lines, rules))
    result = parse_dictionary(path)
    assert result.format == "table"
    assert result.schema.names == [r[0] for r in rows]  # no `Name` field from the header row


def test_quality_focus_and_consistency():
    short = [Field(name=f"v{i}", description="Age of the person in years") for i in range(6)]
    swallowed = [Field(name="intro", description=" ".join(["word"] * 400)),
                 Field(name="v1", description="Age")]
    assert focus(short) == 1.0 and focus(swallowed) < 0.01
    full = Coverage(share=0.9)
    assert reading_score(short, full) > reading_score(swallowed, full)
    # strings and numbers whose types the document states are entries of one shape
    typed = [Field(name="a", description="x", type="string", extras={"sourceType": "text"}),
             Field(name="b", description="y", type="number", extras={"sourceType": "numeric"})]
    assert consistency(typed) == 1.0


# ---- questionnaires and other layouts -------------------------------------------------------
QUESTIONNAIRE = """ENCUESTA DE SALUD 2023

Sección A. Hogar

A.1 ¿Cuántas personas viven en este hogar?
A.2 ¿La vivienda es propia?   ( ) Sí   ( ) No
A.3 Fuente principal de agua
[1] Red pública  [2] Pozo  [3] Río  [9] Otra

Sección B. Persona

P4) ¿Cuál es su sexo?  □ Hombre  □ Mujer
P5) ¿Fuma actualmente?  [1] Sí  [2] No  [8] No sabe
"""


def test_question_headings_with_options_on_the_line(tmp_path):
    fields = _read(tmp_path, "cuestionario.txt", QUESTIONNAIRE)
    assert list(fields) == ["A.1", "A.2", "A.3", "P4", "P5"]
    assert fields["A.1"].categories == []
    assert _pairs(fields["A.2"].categories) == [("Sí", "Sí"), ("No", "No")]
    assert fields["A.2"].description == "¿La vivienda es propia?"
    assert [c.value for c in fields["A.3"].categories] == ["1", "2", "3", "9"]
    assert _pairs(fields["P4"].categories) == [("Hombre", "Hombre"), ("Mujer", "Mujer")]
    assert _pairs(fields["P5"].categories) == [("1", "Sí"), ("2", "No")]
    assert _pairs(fields["P5"].missing_values) == [("8", "No sabe")]


def test_options_on_a_line_and_what_is_not_one():
    assert options_in_line("Q3. Own a car?  ☐ Yes  ☐ No")[1] == [Category("Yes", "Yes"),
                                                                 Category("No", "No")]
    assert options_in_line("See the notes [1] and [2] for details")[1] == []
    assert options_in_line("Income (1) before and (2) after tax")[1] == []
    assert options_in_line("[2] Yes [1] No")[1] == []  # codes must count up


@pytest.mark.parametrize("name, text", [
    ("fr.txt", "Variables du fichier\n\nIDENT : identifiant du ménage\nREGION : région\n"
               "NBPERS : nombre de personnes\nSTATUT : statut d'occupation\n"),
    ("pt.txt", "Dicionário\n\nidade – idade em anos\nsexo – sexo do entrevistado\n"
               "renda – renda mensal\nuf – unidade da federação\n"),
    ("de.txt", "Variablen\n\nid\tLaufende Nummer\nalter\tAlter in Jahren\n"
               "einkommen\tNettoeinkommen\nland\tBundesland\n"),
])
def test_definition_lists_in_other_languages(tmp_path, name, text):
    fields = _read(tmp_path, name, text)
    assert len(fields) == 4
    assert all(f.description for f in fields.values())


STATA = """. codebook weight income

-------------------------------------------------------------------------------
weight                                                         Body weight in kg
-------------------------------------------------------------------------------

                  type:  numeric (float)

                 range:  [38.5,142]                   units:  .1
         unique values:  611                      missing .:  4/1,200

                  mean:   71.86
              std. dev:   14.3

-------------------------------------------------------------------------------
smoker                                                           Smoking status
-------------------------------------------------------------------------------

                  type:  numeric (byte)
                 label:  smokelbl

                 range:  [0,1]                        units:  1
         unique values:  2                        missing .:  0/1,200

            tabulation:  Freq.   Numeric  Label
                           900         0  No
                           300         1  Yes

-------------------------------------------------------------------------------
town                                                              Town of birth
-------------------------------------------------------------------------------

                  type:  string (str9)

         unique values:  2                        missing "":  0/1,200

            tabulation:  Freq.  Value
                           700  "Leeds"
                           500  "York"
"""


def test_stata_codebook_output_statistics_are_no_constraints(tmp_path):
    fields = _read(tmp_path, "codebook.txt", STATA)
    assert list(fields) == ["weight", "smoker", "town"]
    weight = fields["weight"]
    assert (weight.type, weight.constraints, weight.title) == ("number", {}, "Body weight in kg")
    smoker = fields["smoker"]
    assert smoker.type == "integer"  # `numeric (byte)`
    assert _pairs(smoker.categories) == [("0", "No"), ("1", "Yes")]  # not the counts
    assert "smokelbl" not in (smoker.title or "")
    assert fields["town"].type == "string"


SPSS_DUMP = """Variable Information

Variable   Position   Label                        Level      Print Format   Missing Values
hhid       1          Household identifier         Scale      F8
rooms      2          Number of rooms              Scale      F2             99
tenure     3          Tenure of the dwelling       Nominal    F1             9
heating    4          Main heating fuel            Nominal    F1             8, 9
rent       5          Monthly rent in pesos        Scale      F8.2

Variable Values

Value              Label
tenure   1         Owner
         2         Tenant
         9         No answer
heating  1         Gas
         2         Wood
         8         Don't know
         9         Refused
"""


def test_a_printed_variable_table_laid_out_with_spaces(tmp_path):
    fields = _read(tmp_path, "dictionary.txt", SPSS_DUMP)
    assert list(fields) == ["hhid", "rooms", "tenure", "heating", "rent"]  # no `Variable`
    assert fields["rooms"].title == "Number of rooms"
    assert (fields["rooms"].type, fields["rent"].type) == ("integer", "number")  # F2, F8.2
    assert [c.value for c in fields["rooms"].missing_values] == ["99"]
    tenure = fields["tenure"]
    assert _pairs(tenure.categories) == [("1", "Owner"), ("2", "Tenant")]
    assert _pairs(tenure.missing_values) == [("9", "No answer")]
    assert _pairs(fields["heating"].missing_values) == [("8", "Don't know"), ("9", "Refused")]
    assert "Nominal" not in (tenure.title or "")


def test_code_tables_belong_to_the_variable_above_them_after_a_list_of_contents():
    """A list of contents names every variable before their sections: each value table goes
    to the variable whose section it closes, not to the last name of the contents."""
    text = "\n".join([
        "# Weight history", "", "## Contents", "",
        "* HT010 - Current height (inches)", "* SM020 - Smoked in the past year",
        "* WT030 - Current weight (pounds)", "",
        "## Variables", "",
        "### HT010 - Current height (inches)", "", "Variable Name:", "", "    HT010",
        "SAS Label:", "", "    Current height (inches)",
        "Code or Value | Value Description | Count | Cumulative | Skip to Item  ",
        "---|---|---|---|---  ",
        "48 to 81 | Range of Values | 6376 | 6376 |   ",
        "7777 | Refused | 1 | 6377 |   ",
        ". | Missing | 25 | 6402 |   ", "  ",
        "### SM020 - Smoked in the past year", "", "Variable Name:", "", "    SM020",
        "SAS Label:", "", "    Smoked in the past year",
        "Code or Value | Value Description | Count | Cumulative | Skip to Item  ",
        "---|---|---|---|---  ",
        "1 | Yes | 120 | 120 |   ", "2 | No | 300 | 420 |   ",
        "9 | Don't know | 2 | 422 |   ", "  ",
        "### WT030 - Current weight (pounds)", "", "Variable Name:", "", "    WT030",
        "SAS Label:", "", "    Current weight (pounds)",
        "Code or Value | Value Description | Count | Cumulative | Skip to Item  ",
        "---|---|---|---|---  ",
        "75 to 450 | Range of Values | 6300 | 6300 |   ", "7777 | Refused | 3 | 6303 |   ", ""])
    path = Path(tempfile.mkdtemp()) / "weight.md"
    path.write_text(text, encoding="utf-8")
    schema = parse_dictionary(path).schema
    height, smoked = schema.field("HT010"), schema.field("SM020")
    assert (height.constraints["minimum"], height.constraints["maximum"]) == (48, 81)
    assert {c.value for c in height.missing_values} >= {"7777", "."}
    assert [(c.value, c.label) for c in smoked.categories] == [("1", "Yes"), ("2", "No")]
    assert [(c.value, c.label) for c in smoked.missing_values] == [("9", "Don't know")]
    assert schema.field("WT030").constraints["maximum"] == 450
