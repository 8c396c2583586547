"""Prose dictionaries built the way real tools build them, read through `load_document`.

Hand-written text misses what extraction does to a real file: a PDF's wide gaps come out as
tabs (narrow ones as spaces), its pages as blocks with page numbers, a table printed without
rules as lines of cells; Word's list numbering comes out as `17. ` or `- ` marks before the
keys, continued or restarted per list; R's markup as quotes.  So the documents here are made
by the tools: PDFs printed by headless Chromium from HTML (committed with their HTML source
in tests/fixtures/prose_real, made by its make_pdfs.py) or drawn with matplotlib text at x/y
(LaTeX-like pages), Word files by python-docx with the `List Paragraph` style and real
numbering definitions (numPr), R help pages as roxygen writes them.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from engine.formats import load_document
from engine.model import Field
from engine.parsers import ParseContext, parse_dictionary
from engine.parsers.text import parse_text
from engine.parsers.text.tabtables import code_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "prose_real"


def _text_fields(path: Path) -> dict[str, Field]:
    """The text reader's fields (the reading that must be right on its own)."""
    fields = list(parse_text(ParseContext(path=path, filename=path.name)))
    out = {f.name: f for f in fields}
    assert len(out) == len(fields), "a name read twice"
    return out


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


# ---- 1. PDF: a two-column variable list set as text, code tables after it ----------------------
BILL_NAMES = [
    "BillID", "Cong", "BillType", "BillNum", "IntrDate", "Title", "ImpBill", "Major", "Minor",
    "Sponsor", "SponsorParty", "SponsorState", "Cosponsors", "Committee", "CommChair",
    "Hearings", "Markup", "Reported", "PassH", "PassS", "Law", "Veto", "Override", "last_vers",
    "NumVers", "Pages", "Words", "Amend", "Private", "Commem", "Approp", "Revenue", "Reauth",
    "Omnibus", "Majority", "Seniority", "DW1", "Chamber", "Status"]
VERSIONS = [("IH", "Introduced in the House"), ("IS", "Introduced in the Senate"),
            ("RH", "Reported in the House"), ("RS", "Reported in the Senate"),
            ("EH", "Engrossed in the House"), ("ES", "Engrossed in the Senate"),
            ("ENR", "Enrolled bill")]


def test_pdf_gaps_come_out_as_tabs_and_the_list_runs_over_pages():
    doc = load_document(FIXTURES / "bills_variables.pdf", "bills_variables.pdf")
    lines = doc.text.splitlines()
    assert "BillID (string)\tBill identifier composed of the congress number, the bill type " \
           "and the bill" in lines
    assert "last_vers(string)\tLast version of the bill text that was printed; the versions " \
           "are listed in Table 2." in lines                       # a glued type
    assert "number, separated by hyphens." in lines                 # a wrapped description
    assert "IH\tIntroduced in the House\tIntroduced" in lines       # a code table's row
    assert len(doc.pages) == 3


def test_a_variable_list_in_a_pdf_beats_its_code_tables():
    fields = _text_fields(FIXTURES / "bills_variables.pdf")
    assert list(fields) == BILL_NAMES                    # no `IH`, `INT`, `Name` fields
    bill = fields["BillID"]
    assert bill.type == "string" and bill.extras["sourceType"] == "string"
    assert bill.description == ("Bill identifier composed of the congress number, the bill "
                                "type and the bill number, separated by hyphens.")
    assert fields["Title"].extras["sourceType"] == "string"  # a preamble word with a type
    assert fields["ImpBill"].extras["sourceType"] == "binary"
    assert fields["Major"].extras["sourceType"] == "categorical"  # glued: `Major(categorical)`
    # the caption names the variable (`Table 2: Versions of a bill (last_vers)`)
    assert _pairs(fields["last_vers"].categories) == VERSIONS
    assert [c.value for c in fields["Status"].categories] == ["INT", "REF", "REP", "PAS", "ENA"]
    assert fields["Chamber"].categories == []


