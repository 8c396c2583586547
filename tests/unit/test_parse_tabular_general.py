"""engine.parsers.tabular on dictionaries laid out as other publishers lay them out: column
roles decided by the cells when the header words do not say (an index column, `Row` over the
names, titles under `name`), unit words, two values columns, score bands, HTML pages with
several tables under headings, LaTeX-made PDFs (types glued to names, underscores drawn as
rules, code tables), Word code lists inside cells, headers in French and German, two-row
headers, section rows; and what is not a dictionary.  Small hand-written documents."""

from __future__ import annotations

import zlib

import docx
import openpyxl
import pytest

from engine.formats import load_document
from engine.errors import NoFieldsFound
from engine.parsers import NotThisFormat, ParseContext, parse_dictionary
from engine.parsers.tabular import cells as C, codecells as CC, parse_tabular
from engine.parsers.tabular.codetables import code_table
from engine.parsers.tabular.profile import name_column
from engine.parsers.tabular.rows import read_fields, spaced_names


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def parse(path):
    return parse_dictionary(path).schema


def codes(field) -> list[str]:
    return [f"{c.value}={c.label}" if c.label else c.value for c in field.categories]


def missing(field) -> list[str]:
    return [c.value for c in field.missing_values]


# ---- 1. an index column, and a header that does not name the names ---------------------------
@pytest.mark.parametrize("header", [",Table,Row,Description,Special",
                                    "Unnamed: 0,Tabla,Fila,Descripción,Notas especiales"])
def test_names_found_by_content_under_an_unexpected_header(tmp_path, header):
    """A 0..n index column, a column of table names, identifiers (some with a trailing space)
    under `Row`: the identifiers are the names; a name in several tables is merged."""
    body = [("Household", "hh_id ", "Unique household identifier", "Primary key"),
            ("Household", "region", "Region of residence of the household", ""),
            ("Household", "hh_size", "Number of persons in the household", ""),
            ("Person", "hh_id ", "Household identifier of the person", "Foreign key"),
            ("Person", "person_no", "Person number within the household", ""),
            ("Person", "age", "Age in completed years at the interview", ""),
            ("Income", "hh_id", "Household identifier of the income record", ""),
            ("Income", "wage_income", "Annual income from wages and salaries", "")]
    lines = [header] + [f"{i},{','.join(r)}" for i, r in enumerate(body)]
    s = parse(write(tmp_path, "dictionary.csv", "\n".join(lines)))
    assert s.names == ["hh_id", "region", "hh_size", "person_no", "age", "wage_income"]
    assert s.field("person_no").description == "Person number within the household"
    assert s.field("age").extras["section"] == "Person"


def test_a_grouping_column_yields_to_the_distinct_names_after_it():
    rows = [["a", "site_id", "Identifier of the site"], ["a", "lat", "Latitude of the site"],
            ["a", "lon", "Longitude of the site"], ["b", "fish_id", "Identifier of the fish"],
            ["b", "site_id", "Site where the fish was caught"], ["b", "mass", "Mass in grams"]]
    assert name_column(rows) == 1
    assert name_column([r[1:] for r in rows]) == 0


def test_a_header_without_names_over_a_code_list_is_no_dictionary(tmp_path):
    """`Value | Description` over short codes: a glossary or code list, not variables."""
    path = write(tmp_path, "glossary.csv", "\n".join([
        "Value,Description",
        "AY,Award year: the period from July 1 to June 30 of the next year",
        "CY,Calendar year: the period from January 1 to December 31",
        "FY,Fiscal year of the institution as it reports to the department",
    ]))
    with pytest.raises(NoFieldsFound):
        parse(path)


# ---- 2. titles under `name`, identifiers under another word ----------------------------------
@pytest.mark.parametrize("header, order", [("name,column,description", (0, 1)),
                                           ("Variable,Name,Definition", (0, 1)),
                                           ("column,name,description", (1, 0)),
                                           ("Code,Name,Description", (1, 0))])
def test_identifiers_are_the_names_and_titles_their_labels(tmp_path, header, order):
    pairs = [("Site name", "site_id", "Identifier of the sampling site"),
             ("Fork length", "fork_length", "Length from the snout to the fork of the tail"),
             ("Body mass", "mass_g", "Wet mass of the fish"),
             ("Water temperature", "water_temp", "Temperature at one metre depth")]
    t, n = order
    lines = [header] + [",".join((p[0], p[1]) if t == 0 else (p[1], p[0])) + "," + p[2]
                        for p in pairs]
    s = parse(write(tmp_path, "names.csv", "\n".join(lines)))
    assert s.names == ["site_id", "fork_length", "mass_g", "water_temp"]
    assert s.field("fork_length").title == "Fork length"
    assert s.field("mass_g").description == "Wet mass of the fish"


