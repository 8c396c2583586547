"""Prose dictionaries on small hand-written documents: one test per mechanism.

Definition lists chosen by head shape (engine.parsers.text.heads / dlist), the bodies below
the heads (bodies), repeated key-value blocks (keyvalue), names (names), and what is not a
field: tables of contents, numbered sections of a paper, lists of files or steps.
"""

from __future__ import annotations

from engine.parsers.text import fields_from_lines
from engine.parsers.text.bodies import read_body
from engine.parsers.text.dlist import read_definition_list
from engine.parsers.text.keyvalue import blocks_from_lines
from engine.parsers.text.kvfields import read_key_value_blocks
from engine.parsers.text.names import expand_names, name_likeness


def _fields(text: str, markdown: bool = False):
    fields, _ = fields_from_lines(text.splitlines(), lambda m: None, markdown=markdown)
    return {f.name: f for f in fields}


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


# ---- names ----------------------------------------------------------------------------------
def test_name_likeness_orders_identifiers_words_labels_and_prose():
    assert name_likeness("wt82_71") == name_likeness("StoreType") == 1.0
    assert name_likeness("wt82_71") > name_likeness("age") > name_likeness("Year of birth")
    assert name_likeness("Year of birth") > name_likeness("train.csv")
    assert name_likeness("This is a sentence that goes on and on.") == 0.0
    assert name_likeness("https://example.org") == 0.0


def test_expand_names_splits_bracket_alternatives_and_comma_lists():
    assert expand_names("CompetitionOpenSince[Month/Year]") == [
        "CompetitionOpenSinceMonth", "CompetitionOpenSinceYear"]
    assert expand_names("lat, lon") == ["lat", "lon"]
    assert expand_names("item[1]") == ["item[1]"]
    assert expand_names("Sample Number") == ["Sample Number"]


# ---- definition lists -----------------------------------------------------------------------
README = """# Sales forecasting

# Files
train.csv - historical data including Sales<br/>
test.csv - historical data excluding Sales<br/>

# Data fields
1. Id - an Id that represents a (Store, Date) duple<br/>
2. Store - a unique Id for each store<br/>
3. Open - an indicator for whether the store was open: 0 = closed, 1 = open<br/>
4. CompetitionOpenSince[Month/Year] - the year and month the competitor opened<br/>
5. Promo - whether a store is running a promo on that day<br/>

# Models
> 1.Auto Arima<br/>
> 2.TSLM<br/>
> 3.Prophet<br/>
Step 1: Generating the Principal Components<br/>
"""


def test_numbered_dash_list_in_a_readme_and_what_is_not_a_field():
    fields = _fields(README, markdown=True)
    assert list(fields) == ["Id", "Store", "Open", "CompetitionOpenSinceMonth",
                            "CompetitionOpenSinceYear", "Promo"]
    assert fields["Store"].description == "a unique Id for each store"
    assert _pairs(fields["Open"].categories) == [("0", "closed"), ("1", "open")]
    assert fields["CompetitionOpenSinceYear"].description == (
        "the year and month the competitor opened")


QUESTIONNAIRE = """The variables are as follows:
Socio-demographics:
1. Gender
What is your gender?
- Female
- Male
- Prefer not to say
2. Year of birth
In what year were you born?
3. Type of area
Which phrase best describes the area where you live?

- A big city
- A village
Political attitudes:
4. Left-right placement
Where would you place yourself on this scale?
- 0 to 10 scale
"""


def test_numbered_questions_with_bullet_options():
    fields = _fields(QUESTIONNAIRE)
    assert list(fields) == ["Gender", "Year of birth", "Type of area", "Left-right placement"]
    assert [c.value for c in fields["Gender"].categories + fields["Gender"].missing_values] == [
        "Female", "Male", "Prefer not to say"]
    # options go on after a page break (a blank line); the next section's heading is no text
    assert _pairs(fields["Type of area"].categories) == [("A big city", "A big city"),
                                                          ("A village", "A village")]
    assert fields["Type of area"].description == (
        "Which phrase best describes the area where you live?")
    # a single bullet is text, not an option list
    assert fields["Left-right placement"].categories == []
    assert fields["Left-right placement"].description.endswith("0 to 10 scale")