def test_the_variable_list_wins_the_whole_parse():
    result = parse_dictionary(FIXTURES / "bills_variables.pdf")
    assert result.schema.names == BILL_NAMES
    assert _pairs(result.schema.fields[BILL_NAMES.index("last_vers")].categories) == VERSIONS


def test_positioned_columns_with_spanish_types_glued_spaced_or_absent():
    fields = _text_fields(FIXTURES / "clinica_variables.pdf")
    assert list(fields)[:3] == ["id_paciente", "edad", "sexo"] and len(fields) == 14
    assert fields["id_paciente"].type == "string"             # `id_paciente(texto)`
    assert fields["edad"].type == "number"                    # `edad (numérico)`
    assert fields["fecha_ingreso"].type == "date"             # `fecha_ingreso(fecha)`
    assert fields["reingreso"].extras["sourceType"] == "binario"
    assert "sourceType" not in fields["diag_princ"].extras    # no type given
    assert fields["diag_princ"].description.endswith("décima revisión.")
    assert fields["dias_estancia"].description.endswith("hasta el alta o el fallecimiento.")


def test_a_wide_gap_without_types_and_a_page_break_inside_the_list():
    fields = _text_fields(FIXTURES / "stations_variables.pdf")
    assert len(fields) == 18 and list(fields)[0] == "station_id"
    assert list(fields)[-1] == "source"
    assert fields["tmax"].description.endswith("two metres above the ground in a ventilated "
                                               "screen.")
    assert all(not f.categories for f in fields.values())


# LaTeX-like pages drawn with matplotlib: the names and the descriptions at fixed x, the
# descriptions wrapped onto lines that start at their column, page numbers, a centred caption
def _latex_pdf(path: Path, entries: list[tuple[str, str]], desc_x: float,
               code_pages: list[tuple[str, list[list[str]]]] = ()) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    pages: list[list[tuple[float, float, str]]] = []
    items = [(200, 90, "Table 1: Description of the variables")]
    y = 110
    for name, desc in entries:
        wrapped = textwrap.wrap(desc, 60)
        if y + 13 * len(wrapped) > 700:
            pages.append(items + [(300, 750, str(len(pages) + 1))])
            items, y = [], 80
        items.append((72, y, name))
        for line in wrapped:
            items.append((desc_x, y, line))
            y += 13
        y += 3
    pages.append(items + [(300, 750, str(len(pages) + 1))])
    items, y = [], 80
    for caption, rows in code_pages:
        items.append((200, y, caption))
        y += 18
        for row in rows:
            items += [(x, y, cell) for x, cell in zip((150, 220, 400), row)]
            y += 13
        y += 20
    if items:
        pages.append(items + [(300, 750, str(len(pages) + 1))])
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for page in pages:
            fig = plt.figure(figsize=(8.5, 11))
            for x, y, text in page:
                fig.text(x / 612, 1 - y / 792, text, fontsize=10, family="DejaVu Serif")
            pdf.savefig(fig)
            plt.close(fig)


PARTIES = [
    ("party_id", "string", "Identifier of the party in the comparative party data set."),
    ("country", "string", "Name of the country in which the party competes."),
    ("founded", "numeric", "Year in which the party was founded or registered with the "
     "electoral authority for the first time."),
    ("family", "categorical", "Party family of the party; the families are listed in Table 2."),
    ("seats", "numeric", "Seats won in the last election to the lower house."),
    ("votes_pct", "numeric", "Share of the valid votes won in the last election, in percent."),
    ("in_govt", "binary", "Whether the party held a cabinet post at the end of the year."),
    ("leader_f", "binary", "Whether the party leader was a woman."),
    ("lr_pos", "numeric", "Left-right position of the party on a scale from 0 (left) to 10 "
     "(right) in the expert survey."),
    ("eu_pos", "numeric", "Position of the party on European integration."),
    ("members", "numeric", "Number of party members as reported by the party."),
    ("splinter", "binary", "Whether the party split from another party."),
] * 1
FAMILIES = [["Code", "Family", "Short name"], ["ECO", "Green and ecologist parties", "Greens"],
            ["SOC", "Social democratic parties", "Social democrats"],
            ["LIB", "Liberal parties", "Liberals"], ["CHR", "Christian democratic parties",
                                                     "Christian democrats"],
            ["AGR", "Agrarian parties", "Agrarians"]]