# ---- 3. units written in words ---------------------------------------------------------------
def test_unit_column_in_words(tmp_path):
    s = parse(write(tmp_path, "units.csv", "\n".join([
        "Variable,Description,Unit",
        "site_id,Identifier of the site,NA",
        "fork_length,Length to the fork of the tail,millimetre",
        "mass,Wet mass,gram",
        "wind,Mean wind speed,knot",
        "lat,Latitude of the site,decimal.degree",
        "temp,Water temperature,degrees Celsius",
        "cover,Vegetation cover,percent",
        "condition,Condition index,score",
        "notes,Free remarks,N/A",
        "comment,Remarks of the observer,-",
        "count_n,Fish caught,integer",
    ])))
    units = {f.name: f.unit for f in s.fields}
    assert units == {"site_id": None, "fork_length": "millimetre", "mass": "gram",
                     "wind": "knot", "lat": "decimal.degree", "temp": "degrees Celsius",
                     "cover": "percent", "condition": "score", "notes": None,
                     "comment": None, "count_n": None}
    assert s.field("count_n").type == "integer"


# ---- 4. values columns -----------------------------------------------------------------------
def test_values_beside_value_labels_bands_ranges_and_words(tmp_path):
    s = parse(write(tmp_path, "values.csv", "\n".join([
        "Variable,Label,Values,Value Labels",
        'season,Season of capture,"Spring, Summer, Fall, Winter",',
        'sex,Sex of the respondent,,"0=Male, 1=Female"',
        'pain,Pain score,,"0-30=None; 31-49=Mild; 50-79=Moderate; 80-100=Severe"',
        'smoker,Current smoker,"0=no, 1=yes",',
        "age_m,Age in months,0–71,",
        "height,Height in cm,Continuous,",
    ])))
    assert codes(s.field("season")) == ["Spring", "Summer", "Fall", "Winter"]
    assert codes(s.field("sex")) == ["0=Male", "1=Female"]
    pain = s.field("pain")
    assert pain.categories == []
    assert pain.constraints == {"minimum": 0, "maximum": 100}
    assert codes(s.field("smoker")) == ["0=no", "1=yes"]
    assert s.field("age_m").constraints == {"minimum": 0, "maximum": 71}
    assert s.field("height").categories == [] and s.field("height").type == "number"


@pytest.mark.parametrize("text, expected", [
    ("1 - Yes, 2 - No", ["1=Yes", "2=No"]),
    ("1 = Homme / 2 = Femme", ["1=Homme", "2=Femme"]),
    ("Yes (1), No (0)", ["1=Yes", "0=No"]),
    ("Male = 1\nFemale = 2", ["1=Male", "2=Female"]),
    ("M=Male; F=Female", ["M=Male", "F=Female"]),
    ("1 = 18-29; 2 = 30-49", ["1=18-29", "2=30-49"]),
    ("Spring, Summer, Fall", ["Spring", "Summer", "Fall"]),
])
def test_code_lists_in_a_values_cell(text, expected):
    assert codes(type("F", (), {"categories": CC.values_codes(text)})) == expected


@pytest.mark.parametrize("text, expected", [
    ("0-30=None; 31-49=Mild; 50-79=Moderate", (0, 79)),
    ("1–5: low\n6–10: high", (1, 10)),
    ("0=no, 1=yes", None),
    ("1 = 18-29; 2 = 30-49", None),
])
def test_score_bands(text, expected):
    assert CC.bands(text) == expected


# ---- 5. an HTML page of a documentation site -------------------------------------------------
_NAV = ('<header><nav class="navbar"><a href="index.html">Fish survey</a><ul>'
        '<li><a href="index.html">Home</a></li><li><a href="data.html">Data</a></li>'
        '<li><a href="about.html">About</a></li></ul></nav></header>'
        '<nav id="sidebar"><ul><li><a href="#sites">Sites</a></li>'
        '<li><a href="#catches">Catches</a></li><li><a href="#water">Water</a></li></ul></nav>')