SURVEY = """CODEBOOK
99 – always indicates a missing value
1) Birthyear – what year were you born?
99 – missing (the rest are years)
2) selfweight – Do you consider yourself to be?
Overweight – 5
Just right – 3
Slim - 1
Other – 7 (includes no answer)
3) Gender
Female – 1
Male – 2
3) height – how tall are you in inches
(note to self – find a different way to ask about this)
4) agree – Do you agree?

Strongly disagree – 5
Neutral – 3
Strongly agree 1
99 – no answer
5) pray – How often do you pray? - numerical
0 – 0 times
1 – 1 time
6) hobby – favourite hobby – open ended
"""


def test_numbered_questions_with_label_code_answers():
    fields = _fields(SURVEY)
    assert list(fields) == ["Birthyear", "selfweight", "Gender", "height", "agree", "pray",
                            "hobby"]  # `3)` used twice, `3) Gender` without a question
    assert _pairs(fields["Birthyear"].missing_values) == [("99", "missing (the rest are years)")]
    assert _pairs(fields["selfweight"].categories) == [
        ("5", "Overweight"), ("3", "Just right"), ("1", "Slim"), ("7", "Other")]
    assert "Other: includes no answer" in fields["selfweight"].description
    assert _pairs(fields["Gender"].categories) == [("1", "Female"), ("2", "Male")]
    assert fields["height"].description == "how tall are you in inches"  # the aside is out
    agree = fields["agree"]
    assert _pairs(agree.categories) == [("5", "Strongly disagree"), ("3", "Neutral"),
                                        ("1", "Strongly agree")]
    assert _pairs(agree.missing_values) == [("99", "no answer")]
    assert _pairs(fields["pray"].categories) == [("0", "0 times"), ("1", "1 time")]
    assert fields["hobby"].categories == []


JSE = """NAME: Example users
TYPE: Volunteered sample
SIZE: 100 cases, 6 variables

VARIABLE DESCRIPTIONS:
body_type- rather not say, thin, average, fit

diet- mostly/strictly; anything, vegetarian, vegan

sex- m, f

drinks- very often, often, socially, rarely

smokes- yes, sometimes, when drinking, no

height- inches
essay0- My self summary
essay4- Favorite books, movies, show, music, and food

SPECIAL NOTES: All essay questions are fill-in the blank.
"""


def test_glued_dash_value_lists():
    fields = _fields(JSE)
    assert list(fields) == ["body_type", "diet", "sex", "drinks", "smokes", "height", "essay0",
                            "essay4"]
    assert [c.value for c in fields["body_type"].categories] == ["thin", "average", "fit"]
    # a value that says missing is the field's missing value, with its label
    assert _pairs(fields["body_type"].missing_values) == [("rather not say", "rather not say")]
    assert [c.value for c in fields["sex"].categories] == ["m", "f"]
    assert fields["diet"].categories == []          # two factors, not a list of values
    assert fields["essay4"].categories == []        # an enumeration in a sentence
    assert fields["essay4"].description == "Favorite books, movies, show, music, and food"
    assert "SPECIAL" not in (fields["essay4"].description or "")


def test_frequency_and_summary_tables_under_a_variable():
    text = """Respondent characteristics
country – Country of the respondent.
Value\tObs.
Australia\t21600
Brazil\t22784
*Canada\t18400
Missing\t0
age – Age of respondent.
age
Obs.\t214960
Mean\t44.7
Min.\t2
Max.\t1987
access – Response to the prompt: "Which would you prefer?
• Vaccines from the government?
• Vaccines for private purchase?"
Value\tObs.
Do not know\t14448
Vaccines only made available by government\t155568
Vaccines are only available for private purchase\t6128
select – binary indicator of whether the profile was chosen (1) or not (0).
Value\tObs.
1\t107480
0\t107480
Missing\t0
"""
    fields = _fields(text)
    assert list(fields) == ["country", "age", "access", "select"]
    assert [c.value for c in fields["access"].categories + fields["access"].missing_values] == [
        "Vaccines only made available by government",
        "Vaccines are only available for private purchase", "Do not know"]
    country = fields["country"]
    assert [c.value for c in country.categories] == ["Australia", "Brazil", "Canada"]
    assert country.description == "Country of the respondent."
    age = fields["age"]
    assert (age.description, age.categories, age.constraints) == ("Age of respondent.", [], {})
    assert fields["select"].categories == []  # numbers and counts: no labelled values