_BODIES = ["statutes", "congress", "executive", "youth wing", "women's section", "treasury",
           "press office", "regional branches"]
_RULES = ["selects candidates", "sets the programme", "elects the leader", "can expel members",
          "approves coalitions"]
ORGANISATION = [(f"org_{k:02d}", "binary", f"Whether the {body} {rule}.")
                for k, (body, rule) in enumerate((b, r) for b in _BODIES for r in _RULES)]


@pytest.mark.parametrize("desc_x", [160, 165, 230])  # gaps written as spaces, none, tabs
def test_latex_like_pages_with_narrow_and_wide_gaps(tmp_path, desc_x):
    entries = [(f"{n}({t})" if k % 3 == 1 else f"{n} ({t})", d)
               for k, (n, t, d) in enumerate(PARTIES + ORGANISATION)]
    path = tmp_path / "parties.pdf"
    _latex_pdf(path, entries, desc_x, [("Table 2: Party families", FAMILIES)])
    doc = load_document(path, path.name)
    assert len(doc.pages) >= 3                      # the list runs over a page break
    lines = doc.text.splitlines()
    assert ("family (categorical)Party family of the party; the families are listed in Table"
            in lines) == (desc_x == 165)            # a name that overruns its column
    assert ("party_id (string) Identifier of the party in the comparative party data set."
            in lines) == (desc_x == 160)            # a narrow gap comes out as a space
    fields = _text_fields(path)
    assert list(fields) == [n for n, _, _ in PARTIES + ORGANISATION]
    assert fields["founded"].description.endswith("for the first time.")
    assert fields["in_govt"].extras["sourceType"] == "binary"
    # the description points to the table (`listed in Table 2`); the caption names no field
    assert _pairs(fields["family"].categories) == [(r[0], r[1]) for r in FAMILIES[1:]]
    assert not {"ECO", "SOC", "Code"} & set(fields)


HOUSE = [["Name", "Code", "Generic Name"], ["IH", "Introduced in the House", "Introduced"],
         ["RH", "Reported in the House", "Reported"], ["EH", "Engrossed in the House",
                                                      "Engrossed"]]
SENATE = [["Name", "Code", "Generic Name"], ["IS", "Introduced in the Senate", "Introduced"],
          ["RS", "Reported in the Senate", "Reported"], ["ES", "Engrossed in the Senate",
                                                        "Engrossed"]]


@pytest.mark.parametrize("pointer", ["; see Tables 2 and 3.", "."])
def test_two_code_tables_of_one_variable_after_the_list(tmp_path, pointer):
    rows = [(n, t, d.replace("Table 2", "the annex")) for n, t, d in PARTIES + ORGANISATION]
    rows.insert(5, ("version", "string", f"Last printed version of the text{pointer}"))
    entries = [(f"{n}({t})" if k % 3 == 1 else f"{n} ({t})", d) for k, (n, t, d) in
               enumerate(rows)]
    path = tmp_path / "versions.pdf"
    _latex_pdf(path, entries, 230, [("Table 2: House versions", HOUSE),
                                    ("Table 3: Senate versions", SENATE)])
    assert "IH\tIntroduced in the House\tIntroduced" in load_document(path, path.name).text
    fields = _text_fields(path)
    assert list(fields) == [n for n, _, _ in rows]  # the tables' rows are no fields
    version = [c.value for c in fields["version"].categories]
    assert version == (["IH", "RH", "EH", "IS", "RS", "ES"] if pointer.startswith(";") else [])


def test_code_tables_written_with_tabs_and_what_is_none():
    rows = ["Table 1: Variables of the station file", "station_id\tIdentifier of the station.",
            "lat\tLatitude of the station.", "lon\tLongitude of the station.", "",
            "Frequencies", "Value\tObs.", "North\t210", "South\t180"]
    station = Field(name="station_id", description="Identifier of the station.")
    # a caption over a list of variables, a frequency table: no code tables
    assert code_tables(rows, [station]) == []
    # a `Code  Label` header makes one without a caption
    rows += ["", "region\tRegion of the station", "Code\tLabel", "N\tNorth", "S\tSouth"]
    found = code_tables(rows, [station])
    assert [(t.start, t.rows[1]) for t in found] == [(11, ["N", "North"])]