_INTRO = ("<p>The measurements were taken by trained staff following the protocol of the "
          "programme and checked twice before release.</p>")


def _html_table(rows, header=("", "Description"), cell="td"):
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(f"<tr><{cell}><code>{n}</code></{cell}><td><p>{d}</p></td></tr>"
                   for n, d in rows)
    return f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def test_html_page_with_tables_under_headings(tmp_path):
    """Navbar, sidebar, scripts, an empty header cell over the names: a field per row, the
    heading above each table its section."""
    page = ("<!DOCTYPE html><html><head><title>Data dictionary</title>"
            "<script src='site_libs/quarto.js'></script></head><body>" + _NAV +
            "<main><h1>Data dictionary</h1>" + _INTRO +
            '<h2 id="sites">Sites<a class="anchor" href="#sites">¶</a></h2>'
            "<p>One row per sampling site.</p>" +
            _html_table([("site_id", "Unique identifier of the sampling site."),
                         ("lat", "Latitude in decimal degrees."),
                         ("lon", "Longitude in decimal degrees.")]) +
            '<h2 id="catches">Catches</h2><h3>Fish measurements</h3>' + _INTRO +
            _html_table([("fish_id", "Identifier of the fish within a site."),
                         ("fork_length", "Fork length in millimetres."),
                         ("sex", "Sex of the fish: 1 = male, 2 = female.")],
                        header=("Name", "Description"), cell="th") +
            '<h2 id="water">Water quality</h2>' +
            _html_table([("temp_c", "Water temperature in degrees Celsius."),
                         ("ph", "Acidity of the water.")]) +
            "</main><footer>Built with Quarto.</footer>"
            "<script>document.addEventListener('x', function () { return 1; });</script>"
            "</body></html>")
    s = parse(write(tmp_path, "dictionary.html", page))
    assert s.names == ["site_id", "lat", "lon", "fish_id", "fork_length", "sex", "temp_c",
                       "ph"]
    sections = {f.name: f.extras.get("section") for f in s.fields}
    assert sections["lat"] == "Sites"
    assert sections["fork_length"] == "Fish measurements"
    assert sections["ph"] == "Water quality"
    assert codes(s.field("sex")) == ["1=male", "2=female"]


def test_tables_under_headings_named_after_their_data_sets(tmp_path):
    """`## sites` + a paragraph + a table per data set: the rows are the fields (a data
    set's heading is no field), descriptions ending with a period are prose."""
    page = "<html><body><nav><ul><li>Home</li><li>Reference</li></ul></nav><h1>Datasets</h1>"
    for heading, text, rows in [
            ("sites", "Sampling sites, one row per site visited.",
             [("site_id", "Unique identifier of the site."), ("lat", "Latitude."),
              ("lon", "Longitude.")]),
            ("catches", "Fish caught at each visit, one row per fish.",
             [("fish_id", "Identifier of the fish."), ("fork_length", "Fork length in mm."),
              ("mass", "Mass in g."), ("sex", "Sex: 1 = male, 2 = female.")]),
            ("water", "Water quality at each visit.",
             [("temp_c", "Temperature in degrees Celsius."), ("ph", "pH of the water.")])]:
        page += f"<h2>{heading}</h2><p>{text}</p>" + _html_table(rows)
    s = parse(write(tmp_path, "datasets.html", page + "</body></html>"))
    assert s.names == ["site_id", "lat", "lon", "fish_id", "fork_length", "mass", "sex",
                       "temp_c", "ph"]
    assert s.field("lat").description == "Latitude."
    assert s.field("ph").extras["section"] == "water"


def test_header_less_tables_under_different_headings_are_tables_of_their_own(tmp_path):
    doc = load_document(write(tmp_path, "p.html", (
        "<html><body><h2>Sites</h2>" + _html_table([("site_id", "Identifier of the site"),
                                                    ("lat", "Latitude of the site")]) +
        "<h2>Fish</h2>" + _html_table([("fish_id", "Identifier of the fish"),
                                       ("mass", "Mass of the fish in grams")]) +
        "</body></html>")), "p.html")
    assert [t.heading for t in doc.tables] == ["Sites", "Fish"]
    fields = list(parse_tabular(ParseContext(path=tmp_path / "p.html", filename="p.html")))
    assert [f.extras.get("section") for f in fields] == ["Sites", "Sites", "Fish", "Fish"]