def test_headings_with_paragraphs_code_blocks_and_a_shared_description():
    text = """Data Dictionary
1. fire_number
Ex: CWF001
The first letter is the forest area:
C–Calgary
E–Edson
WF indicates that this is a wildfire.
2. lat
3. lon
Location of the ignition area in decimal degrees.
4. general_cause
The general cause of the wildfire.
Agriculture Industry\tA wildfire resulting from an agricultural activity
performed by people or machines.
Lightning\tA wildfire ignited by lightning.
5. position
The position of the wildfire on the slope.
Bottom
Flat
Upper 1/3
6. fuel_type
The predominant fuel type.
Coniferous
C-1 Spruce-Lichen Woodland
C-2 Boreal Spruce
Mixedwood
M-1 Boreal Mixedwood-Leafless
7. size_class
The breakdown is as follows:
A class = 0 to 0.1 ha
B class > 0.1 ha to 4.0 ha
C class > 4.0 ha
"""
    fields = _fields(text)
    assert list(fields) == ["fire_number", "lat", "lon", "general_cause", "position",
                            "fuel_type", "size_class"]
    fire = fields["fire_number"]
    assert _pairs(fire.categories) == [("C", "Calgary"), ("E", "Edson")]
    assert "WF indicates that this is a wildfire." in fire.description
    assert fields["lat"].description == fields["lon"].description == (
        "Location of the ignition area in decimal degrees.")
    assert [c.value for c in fields["general_cause"].categories] == ["Agriculture Industry",
                                                                     "Lightning"]
    assert "performed by people" not in fields["general_cause"].description
    assert [c.value for c in fields["position"].categories] == ["Bottom", "Flat", "Upper 1/3"]
    assert _pairs(fields["fuel_type"].categories) == [
        ("C-1", "Spruce-Lichen Woodland"), ("C-2", "Boreal Spruce"),
        ("M-1", "Boreal Mixedwood-Leafless")]
    assert _pairs(fields["size_class"].categories) == [
        ("A", "0 to 0.1 ha"), ("B", "> 0.1 ha to 4.0 ha"), ("C", "> 4.0 ha")]


def test_markdown_headings_and_bold_names_as_variables():
    text = """# Study codebook

## Overview
This codebook documents the survey file.

### resp_id
Unique respondent identifier.

### age
Age in years at interview.

### sex
Sex of respondent.
1 = male
2 = female

## License
MIT
"""
    fields = _fields(text, markdown=True)
    assert list(fields) == ["resp_id", "age", "sex"]
    assert _pairs(fields["sex"].categories) == [("1", "male"), ("2", "female")]
    bold = "\n".join(f"**{n}**\n{d}\n" for n, d in (("hh_id", "Household id."),
                                                     ("n_rooms", "Number of rooms."),
                                                     ("roof_type", "Roof material.")))
    assert list(_fields(bold, markdown=True)) == ["hh_id", "n_rooms", "roof_type"]


def test_not_fields_toc_paper_sections_steps_and_readme_sections():
    toc = "Contents\n1. Introduction ........ 3\n2. Methods ........ 5\n3. Results ........ 9\n"
    assert read_definition_list(toc.splitlines()).fields == []
    paper = "\n".join(f"{i}. {t}\n" + "\n".join(["A long paragraph of the section."] * 20)
                      for i, t in enumerate(["Introduction", "Data", "Methods", "Results"], 1))
    assert read_definition_list(paper.splitlines()).fields == []
    readme = "\n".join(f"## {t}\nSome text about it.\n" for t in
                       ("Overview", "Installation", "API", "Usage", "License"))
    assert read_definition_list(readme.splitlines()).fields == []
    files = "a.csv - first file\nb.csv - second file\nc.csv - third file\n"
    assert read_definition_list(files.splitlines()).fields == []