# ---- 2. Word: a name paragraph, then list-paragraph keys with real numbering -------------------
_W = nsdecls("w")


def _numbering(d, fmt: str, text: str, sub_fmt: str = "bullet", sub_text: str = "o") -> str:
    """A list definition as Word writes it (abstractNum + num); returns its numId."""
    numbering = d.part.numbering_part.element
    aid = str(100 + len(numbering.findall(qn("w:abstractNum"))))
    symbol = '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr>'
    abstract = parse_xml(
        f'<w:abstractNum {_W} w:abstractNumId="{aid}"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>'
        f'{symbol if fmt == "bullet" else ""}</w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="{sub_fmt}"/>'
        f'<w:lvlText w:val="{sub_text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>')
    first = numbering.find(qn("w:num"))
    if first is not None:
        first.addprevious(abstract)  # abstract definitions come before the nums
    else:
        numbering.append(abstract)
    num_id = str(50 + len(numbering.findall(qn("w:num"))))
    numbering.append(parse_xml(f'<w:num {_W} w:numId="{num_id}">'
                               f'<w:abstractNumId w:val="{aid}"/></w:num>'))
    return num_id


def _item(d, text: str, num_id: str, level: int = 0, bold_key: bool = False):
    """A `List Paragraph` numbered by `num_id` (numPr on the paragraph, as Word writes it)."""
    p = d.add_paragraph(style="List Paragraph")
    key, sep, rest = text.partition(":")
    if bold_key and sep:
        p.add_run(key + sep).bold = True
        p.add_run(rest)
    else:
        p.add_run(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {_W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def _code_table(d, rows):
    t = d.add_table(rows=0, cols=2)
    for label, code in rows:
        cells = t.add_row().cells
        cells[0].text, cells[1].text = label, code


def _eye_codebook(path: Path, fmt: str, text: str) -> None:
    """An ophthalmology codebook: one list for the whole document (numbers run on)."""
    d = docx.Document()
    d.add_paragraph("Ophthalmology Outcomes Study – Data Dictionary", style="Title")
    d.add_paragraph("This dictionary lists the variables of the clinic extract, each with its "
                    "definition and how its values are tabulated.")
    num = _numbering(d, fmt, text)
    d.add_paragraph("VARIABLE_NAME")
    _item(d, "Definition: Description of variable", num)
    _item(d, "Tabulation: How the value is represented in the data set", num)

    def var(name, definition, unique, missing, lines=(), table=(), next_line=False,
            inline=None):
        d.add_paragraph(name)
        if next_line:                     # the value on the next paragraph
            _item(d, "Definition:", num, bold_key=True)
            _item(d, definition, num, 1)
        else:
            _item(d, f"Definition: {definition}", num, bold_key=True)
        if inline:
            _item(d, f"Tabulation: {inline}", num)
        else:
            _item(d, "Tabulation:", num)
            for line in lines:
                _item(d, line, num, 1)
            if table:
                _code_table(d, table)
        _item(d, f"Unique values = {unique}" if unique % 2 else f"Unique values: {unique}", num)
        _item(d, f"Missing: {missing}", num)

    var("PAT_ID", "Study identifier of the patient", 813, 0, inline="Free text")
    var("GEN_SEX", "Sex of patient", 2, 0, table=[("Male", "1"), ("Female", "2")])
    var("AGE_YRS", "Age at the first visit in years", 77, 3, inline="Integer")
    var("VA_RE", "Visual acuity of the right eye", 14, 22, next_line=True,
        lines=["Snellen fraction as recorded", "CF(@distance): counting fingers at distance"])
    var("IOP_GRP", "Intraocular pressure group", 3, 5, lines=["<=21: 1", "22-30: 2", ">30: 3"])
    var("DIABETIC", "Diagnosed diabetes at baseline", 3, 1,
        lines=["Yes = 1", "No = 0", "Unknown = 9"])
    var("SURG_TYPE", "Type of surgery", 3, 0,
        table=[("Phacoemulsification", "1"), ("Trabeculectomy", "2"), ("Vitrectomy", "3")])
    d.save(path)


@pytest.mark.parametrize("fmt,text", [("decimal", "%1."), ("bullet", "\uf0b7")])
def test_word_list_paragraph_keys_with_real_numbering(tmp_path, fmt, text):
    path = tmp_path / "eye.docx"
    _eye_codebook(path, fmt, text)
    lines = load_document(path, path.name).text.splitlines()
    first_key = "3. Definition: Study identifier of the patient" if fmt == "decimal" else \
        "- Definition: Study identifier of the patient"
    assert first_key in lines                          # the mark Word draws is in the text
    fields = _text_fields(path)
    assert list(fields) == ["PAT_ID", "GEN_SEX", "AGE_YRS", "VA_RE", "IOP_GRP", "DIABETIC",
                            "SURG_TYPE"]                # no template block
    assert fields["GEN_SEX"].description == "Sex of patient"
    assert _pairs(fields["GEN_SEX"].categories) == [("1", "Male"), ("2", "Female")]
    va = fields["VA_RE"]  # explanatory lines under the key are no codes
    assert va.description.startswith("Visual acuity of the right eye") and va.categories == []
    assert fields["AGE_YRS"].type == "integer"        # `Tabulation: Integer`
    assert _pairs(fields["IOP_GRP"].categories) == [("1", "<=21"), ("2", "22-30"), ("3", ">30")]
    diabetic = fields["DIABETIC"]
    assert _pairs(diabetic.categories) == [("1", "Yes"), ("0", "No")]
    assert _pairs(diabetic.missing_values) == [("9", "Unknown")]
    assert [c.value for c in fields["SURG_TYPE"].categories] == ["1", "2", "3"]
    for f in fields.values():  # counts are neither codes nor text; keys are no codes
        labels = {c.label for c in f.categories + f.missing_values}
        assert not labels & {"Definition:", "Tabulation:", "Unique values", "Missing"}
        assert "Unique values" not in (f.description or "")
    assert fields["PAT_ID"].categories == [] and fields["AGE_YRS"].categories == []
    assert parse_dictionary(path).schema.names == list(fields)


def test_word_keys_numbered_again_for_each_variable_in_spanish(tmp_path):
    d = docx.Document()
    d.add_paragraph("Encuesta de salud escolar – Libro de códigos", style="Title")
    d.add_paragraph("Cada variable aparece con su definición y su tabulación.")
    d.add_paragraph("NOMBRE_VARIABLE")
    num = _numbering(d, "decimal", "%1)")
    _item(d, "Definición: Descripción de la variable", num)
    _item(d, "Tabulación: Cómo se representa el valor", num)
    yes_no = [("Sí", "1"), ("No", "0")]
    for name, definition, unique, missing, lines, table in (
            ("id_alumno", "Identificador del alumno", 3120, 0, ["Texto libre"], ()),
            ("sexo", "Sexo del alumno", 2, 0, (), [("Hombre", "1"), ("Mujer", "2")]),
            ("fuma", "Fuma actualmente", 2, 12, (), yes_no),
            ("bebe", "Consume alcohol al menos una vez al mes", 2, 30, (), yes_no),
            ("deporte", "Practica deporte fuera de la escuela", 2, 4, (), yes_no),
            ("imc_cat", "Categoría del índice de masa corporal", 4, 51,
             ["Bajo peso = 1", "Normal = 2", "Sobrepeso = 3", "Obesidad = 4"], ())):
        restart = _numbering(d, "decimal", "%1)")     # each variable's list starts at 1)
        d.add_paragraph(name)
        _item(d, "Definición:", restart)
        d.add_paragraph(definition)                  # the value in a Normal paragraph
        _item(d, "Tabulación:", restart)
        for line in lines:
            d.add_paragraph(line)
        if table:
            _code_table(d, table)
        _item(d, f"Valores únicos = {unique}", restart)
        _item(d, f"Faltantes: {missing}", restart)
    path = tmp_path / "escolar.docx"
    d.save(path)
    assert "3) Valores únicos = 2" in load_document(path, path.name).text.splitlines()
    fields = _text_fields(path)
    assert list(fields) == ["id_alumno", "sexo", "fuma", "bebe", "deporte", "imc_cat"]
    assert fields["bebe"].description == "Consume alcohol al menos una vez al mes"
    assert _pairs(fields["fuma"].categories) == [("1", "Sí"), ("0", "No")]
    assert _pairs(fields["sexo"].categories) == [("1", "Hombre"), ("2", "Mujer")]
    assert [c.label for c in fields["imc_cat"].categories] == ["Bajo peso", "Normal",
                                                               "Sobrepeso", "Obesidad"]
    assert all("únicos" not in (f.description or "") for f in fields.values())


def test_word_numbered_names_over_roman_numbered_keys(tmp_path):
    d = docx.Document()
    d.add_paragraph("School meal trial: variable descriptions", style="Heading 1")
    d.add_paragraph("The descriptions follow the template below.")
    num = _numbering(d, "decimal", "%1.", "lowerRoman", "%2.")
    d.add_paragraph("Variable name")
    _item(d, "Definition: what the variable measures", num, 1)
    _item(d, "Tabulation: the values and their codes", num, 1)
    for name, definition, lines, unique, missing in (
            ("school_id", "School identifier", ["Free text"], 48, 0),
            ("arm", "Trial arm of the school", ["Control = 0", "Meal = 1"], 2, 0),
            ("grade", "Grade of the pupil", ["Grade 1 = 1", "Grade 2 = 2", "Grade 3 = 3"], 3, 0),
            ("anaemic", "Haemoglobin below the cut-off", ["Yes = 1", "No = 0"], 2, 55)):
        p = _item(d, "", num, 0)
        p.add_run(name).bold = True
        _item(d, f"Definition: {definition}", num, 1, bold_key=True)
        _item(d, "Tabulation:", num, 1, bold_key=True)
        for line in lines:
            d.add_paragraph(line)
        _item(d, f"Unique values: {unique}", num, 1)
        _item(d, f"Missing: {missing}", num, 1)
    path = tmp_path / "meals.docx"
    d.save(path)
    lines = load_document(path, path.name).text.splitlines()
    assert "2. arm" in lines and "iii. Unique values: 2" in lines
    fields = _text_fields(path)
    assert list(fields) == ["school_id", "arm", "grade", "anaemic"]
    assert fields["arm"].description == "Trial arm of the school"
    assert _pairs(fields["arm"].categories) == [("0", "Control"), ("1", "Meal")]
    assert _pairs(fields["anaemic"].categories) == [("1", "Yes"), ("0", "No")]
    assert fields["school_id"].categories == []


def test_word_heading_per_variable_over_a_table_of_properties(tmp_path):
    d = docx.Document()
    d.add_paragraph("Codebook of the tenant survey", style="Title")
    d.add_paragraph("Variables are listed in the order of the data file.")
    for name, props in (
            ("RESP_ID", [("Label", "Respondent identifier"), ("Type", "Numeric"),
                         ("Values", "1 to 4200")]),
            ("TENURE", [("Label", "Tenure of the dwelling"), ("Type", "Numeric"),
                        ("Values", "1 = Owner\n2 = Tenant\n3 = Rent-free\n9 = Refused")]),
            ("RENT_AMT", [("Label", "Monthly rent in dollars"), ("Type", "Numeric"),
                          ("Values", "0 to 5000")]),
            ("HEAT_SRC", [("Label", "Main source of heating"), ("Type", "String"),
                          ("Values", "GAS = Natural gas\nELEC = Electricity\nOIL = Oil")])):
        d.add_paragraph(name, style="Heading 2")
        t = d.add_table(rows=0, cols=2)
        t.style = "Table Grid"
        for key, value in props:
            cells = t.add_row().cells
            cells[0].text, cells[1].text = key, value
    path = tmp_path / "tenants.docx"
    d.save(path)
    result = parse_dictionary(path)
    fields = {f.name: f for f in result.schema.fields}
    assert list(fields) == ["RESP_ID", "TENURE", "RENT_AMT", "HEAT_SRC"]
    assert fields["TENURE"].description == "Tenure of the dwelling"
    assert _pairs(fields["TENURE"].categories) == [("1", "Owner"), ("2", "Tenant"),
                                                   ("3", "Rent-free")]
    assert _pairs(fields["TENURE"].missing_values) == [("9", "Refused")]
    assert [c.value for c in fields["HEAT_SRC"].categories] == ["GAS", "ELEC", "OIL"]
    assert fields["RENT_AMT"].constraints == {"minimum": 0, "maximum": 5000}


# ---- 3. R documentation: values listed in quotes or as code ----------------------------------
RD = r"""% Generated by roxygen2: do not edit by hand
% Please edit documentation in R/data.R
\docType{data}
\name{heart_study}
\alias{heart_study}
\title{Heart study participants}
\format{
A data frame with 420 rows and 5 variables:
\describe{
\item{id}{Participant identifier}
\item{sex}{Sex of subject: \code{"Male"} or \code{"Female"}}
\item{arm}{Treatment arm: \code{A} or \code{B}}
\item{age}{Age in years}
\item{site}{Recruitment site, either \code{North} or \code{South}}
}
}
\usage{
heart_study
}
\description{
Participants of a simulated heart study.
}
\keyword{datasets}
"""
ROXYGEN = """#' Heart study participants
#'
#' Participants of a simulated heart study.
#'
#' @format A data frame with 420 rows and 5 variables:
#' \\describe{
#'   \\item{id}{Participant identifier}
#'   \\item{sex}{Sex of subject: `Male` or `Female`}
#'   \\item{arm}{Treatment arm: `"A"` or `"B"`}
#'   \\item{age}{Age in years}
#'   \\item{site}{Recruitment site, either `North` or `South`}
#' }
#' @source Simulated data.
"heart_study"
"""
PKGDOWN = """<html><body><h1>Heart study participants</h1>
<p>Participants of a simulated heart study.</p><h2>Format</h2>
<p>A data frame with 420 rows and 5 variables:</p>
<dl><dt>id</dt><dd><p>Participant identifier</p></dd>
<dt>sex</dt><dd><p>Sex of subject: <code>Male</code> or <code>Female</code></p></dd>
<dt>arm</dt><dd><p>Treatment arm: <code>"A"</code> or <code>"B"</code></p></dd>
<dt>age</dt><dd><p>Age in years</p></dd>
<dt>site</dt><dd><p>Recruitment site, either <code>North</code> or <code>South</code></p></dd>
</dl></body></html>
"""


@pytest.mark.parametrize("name,content", [("heart_study.Rd", RD), ("data.R", ROXYGEN),
                                          ("heart_study.html", PKGDOWN)])
def test_values_listed_as_code_are_categories_labelled_by_themselves(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = parse_dictionary(path)
    fields = {f.name: f for f in result.schema.fields}
    assert list(fields) == ["id", "sex", "arm", "age", "site"]
    assert _pairs(fields["sex"].categories) == [("Male", "Male"), ("Female", "Female")]
    assert _pairs(fields["arm"].categories) == [("A", "A"), ("B", "B")]
    assert _pairs(fields["site"].categories) == [("North", "North"), ("South", "South")]
    assert fields["sex"].description == 'Sex of subject: "Male" or "Female"' if name.endswith(
        ".Rd") else fields["sex"].description == "Sex of subject: Male or Female"
    assert fields["id"].categories == [] and fields["age"].categories == []


# ---- other layouts, made by the tools -----------------------------------------------------------
def test_a_pdf_printed_from_an_html_definition_list():
    fields = _text_fields(FIXTURES / "panel_dl.pdf")
    assert list(fields) == ["pid", "hid", "sex", "birthy", "marst", "educ", "inc_net", "hlth"]
    assert _pairs(fields["sex"].categories) == [("1", "Male"), ("2", "Female")]
    assert _pairs(fields["marst"].missing_values) == [("-1", "No answer")]
    assert fields["educ"].description.endswith("kept since then.")


def test_a_text_codebook_with_tabs_and_indented_code_lines(tmp_path):
    text = ("Community health survey 2020 - codebook\n\n"
            "resp_id\tRespondent identifier\n"
            "region\tRegion of residence\n\t1\tNorth\n\t2\tCentre\n\t3\tSouth\n"
            "age_grp\tAge group of the respondent\n\t1\t18-34\n\t2\t35-54\n\t3\t55 and over\n"
            "smoke\tCurrent smoker\n\t0\tNo\n\t1\tYes\n\t9\tRefused\n"
            "bmi\tBody mass index, kg/m2\n")
    path = tmp_path / "health.txt"
    path.write_text(text, encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert list(fields) == ["resp_id", "region", "age_grp", "smoke", "bmi"]
    assert _pairs(fields["region"].categories) == [("1", "North"), ("2", "Centre"),
                                                   ("3", "South")]
    assert _pairs(fields["smoke"].missing_values) == [("9", "Refused")]
    assert fields["bmi"].categories == []


def test_upper_case_names_alone_on_word_paragraphs(tmp_path):
    d = docx.Document()
    d.add_paragraph("Household panel – variable guide", style="Title")
    d.add_paragraph("Each variable of the person file is listed with its meaning and codes.")
    for name, lines in (("PID", ["Person identifier, unique within the panel."]),
                        ("SEX", ["Sex of the person.", "1 = Male", "2 = Female"]),
                        ("MARST", ["Marital status.", "1 = Married", "2 = Single",
                                   "3 = Widowed", "-1 = No answer"]),
                        ("EDUC", ["Highest school degree attained."]),
                        ("HLTH", ["Self-rated health.", "1 = Good", "2 = Fair", "3 = Poor"])):
        d.add_paragraph(name)
        for line in lines:
            d.add_paragraph(line)
    path = tmp_path / "panel.docx"
    d.save(path)
    fields = _text_fields(path)
    assert list(fields) == ["PID", "SEX", "MARST", "EDUC", "HLTH"]
    assert _pairs(fields["MARST"].missing_values) == [("-1", "No answer")]
    assert fields["EDUC"].description == "Highest school degree attained."


def test_upper_case_section_titles_over_paragraphs_are_no_fields(tmp_path):
    path = tmp_path / "readme.txt"
    path.write_text("PROJECT\nA study of rivers in the north.\nSCOPE\nThe scope is narrow.\n"
                    "HISTORY\nFirst released in 2019.\nCHANGES\nNone yet.\n", encoding="utf-8")
    assert _text_fields(path) == {}


def test_missing_values_counted_beside_unique_values_are_no_codes(tmp_path):
    d = docx.Document()
    num = _numbering(d, "bullet", "\uf0b7")
    for name, definition, unique, missing, codes in (
            ("hh_id", "Household identifier", 950, 0, ()),
            ("water", "Main source of drinking water", 3, 12,
             ("Piped = 1", "Well = 2", "Surface = 3")),
            ("toilet", "Kind of toilet facility", 2, 4, ("Flush = 1", "Pit = 2")),
            ("rooms", "Number of rooms used for sleeping", 9, 9, ())):
        d.add_paragraph(name)
        _item(d, f"Definition: {definition}", num)
        _item(d, "Tabulation:" if codes else "Tabulation: Integer", num)
        for line in codes:
            _item(d, line, num, 1)
        _item(d, f"Unique values: {unique}", num)
        _item(d, f"Missing values: {missing}", num)
    path = tmp_path / "household.docx"
    d.save(path)
    fields = _text_fields(path)
    assert list(fields) == ["hh_id", "water", "toilet", "rooms"]
    assert all(f.missing_values == [] for f in fields.values())   # `Missing values: 9`
    assert [c.value for c in fields["rooms"].categories] == []
    assert _pairs(fields["toilet"].categories) == [("1", "Flush"), ("2", "Pit")]