# ---- 6. a LaTeX-made PDF ---------------------------------------------------------------------
def _pdf(pages: list[list[tuple]]) -> bytes:
    """A PDF whose pages draw ("T", x, y, text, font) texts and ("L", x0, y0, x1, y1) rules;
    font F1 is Helvetica, F2 Courier (LaTeX's typewriter names)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"]
    kids = []
    for items in pages:
        ops = []
        for it in items:
            if it[0] == "T":
                text = it[3].replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(f"BT /{it[4]} 10 Tf {it[1]} {it[2]} Td ({text}) Tj ET")
            else:
                ops.append(f"0.4 w {it[1]} {it[2]} m {it[3]} {it[4]} l S")
        stream = zlib.compress("\n".join(ops).encode("latin-1"))
        objs.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode(
            "latin-1") + stream + b"\nendstream")
        kids.append(f"{len(objs) + 1} 0 R")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << "
                    f"/Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {len(objs)} 0 R >>")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + (body if isinstance(body, bytes) else body.encode())
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _tt(x: float, y: float, name: str, rule_underscores: bool) -> list[tuple]:
    """A name in Courier (6 pt a character); underscores drawn as rules, as LaTeX's `\\_`."""
    if not rule_underscores:
        return [("T", x, y, name, "F2")]
    out = []
    for k, part in enumerate(name.split("_")):
        out.append(("T", x, y, part, "F2"))
        x += 6 * len(part)
        if k < name.count("_"):
            out.append(("L", x + 0.3, y - 1, x + 3.3, y - 1))
            x += 3.6
    return out


def _booktabs(y: float, xs: tuple, header, rows) -> tuple[list[tuple], float]:
    """A table with horizontal rules only; a row is (name, drawn underscores, type, text)."""
    items = [("L", xs[0], y + 12, 540, y + 12)]
    if header:
        items += [("T", x, y, h, "F1") for x, h in zip(xs, header)]
        y -= 16
        items.append(("L", xs[0], y + 12, 540, y + 12))
    for row in rows:
        if len(row) == 4:
            name, ruled, typ, text = row
            items += _tt(xs[0], y, name, ruled)
            items.append(("T", xs[0] + 6 * len(name) + 5, y, f"({typ})", "F1"))
        else:
            text = row[1]
            items.append(("T", xs[0], y, row[0], "F1"))
        for k, line in enumerate(text.split("\n")):
            items.append(("T", xs[1], y - 13 * k, line, "F1"))
        y -= 13 * (text.count("\n") + 1) + 3
    items.append(("L", xs[0], y + 10, 540, y + 10))
    return items, y


def test_latex_pdf_table_with_glued_types_ruled_underscores_and_code_tables(tmp_path):
    xs = (72, 240)
    first = [("BillID", False, "string", "Unique identifier of the bill"),
             ("last_vers", False, "string", "Last version of the bill text"),
             ("bills_spons_n", True, "numeric", "Number of sponsors of the bill"),
             ("intro_date", False, "date", "Date the bill was introduced"),
             ("status_code", False, "numeric", "Status of the bill at the end of the\n"
                                               "session (see Table 2)"),
             ("chamber_orig", True, "string", "Chamber where the bill started")]
    second = [("party_maj", False, "numeric", "Party holding the majority (see Table 3)"),
              ("votes_yes", True, "numeric", "Votes in favour at the final reading"),
              ("votes_no", False, "numeric", "Votes against at the final reading")]
    page1, _ = _booktabs(620, xs, ("Name", "Description"), first)
    page1 = [("T", 72, 740, "Legislative bills data set", "F1"),
             ("T", 72, 700, "The variables of the bills file are listed below with their "
                            "types in parentheses.", "F1"),
             ("T", 72, 650, "Table 1: Variables of the bills data set", "F1")] + page1
    page2, y = _booktabs(720, xs, None, second)
    page2.append(("T", 72, y - 30, "Table 2: Values of status_code", "F1"))
    codes2, y = _booktabs(y - 55, (72, 150), ("Value", "Meaning"),
                          [("1", "Introduced"), ("2", "Passed one chamber"),
                           ("3", "Passed both chambers"), ("4", "Signed into law")])
    page2 += codes2 + [("T", 72, y - 30, "Table 3: Party codes", "F1")]
    codes3, _ = _booktabs(y - 55, (72, 150), ("Code", "Party"),
                          [("100", "Democratic"), ("200", "Republican"),
                           ("328", "Independent")])
    page2 += codes3
    path = tmp_path / "bills.pdf"
    path.write_bytes(_pdf([page1, page2]))
    s = parse(path)
    assert s.names == ["BillID", "last_vers", "bills_spons_n", "intro_date", "status_code",
                       "chamber_orig", "party_maj", "votes_yes", "votes_no"]
    assert s.field("BillID").type == "string"
    assert s.field("bills_spons_n").type == "number"
    assert s.field("intro_date").type == "date"
    assert s.field("status_code").description == ("Status of the bill at the end of the "
                                                  "session (see Table 2)")
    assert codes(s.field("status_code"))[:2] == ["1=Introduced", "2=Passed one chamber"]
    assert codes(s.field("party_maj")) == ["100=Democratic", "200=Republican",
                                           "328=Independent"]