def test_prose_with_dashes_is_not_a_definition_list():
    text = ("The survey ran in 2019 - the third wave.\nMost fields - as noted - are coded.\n"
            "See the report - section 2 - for details.\n")
    assert read_definition_list(text.splitlines()).fields == []


def test_body_reader_kinds():
    body = read_body(["Which one?", "- A", "- B", "## [1] \"x\"", "(note to self – change it)"],
                     "q1", head_text="Pick one")
    assert body.description == ["Which one?"]
    assert [c.value for c in body.categories] == ["A", "B"]
    assert body.asides == ["(note to self – change it)"]
    letters = read_body(["What is your sex?", "a) Male", "b) Female", "c) Other"], "sex")
    assert _pairs(letters.categories) == [("a", "Male"), ("b", "Female"), ("c", "Other")]
    boxes = read_body(["Which one?", "☐ Yes", "☐ No"], "q2")
    assert [c.value for c in boxes.categories] == ["Yes", "No"]
    sentence = read_body(["The values are these: a) the first one is done."], "q3")
    assert sentence.categories == []
    short = read_body(["Respondent's age", "In completed years", "Top-coded at 90"], "age")
    assert short.categories == [] and len(short.description) == 3
    year = read_body(["Height of the respondent measured in 1971"], "ht")
    assert (year.description, year.categories) == (["Height of the respondent measured in 1971"],
                                                   [])


# ---- key-value blocks -----------------------------------------------------------------------
KV = """Codebook of the 2019 survey
Prepared by: the survey team

Variable: resp_id
Label: Respondent identifier
Type: character

Variable: age_yrs
Label: Age of the respondent in completed years
Type: numeric
Range: 18-99

Variable: sex
Label: Sex of the respondent
Type: numeric
Values:
  1 = Male
  2 = Female
  9 = Refused

Variable: region
Label: Region of residence
Type: numeric
Values:
  1 = North
  2 = South
"""


def test_key_value_blocks_roles_from_values():
    fields = _fields(KV)
    assert list(fields) == ["resp_id", "age_yrs", "sex", "region"]
    sex = fields["sex"]
    assert (sex.description, sex.type, sex.extras["sourceType"]) == (
        "Sex of the respondent", "number", "numeric")
    assert _pairs(sex.categories) == [("1", "Male"), ("2", "Female")]
    assert _pairs(sex.missing_values) == [("9", "Refused")]
    assert fields["resp_id"].type == "string"
    assert fields["age_yrs"].description == "Age of the respondent in completed years Range: 18-99"


def test_key_value_blocks_in_another_language_and_order():
    text = """Libellé : Identifiant du ménage
Nom : id_menage
Type : texte

Libellé : Âge de la personne de référence, en années révolues
Nom : age_pr
Type : entier

Libellé : Statut d'occupation du logement
Nom : statut_occ
Type : entier
Modalités :
1 Propriétaire
2 Locataire
"""
    fields = _fields(text)
    assert list(fields) == ["id_menage", "age_pr", "statut_occ"]
    assert fields["age_pr"].type == "integer"
    assert fields["statut_occ"].description == "Statut d'occupation du logement"
    assert _pairs(fields["statut_occ"].categories) == [("1", "Propriétaire"), ("2", "Locataire")]


def test_repeated_keys_without_names_are_not_blocks():
    text = "\n\n".join(f"Note: remark number {i}\nAuthor: Someone Else\nDate: 2020"
                       for i in range(4))
    assert read_key_value_blocks(blocks_from_lines(text.splitlines())) == ([], 0.0)


STATA = """. codebook age sex

-------------------------------------------------------------------------------
age                                                                Age in years
-------------------------------------------------------------------------------

                  type:  numeric (byte)

                 range:  [18,99]                      units:  1
         unique values:  82                       missing .:  0/1,000

                  mean:   45.2
              std. dev:   15.1

-------------------------------------------------------------------------------
sex                                                               Sex of person
-------------------------------------------------------------------------------

                  type:  numeric (byte)
                 label:  sexlbl

                 range:  [1,2]                        units:  1
         unique values:  2                        missing .:  0/1,000

            tabulation:  Freq.   Numeric  Label
                           480         1  Male
                           520         2  Female

-------------------------------------------------------------------------------
region                                                       Region of residence
-------------------------------------------------------------------------------

                  type:  string (str5)

         unique values:  2                        missing "":  0/1,000

            tabulation:  Freq.  Value
                           250  "east"
                           750  "north"
"""


def test_key_value_blocks_named_by_their_heading_with_statistics_left_out():
    fields = _fields(STATA)
    assert list(fields) == ["age", "sex", "region"]
    age = fields["age"]
    # `numeric (byte)`: Stata's storage type says more than `numeric`: whole numbers
    assert (age.title, age.type, age.constraints) == ("Age in years", "integer", {})
    assert "45.2" not in age.description and "18,99" not in age.description
    assert _pairs(fields["sex"].categories) == [("1", "Male"), ("2", "Female")]  # not counts
    assert [c.value for c in fields["region"].categories] == ["east", "north"]


def test_definition_list_blocks_with_headings_between_them(tmp_path):
    from engine.parsers import ParseContext
    from engine.parsers.text import parse_text

    blocks = "".join(
        f"<h3>{n} - {label}</h3><dl><dt>Variable Name: </dt><dd>{n}</dd><dt>SAS Label: </dt>"
        f"<dd>{label}</dd><dt>English Text: </dt><dd>{text}</dd><dt>Target: </dt>"
        "<dd>Both males and females 0 YEARS - 150 YEARS</dd></dl>"
        for n, label, text in (("SEQN", "Respondent sequence number", "Respondent number."),
                               ("RIAGENDR", "Gender", "Gender of the participant."),
                               ("RIDAGEYR", "Age in years", "Age in years at screening.")))
    path = tmp_path / "demo.html"
    path.write_text(f"<html><body><h1>Demographics</h1>{blocks}</body></html>", "utf-8")
    fields = {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}
    assert list(fields) == ["SEQN", "RIAGENDR", "RIDAGEYR"]
    gender = fields["RIAGENDR"]
    assert gender.title == "Gender"
    assert gender.description.startswith("Gender of the participant.")
    assert "RIDAGEYR" not in gender.description  # the next block's heading is not its text


def test_a_two_column_table_per_variable(tmp_path):
    from engine.parsers import ParseContext
    from engine.parsers.text import parse_text

    tables = "".join(
        f"<h2>Variable {i}</h2><table><tr><td>Name</td><td>{n}</td></tr>"
        f"<tr><td>Label</td><td>{label}</td></tr><tr><td>Type</td><td>integer</td></tr>"
        + (f"<tr><td>Codes</td><td>{codes}</td></tr>" if codes else "") + "</table>"
        for i, (n, label, codes) in enumerate((
            ("SEQN", "Respondent sequence number", ""),
            ("RIAGENDR", "Gender of the participant", "1 = Male<br>2 = Female<br>9 = Refused"),
            ("RIDAGEYR", "Age in years at screening", "")), 1))
    path = tmp_path / "tables.html"
    path.write_text(f"<html><body>{tables}</body></html>", "utf-8")
    fields = {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}
    assert list(fields) == ["SEQN", "RIAGENDR", "RIDAGEYR"]
    gender = fields["RIAGENDR"]
    assert (gender.description, gender.type) == ("Gender of the participant", "integer")
    assert _pairs(gender.categories) == [("1", "Male"), ("2", "Female")]
    assert _pairs(gender.missing_values) == [("9", "Refused")]