@pytest.mark.parametrize("text, expected", [
    ("BillID (string)", ("BillID", "string")), ("last_vers(string)", ("last_vers", "string")),
    ("age [integer]", ("age", "integer")), ("weight (kg)", ("weight (kg)", None)),
    ("income", ("income", None)),
])
def test_type_glued_to_a_name(text, expected):
    assert C.glued_type(text) == expected


def test_type_on_the_next_line_of_a_narrow_name_cell():
    rows = [["bills_spons_n\n(numeric)", "Number of sponsors"], ["age\n(years)", "Age"],
            ["site_id\ncharacter", "Site"]]
    first, second, third = read_fields(rows, {"name": 0, "description": 1}, joiner=" ")
    assert (first.name, first.type, first.description) == ("bills_spons_n", "number",
                                                           "Number of sponsors")
    assert (second.name, second.type) == ("age", "any")
    assert (third.name, third.type, third.description) == ("site_id", "string", "Site")


def test_spaces_for_underscores_only_among_underscored_names():
    rows = [["bill_id"], ["last_vers"], ["bills spons n"], ["intro_date"], ["Party"]]
    assert spaced_names([(rows, 0)]) == {"bills spons n": "bills_spons_n"}
    plain = [["age"], ["sex"], ["household size"], ["region"]]
    assert spaced_names([(plain, 0)]) == {}


def test_code_tables():
    assert [c.value for c in code_table([["Value", "Meaning"], ["1", "Yes"], ["2", "No"]])] \
        == ["1", "2"]
    assert code_table([["Name", "Description"], ["age", "Age in years"],
                       ["sex", "Sex of the person"]]) == []


# ---- 7. a Word table with code lists inside the cells ----------------------------------------
def test_word_table_with_line_broken_code_lists(tmp_path):
    d = docx.Document()
    d.add_paragraph("Codebook of the mobility survey")
    rows = [("Variable", "Label", "Answer Format", "Source"),
            ("resp_id", "Respondent identifier\u200e", "Free input", "System"),
            ("gender", "\u200fGender of the respondent", "-9= No answer\n1 = Male\n2 = Female",
             "Q1"),
            ("age_grp", "Age group", "-9.00 = No answer\n1 = 18-29\n2 = 30-49\n3 = 50+", "Q2"),
            ("trips", "Trips last week", "Free input", "Q4"),
            ("mode", "Main travel mode", "Not any", "Q5")]
    table = d.add_table(rows=len(rows), cols=4)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            first, *rest = text.split("\n")
            cell.text = first
            for line in rest:
                cell.add_paragraph(line)
    path = tmp_path / "codebook.docx"
    d.save(path)
    s = parse(path)
    assert s.names == ["resp_id", "gender", "age_grp", "trips", "mode"]
    assert s.field("resp_id").title == "Respondent identifier"
    assert s.field("gender").title == "Gender of the respondent"
    assert codes(s.field("gender")) == ["1=Male", "2=Female"]
    assert missing(s.field("gender")) == ["-9"] and missing(s.field("age_grp")) == ["-9"]
    assert codes(s.field("age_grp")) == ["1=18-29", "2=30-49", "3=50+"]
    assert s.field("trips").categories == [] and s.field("mode").categories == []
    assert s.field("gender").extras["source"] == "Q1"


# ---- headers in other languages and other layouts --------------------------------------------
def test_french_header(tmp_path):
    s = parse(write(tmp_path, "dico.csv", "\n".join([
        "Nom de la variable;Libellé;Modalités;Type",
        "ident;Identifiant du ménage;;Caractère",
        "age;Âge en années révolues;0 à 120;Numérique",
        'dipl;Diplôme le plus élevé;"1 = Aucun\n2 = CAP, BEP\n3 = Baccalauréat";Numérique',
    ])))
    assert s.names == ["ident", "age", "dipl"]
    assert s.field("ident").title == "Identifiant du ménage"
    assert s.field("age").constraints == {"minimum": 0, "maximum": 120}
    assert codes(s.field("dipl")) == ["1=Aucun", "2=CAP, BEP", "3=Baccalauréat"]


def test_german_tsv(tmp_path):
    s = parse(write(tmp_path, "variablen.tsv", "\n".join([
        "Variablenname\tBeschreibung\tAusprägungen\tEinheit",
        "pid\tPersonennummer\t\t",
        "geschl\tGeschlecht\t1 = männlich; 2 = weiblich\t",
        "eink\tMonatliches Nettoeinkommen\t\tEuro",
    ])))
    assert s.names == ["pid", "geschl", "eink"]
    assert codes(s.field("geschl")) == ["1=männlich", "2=weiblich"]
    assert s.field("eink").unit == "Euro"


def test_header_under_a_merged_title_and_a_blank_column(tmp_path):
    s = parse(write(tmp_path, "titled.csv", "\n".join([
        "Customer file - list of variables,,,",
        ",,,",
        "Field,,Meaning,Format",
        "cust_id,,Customer number assigned at sign-up,integer",
        "signup_dt,,Date the customer signed up,date",
        "churned,,Whether the customer left within a year,boolean",
    ])))
    assert s.names == ["cust_id", "signup_dt", "churned"]
    assert s.field("signup_dt").description == "Date the customer signed up"
    assert s.field("churned").type == "boolean"


def test_two_row_header_with_a_blank_name_cell_below(tmp_path):
    s = parse(write(tmp_path, "tworow.csv", "\n".join([
        "Variable,Description,Response,Response",
        ",,Code,Label",
        "q1,Do you own your home?,1,Yes",
        ",,2,No",
        "q2,How many people live here?,,",
        "q3,Is the dwelling heated?,1,Yes",
        ",,2,No",
        ",,9,Don't know",
    ])))
    assert s.names == ["q1", "q2", "q3"]
    assert codes(s.field("q1")) == ["1=Yes", "2=No"]
    assert codes(s.field("q3"))[:2] == ["1=Yes", "2=No"]


@pytest.mark.parametrize("where", ["name", "description"])
def test_section_rows_in_a_table_sorted_by_section(tmp_path, where):
    def section(title: str) -> str:
        return f"{title.upper()},," if where == "name" else f",{title},"
    s = parse(write(tmp_path, "sections.csv", "\n".join([
        "Name,Description,Type", section("Demographics"),
        "age,Age of the participant in years,integer", "sex,Sex at birth,string",
        section("Health"), "bmi,Body mass index,number", "sbp,Systolic blood pressure,number",
        "dbp,Diastolic blood pressure,number",
    ])))
    assert s.names == ["age", "sex", "bmi", "sbp", "dbp"]
    assert s.field("sex").description == "Sex at birth"
    assert s.field("sbp").extras["section"].lower() == "health"


def test_workbook_with_one_dictionary_sheet_among_notes(tmp_path):
    wb = openpyxl.Workbook()
    about = wb.active
    about.title = "About"
    for row in (["Study of commuting habits"], [], ["Released 2023."], ["Version", "2.0"]):
        about.append(row)
    sheet = wb.create_sheet("Variables")
    for row in (["Codebook - commuting survey"], [],
                ["Variable name", "Question", "Response options", "Unit"],
                ["resp_id", "Respondent identifier", "", ""],
                ["dist_km", "How far do you travel to work?", "", "km"],
                ["mode", "How do you usually travel?", "1=Car; 2=Bus; 3=Bicycle", ""],
                ["minutes", "How long is your trip?", "0-240", "minutes"]):
        sheet.append(row)
    notes = wb.create_sheet("Notes")
    for row in (["Note", "Text"], ["1", "Distances were self-reported."],
                ["2", "Trips longer than four hours were set to missing."]):
        notes.append(row)
    path = tmp_path / "codebook.xlsx"
    wb.save(path)
    s = parse(path)
    assert s.names == ["resp_id", "dist_km", "mode", "minutes"]
    assert codes(s.field("mode")) == ["1=Car", "2=Bus", "3=Bicycle"]
    assert s.field("minutes").constraints == {"minimum": 0, "maximum": 240}