def test_questions_numbered_with_letters_and_equals_definitions():
    text = """HOUSEHOLD SURVEY 2021 - QUESTIONNAIRE

Q1. What is your age?
   Enter age in completed years

Q2. What is your sex?
   1  Male
   2  Female
   9  Refused

Q3a) Do you currently smoke?
   1  Yes
   2  No
"""
    fields = _fields(text)
    assert list(fields) == ["Q1", "Q2", "Q3a"]
    assert fields["Q1"].description == "What is your age? Enter age in completed years"
    assert _pairs(fields["Q2"].categories) == [("1", "Male"), ("2", "Female")]
    assert _pairs(fields["Q3a"].categories) == [("1", "Yes"), ("2", "No")]
    eq = _fields("Variables\n\nage = Age in years\nsex = Sex of respondent\n"
                 "region_code = NUTS2 region code\n")
    assert [(n, f.description) for n, f in eq.items()] == [
        ("age", "Age in years"), ("sex", "Sex of respondent"),
        ("region_code", "NUTS2 region code")]


def test_code_lines_with_letter_codes_are_not_an_equals_list():
    text = "sex: Sex of respondent\n  M = Male\n  F = Female\n  X = Other\n"
    fields = _fields(text)
    assert list(fields) == ["sex"]
    assert _pairs(fields["sex"].categories) == [("M", "Male"), ("F", "Female"), ("X", "Other")]


def test_a_word_table_per_variable_with_pairs_side_by_side(tmp_path):
    import docx

    from engine.parsers import ParseContext
    from engine.parsers.text import parse_text

    d = docx.Document()
    for name, label, kind, codes in (("hh_id", "Household identifier", "string", ""),
                                     ("hh_size", "Number of household members", "integer", ""),
                                     ("tenure", "Tenure of the dwelling", "integer",
                                      "1 = Owner\n2 = Tenant")):
        d.add_paragraph(f"Variable {name}")
        table = d.add_table(rows=2, cols=4)
        for cell, text in zip(table.rows[0].cells + table.rows[1].cells,
                              ("Name", name, "Type", kind, "Label", label, "Codes", codes)):
            cell.text = text
    path = tmp_path / "tables.docx"
    d.save(str(path))
    fields = {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}
    assert list(fields) == ["hh_id", "hh_size", "tenure"]
    assert (fields["hh_size"].description, fields["hh_size"].type) == (
        "Number of household members", "integer")
    assert _pairs(fields["tenure"].categories) == [("1", "Owner"), ("2", "Tenant")]


def test_names_shared_by_several_files_are_fields_but_keys_of_blocks_are_not(tmp_path):
    from engine.parsers import ParseContext
    from engine.parsers.text import parse_text

    def parse(text: str) -> list[str]:
        path = tmp_path / "doc.txt"
        path.write_text(text, encoding="utf-8")
        return [f.name for f in parse_text(ParseContext(path=path, filename=path.name))]

    files = "\n\n".join(f"In {f}.csv\nid: record identifier\ndate: date of the record\n"
                        f"{v}: measured value {v}" for f, v in (("a", "x"), ("b", "y"), ("c", "z")))
    assert parse(files) == ["id", "date", "x", "id", "date", "y", "id", "date", "z"]
    notes = "\n\n".join(f"Method: step {i} of the pipeline\nScope: all rows\nRationale: see paper"
                        for i in range(3))
    assert parse(notes) == []


def test_numbered_heads_with_mixed_separators_and_versions_are_not_names():
    text = ("Codebook\n\n1) age: how old are you?\n2) sex – what is your sex?\nFemale – 1\n"
            "Male – 2\n3) region\nNorth – 1\nSouth – 2\n4) income: monthly income\n")
    fields = _fields(text)
    assert list(fields) == ["age", "sex", "region", "income"]
    assert fields["age"].description == "how old are you?"
    assert _pairs(fields["region"].categories) == [("1", "North"), ("2", "South")]
    assert name_likeness("v1.2") < 0.4 and name_likeness("sepal.length") == 1.0
    assert name_likeness("V1") == 1.0  # ICPSR-style variable names are not versions