# ---- what is not a dictionary ----------------------------------------------------------------
def test_a_data_file_with_a_description_column_is_no_dictionary(tmp_path):
    path = write(tmp_path, "products.csv", "\n".join([
        "sku,title,description,price,stock",
        "AB-100,Garden hose,Flexible garden hose of 20 metres with a brass nozzle,24.99,120",
        "AB-101,Watering can,Plastic watering can holding ten litres of water,9.50,80",
        "AB-102,Rake,Steel rake with a wooden handle for leaves and soil,15.00,45",
        "AB-103,Spade,Carbon steel spade with a long ash handle,29.90,30",
    ]))
    with pytest.raises(NotThisFormat):
        list(parse_tabular(ParseContext(path=path, filename=path.name)))


def test_a_list_of_files_is_not_fields(tmp_path):
    path = write(tmp_path, "files.csv", "\n".join([
        "File,Description",
        "households.csv,One row per household with the interview outcome",
        "persons.csv,One row per person listed in the household roster",
        "income.csv,Income of each person from every source",
    ]))
    with pytest.raises(NotThisFormat):
        list(parse_tabular(ParseContext(path=path, filename=path.name)))


def test_missing_column_of_yes_no_says_whether_not_which(tmp_path):
    """UCI's `Missing Values | no/yes` column; a sparse `Demographic` column is no label."""
    s = parse(write(tmp_path, "variables.csv", "\n".join([
        "Variable Name,Role,Type,Demographic,Description,Units,Missing Values",
        "age,Feature,Integer,Age,Age of the patient,years,no",
        'sex,Feature,Categorical,Sex,"Sex of the patient (1 = male; 0 = female)",,no',
        "cp,Feature,Categorical,,Chest pain type,,no",
        "ca,Feature,Integer,,Number of major vessels colored by fluoroscopy,,yes",
        "thal,Feature,Categorical,,Thalassemia,,yes",
        "num,Target,Integer,,Diagnosis of heart disease,,no",
    ])))
    assert [f.missing_values for f in s.fields] == [[]] * 6
    assert s.field("age").title is None and s.field("age").unit == "years"
    assert codes(s.field("sex")) == ["1=male", "0=female"]


def test_code_column_of_program_names_beside_titles(tmp_path):
    s = parse(write(tmp_path, "indicators.csv", "\n".join([
        "Series Code,Indicator Name,Long definition,Source",
        "NY.GDP.MKTP.CD,GDP (current US$),GDP at purchaser's prices is the sum of gross "
        "value added by all resident producers.,National accounts",
        'SP.POP.TOTL,"Population, total",Total population counts all residents.,UN',
        'SE.PRM.ENRR,"School enrollment, primary (% gross)",Ratio of total enrollment to '
        "the population of the age group.,UNESCO",
    ])))
    assert s.names == ["NY.GDP.MKTP.CD", "SP.POP.TOTL", "SE.PRM.ENRR"]
    assert s.field("SP.POP.TOTL").title == "Population, total"


@pytest.mark.parametrize("header", ["Zmienna,Opis,Wartości", "Variabele,Omschrijving,Waarden"])
def test_header_in_a_language_without_synonyms(tmp_path, header):
    """Words over lower-case program names: a header; the values column by its cells (a
    code list, a range)."""
    s = parse(write(tmp_path, "codebook.csv", "\n".join([
        header,
        "id_gosp,Identyfikator gospodarstwa domowego,",
        'plec,Płeć respondenta,"1 = mężczyzna, 2 = kobieta"',
        "wiek,Wiek w latach,0-110",
    ])))
    assert s.names == ["id_gosp", "plec", "wiek"]
    assert codes(s.field("plec")) == ["1=mężczyzna", "2=kobieta"]
    assert s.field("wiek").constraints == {"minimum": 0, "maximum": 110}


def test_a_data_file_with_a_header_of_words_is_no_dictionary(tmp_path):
    path = write(tmp_path, "sites.csv", "\n".join([
        "Site,Name,Depth",
        "site_01,Upper lake by the northern shore,12.5",
        "site_02,Lower lake near the outlet,8.0",
        "site_03,River mouth beside the bridge,3.2",
    ]))
    with pytest.raises(NotThisFormat):
        list(parse_tabular(ParseContext(path=path, filename=path.name)))
