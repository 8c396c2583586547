"""Statistical-package setup programs: Stata do-files, SAS programs, SPSS syntax gaps, DDI codes.

Real files (trimmed copies in tests/fixtures/wild/, see SOURCES.md): a GESIS EU-SILC do-file in
`#delimit ;` mode, an NCES IPEDS do-file (one `label define ..., add` line per code), an AHRQ
HCUP SAS load program (INVALUE missing-value informats, ATTRIB, formatted INPUT, CRLF), the OECD
PIAAC SAS format program (PROC FORMAT + a FORMAT statement, special missing values), an ICPSR
SPSS setup with its MISSING VALUES commented out and an NLS Investigator SPSS extract with its
value labels and RENAME crosswalk commented out.  The hand-written snippets below check each
grammar feature on its own.
"""

from __future__ import annotations

import pytest
from harness.fixtures import fixture_path

from engine.parsers import ParseContext, parse_dictionary
from engine.parsers.machine import PARSERS

WILD = "wild"


def parse(*parts):
    """Parse a fixture through the registry."""
    return parse_dictionary(fixture_path(*parts))


def parse_text(tmp_path, name: str, text: str, newline: str = "\n"):
    """Parse a hand-written file through the registry."""
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return parse_dictionary(path)


def pairs(cats):
    return [(c.value, c.label) for c in cats]


def values(cats):
    return [c.value for c in cats]


# ---- Stata: the wild files ---------------------------------------------------------------------
def test_eusilc_delimit_semicolon_do_file():
    result = parse(WILD, "stata-do-eusilc-gesis", "2008_cross_eu_silc_h_trimmed.do")
    schema = result.schema
    assert result.format == "stata-do"
    # variables are the labelled ones: the loop, `import delimited` and `sort HB020` add none
    assert schema.names == ["HB010", "HB020", "HB050", "HB050_F", "HB100", "HY010_F", "HY020",
                            "HY040N_F", "HY090N_F", "HH050", "HX080", "HY131N_I"]
    f = schema.field
    assert f("HB010").description == "Year of the survey"
    assert pairs(f("HB050").categories) == [
        ("1", "January,February,March"), ("2", "April, May, June"),
        ("3", "July, August, September"), ("4", "October, November, December")]
    # pseudo-missing codes are read as codes; the enrichment pass moves those whose label
    # says missing into the missing values, with their labels
    assert pairs(f("HB050_F").categories) == [("1", "filled")]
    assert pairs(f("HB050_F").missing_values) == [("-1", "missing")]
    assert values(f("HY010_F").categories) == ["0", "1", "2", "3", "4", "-5"]
    assert f("HY010_F").categories[-1].label == "not filled: no conversion to gross is done"
    assert f("HY010_F").type == "integer"
    assert pairs(f("HY010_F").missing_values) == [("-1", "missing")]
    # codes in the order written, 1 after 55
    assert pairs(f("HY090N_F").categories)[8:10] == [
        ("51", "collected unknownrecorded net of tax on income & social contrib."),
        ("1", "net of tax on income at source and social contribution")]
    assert pairs(f("HY090N_F").missing_values) == [("55", "unknown"), ("-1", "missing")]
    assert f("HX080").categories[1].label == ("when HX090 < at risk of poverty threshold "
                                              "(60% of Median HX090)")
    assert f("HB100").unit == "minutes"
    assert f("HY020").categories == [] and f("HY020").type == "any"


def test_ipeds_one_code_per_add_line():
    result = parse(WILD, "stata-do-ipeds-ic2013", "ic2013_trimmed.do")
    f = result.schema.field
    assert result.schema.names[:4] == ["unitid", "peo3istr", "cntlaffi", "relaffil"]
    assert len(result.schema.names) == 11          # `tab`/`summarize` name them again: no new ones
    assert pairs(f("peo3istr").categories) == [("1", "Yes"), ("0", "Implied no")]
    assert pairs(f("peo3istr").missing_values) == [("-1", "Not reported"),
                                                   ("-2", "Not applicable")]
    assert values(f("relaffil").categories)[:4] == ["51", "24", "52", "22"]   # order kept
    assert pairs(f("calsys").missing_values) == [("-2", "Not applicable")]
    assert f("xappfeeu").description == ("Imputation field for applfeeu - Undergraduate "
                                         "application fee")
    assert f("satpct").unit == "%"


# ---- Stata: grammar ------------------------------------------------------------------------------
STATA_CR = """\
* A hand-written setup program
version 14
clear
infix str12 caseid 1-12 byte age 13-14 sex 15 ///
      double income 16-23 using "data.txt", clear  // the raw data
label variable caseid "Case identifier"
lab var age "Age in years"
label var sex "Sex of respondent" /* a comment /* nested */ still a comment */
la var income Household income
label define sexlbl 1 "Male" 2 "Female" .a "Refused"
label define yn 1 "Yes" 0 "No"
label define yn 9 "Don't know", add
label define yn 1 "Yes, definitely", modify
label values sex sexlbl
label values q1 q2 yn
format income %12.2f
replace age = . if age == 99
replace income = .a if (income >= -9 & income <= -1)
mvdecode q1 q2, mv(-8 = .a \\ -7/-5)
recode sex (-1 = .) (3 = 2)
tab sex
summarize age agesq
foreach v of varlist q1 q2 {
    generate `v'_d = `v' == 1
}
"""


def test_stata_cr_mode_program(tmp_path):
    result = parse_text(tmp_path, "setup.do", STATA_CR)
    schema = result.schema
    assert schema.names == ["caseid", "age", "sex", "income", "q1", "q2"]
    f = schema.field
    assert (f("caseid").type, f("caseid").extras["position"]) == ("string", {"start": 1, "end": 12})
    assert f("age").type == "integer" and f("age").extras["position"] == {"start": 13, "end": 14}
    assert f("income").extras["position"] == {"start": 16, "end": 23}   # after the /// break
    assert f("income").description == "Household income"                # unquoted label
    assert f("income").type == "number" and f("income").extras["sourceType"] == "double %12.2f"
    assert f("sex").description == "Sex of respondent"
    assert pairs(f("sex").categories) == [("1", "Male"), ("2", "Female")]
    # `.a` is an extended missing value; `recode (-1 = .)` declares -1, `(3 = 2)` is no missing
    assert pairs(f("sex").missing_values) == [("-1", None), (".a", "Refused")]
    assert values(f("age").missing_values) == ["99"]
    assert values(f("income").missing_values) == [str(v) for v in range(-9, 0)]
    for name in ("q1", "q2"):    # one set on two variables; add and modify applied in order
        assert pairs(f(name).categories) == [("1", "Yes, definitely"), ("0", "No")]
        # the recodes' codes, then the code whose label says missing (enrichment pass)
        assert pairs(f(name).missing_values) == [("-8", None), ("-7", None), ("-6", None),
                                                 ("-5", None), ("9", "Don't know")]


def test_stata_delimit_semicolon_and_star_comments(tmp_path):
    text = """\
#delimit ;
* a comment that runs
  over two lines ;
label define agegrp 1 "Under 18" 2 "18-64"
                    3 "65 and over" ;
label variable agecat "Age group; three classes" ;
label values agecat agegrp ;
#delimit cr
label variable region "Region"
* replace region = . if region == -9
"""
    result = parse_text(tmp_path, "delim.do", text, newline="\r\n")
    f = result.schema.field
    assert result.schema.names == ["agecat", "region"]
    assert f("agecat").description == "Age group; three classes"
    assert values(f("agecat").categories) == ["1", "2", "3"]
    # a recode left commented out documents the missing code, and a warning says so
    assert values(f("region").missing_values) == ["-9"]
    assert any("commented out" in w for w in result.warnings)


def test_stata_commented_recodes_do_not_override_live_ones(tmp_path):
    text = """\
label variable x "X"
label variable y "Y"
replace x = . if x == -1
/*
replace x = . if inlist(x, -8, -9)
replace y = . if inrange(y, -9, -7)
replace y = . if z == 1
*/
"""
    f = parse_text(tmp_path, "c.do", text).schema.field
    assert values(f("x").missing_values) == ["-1"]
    assert values(f("y").missing_values) == ["-9", "-8", "-7"]   # `if z == 1` is not about y


def test_stata_label_sets_never_attached_stand_for_variables(tmp_path):
    text = """\
infile using `dict', using (`raw_data') clear
#delimit ;
label define GENDER    0 "Female" 1 "Male" ;
label define CLOSEMOM  -9 "Blank" 1 "Not close" 2 "Very close" ;
#delimit cr
/*
replace CLOSEMOM = . if (CLOSEMOM == -9)
replace STATE = . if (STATE == -9)
*/
"""
    result = parse_text(tmp_path, "icpsr.do", text)
    f = result.schema.field
    assert result.schema.names == ["GENDER", "CLOSEMOM", "STATE"]
    assert pairs(f("CLOSEMOM").missing_values) == [("-9", "Blank")]
    assert values(f("STATE").missing_values) == ["-9"]
    assert any("attaches them to no variable" in w for w in result.warnings)
    assert any("Stata dictionary" in w for w in result.warnings)


def test_stata_open_recodes_and_renames(tmp_path):
    text = """\
#delimit ;
label define PINC      996 "Volunteered 'No income'" 998 "DK"
                       999 "NA" ;
label define SEX       1 "Male" 2 "Female" ;
#delimit cr
replace PINC = . if (PINC >= 998.00 )
rename SEX gender
/*
  rename PINC INCOME_2019
*/
"""
    result = parse_text(tmp_path, "sda.do", text)
    assert result.schema.names == ["PINC", "gender"]
    pinc = result.schema.field("PINC")
    assert pairs(pinc.categories) == [("996", "Volunteered 'No income'")]
    assert pairs(pinc.missing_values) == [("998", "DK"), ("999", "NA")]
    assert pinc.extras["missingRanges"] == [{"minimum": 998}]
    assert pinc.extras["alias"] == "INCOME_2019"             # a commented rename: another name
    gender = result.schema.field("gender")                    # a live rename renames
    assert gender.extras["alias"] == "SEX" and values(gender.categories) == ["1", "2"]


def test_stata_loops_are_expanded(tmp_path):
    text = """\
#delimit ;
forvalues i = 1(1)3 { ;
label variable RG_`i' "Person `i' (OPTIONAL)";
label variable RG_`i'_F "Flag";
} ;
foreach w in a b { ;
  label variable q_`w' "Question `w'" ;
} ;
foreach v of varlist _all { ;
  label variable `v' "Unknowable" ;
} ;
label variable $name "A global" ;
"""
    schema = parse_text(tmp_path, "loops.do", text).schema
    assert schema.names == ["RG_1", "RG_1_F", "RG_2", "RG_2_F", "RG_3", "RG_3_F", "q_a", "q_b"]
    assert schema.field("RG_2").description == "Person 2 (OPTIONAL)"
    assert schema.field("q_b").description == "Question b"


def test_stata_dictionary_carried_at_the_end(tmp_path):
    text = """\
#delimit ;
label define PCRY      1 "Gone up" 3 "Same" 5 "Gone down" 8 "DK" 9 "NA" ;
#delimit cr
infile using dictionary
replace PCRY = . if (PCRY >= 8 )

dictionary {
  _column(1)   int    CASEID   %4f  "Case ID"
  _column(5)   byte   PCRY     :PCRY  %1f  "Personal finances"
}
"""
    result = parse_text(tmp_path, "sda.do", text)
    f = result.schema.field
    assert result.schema.names == ["CASEID", "PCRY"]
    assert (f("CASEID").description, f("CASEID").extras["position"]) == (
        "Case ID", {"start": 1, "end": 4})
    assert values(f("PCRY").categories) == ["1", "3", "5"]       # the `:PCRY` set
    assert pairs(f("PCRY").missing_values) == [("8", "DK"), ("9", "NA")]
    assert not any("dictionary" in w for w in result.warnings)


def test_stata_infix_records_and_formats(tmp_path):
    text = """\
infix 2 lines 1: id 1-5 str name 6-25 2: int year 1-4 using raw.dat
format %td when
format name %-20s
label variable when "Interview date"
format when %td
"""
    f = parse_text(tmp_path, "infix.do", text).schema.field
    assert f("id").extras["position"] == {"start": 1, "end": 5, "record": 1}
    assert f("name").type == "string"
    assert (f("year").type, f("year").extras["position"]) == (
        "integer", {"start": 1, "end": 4, "record": 2})
    assert f("when").type == "date"



def test_stata_infix_dictionary_record_number_before_the_columns(tmp_path):
    # the PNDS 2006 (Brazil) .dct writes `type name #: start-end`, as the Stata manual does
    text = """\
infix dictionary using "PNDS2006_BR_MULHERES.dat" {
1 lines
    str      REC_TYPE    1:   1-3
    double   domicilio_id    1:   4-13
    byte     m111_cor    1:  78-79
    byte     m112_conv 2:80
}
"""
    schema = parse_text(tmp_path, "pnds.dct", text).schema
    assert schema.names == ["REC_TYPE", "domicilio_id", "m111_cor", "m112_conv"]
    f = schema.field
    assert f("REC_TYPE").type == "string"
    assert f("REC_TYPE").extras["position"] == {"start": 1, "end": 3}
    assert f("m111_cor").extras["position"] == {"start": 78, "end": 79}
    assert f("m112_conv").extras["position"] == {"start": 80, "end": 80, "record": 2}


# ---- SAS: the wild files ------------------------------------------------------------------------
def test_hcup_invalue_missing_codes_reach_variables_through_informats():
    result = parse(WILD, "sas-hcup-or-sid-2000-core", "OR_SID_2000_CORE_trimmed.sas")
    schema = result.schema
    assert result.format == "sas"
    assert schema.names == ["KEY", "AGE", "ASOURCE_X", "DIED", "DX11", "TOTCHG", "TOTCHG_X",
                            "ZIP", "PRYEAR6"]
    f = schema.field
    assert f("KEY").description == "HCUP record identifier"     # label on the ATTRIB's 2nd line
    assert (f("KEY").type, f("KEY").extras["position"]) == ("integer", {"start": 1, "end": 14})
    age = f("AGE")
    assert age.description == "Age in years at admission" and age.unit == "years"
    assert values(age.missing_values) == ["-99", "-88", "-66"]            # N3PF.
    assert age.type == "integer" and age.extras["position"] == {"start": 15, "end": 17}
    assert values(f("DIED").missing_values) == ["-9", "-8", "-6", "-5"]  # N2PF.
    assert values(f("TOTCHG").missing_values) == ["-999999999", "-888888888", "-666666666"]
    assert f("TOTCHG_X").type == "number"                              # OTHER = (|15.2|)
    assert f("TOTCHG_X").extras["position"] == {"start": 270, "end": 284}
    zip_code = f("ZIP")
    assert zip_code.type == "string" and zip_code.extras["position"] == {"start": 289, "end": 293}
    assert zip_code.missing_values == []
    # N4PF is not defined in the trimmed program: no missing codes, width unknown
    assert f("PRYEAR6").missing_values == [] and f("PRYEAR6").extras["position"] == {"start": 338}


def test_piaac_formats_tied_by_the_format_statement():
    schema = parse(WILD, "sas-proc-format-piaac-us", "prgusap1_2012_trimmed.sas").schema
    f = schema.field
    assert len(schema.names) == 11
    assert pairs(f("AETPOP").categories) == [("0", "Excluded from AET population"),
                                             ("1", "AET population")]
    assert pairs(f("AETPOP").missing_values) == [(".N", "Not stated or inferred")]
    assert pairs(f("AGEG10LFS").missing_values) == [(".A", "<16"), (".B", ">65"),
                                                    (".N", "Not stated or inferred")]
    assert values(f("B_Q01a").categories)[:3] == ["1", "10", "11"]     # as the file sorts them
    assert pairs(f("ZZ2").categories)[0] == ("1", "Never")              # ZZ2 -> ZZ2_.
    assert f("B_Q01a3").categories[-1].label == "ISCED 4A-B"            # B_Q01a3 -> B_Q01a3_.
    assert f("YRSQUAL").categories == []
    assert values(f("YRSQUAL").missing_values) == [".V", ".D", ".R", ".N"]
    vemethod = f("VEMETHOD")                                            # $VEMETHOD.
    assert vemethod.type == "string" and values(vemethod.categories) == ["BRR", "FAY", "JK1", "JK2"]
    isco = f("ISCO08_C")   # tied as ISCO08_C. to the character format $ISCO08_C
    assert values(isco.categories)[:3] == ["0", "01", "011"]           # codes kept as written


# ---- SAS: grammar -------------------------------------------------------------------------------
SAS_ICPSR_LIKE = """\
/*-------------------------------------------------------------------------
 | SAS SETUP FILE
 | PROC FORMAT:  creates user-defined formats for the variables.
 | FORMAT:  associates the formats created by the PROC FORMAT step with
 | the variables named in the INPUT statement.
 |   IF (RELATION = 98 OR RELATION = 99) THEN RELATION = .;
 |------------------------------------------------------------------------*/

* SAS PROC FORMAT;

/*
PROC FORMAT;
  VALUE sexf     1='(1) Male' 2='(2) Female' -9='(-9) Missing' ;
  VALUE $state   'AL'='Alabama' 'AK'='Alaska' ;
  VALUE agegrp   low-17='Minor' 18-high='Adult' 99='Unknown' other='Other';
*/

DATA;
INFILE "data-filename" LRECL=40;
INPUT
        caseid 1-6          sex 7         state $ 8-9
        age 10-12           wt 13-20 .4
;

LABEL
   caseid   = 'CASE ID'
   sex      = 'SEX OF RESPONDENT'
   state    = "RESPONDENT'S STATE"
   age      = 'AGE IN YEARS'
   wt       = 'SAMPLE WEIGHT' ;

/*
IF (SEX = -9) THEN SEX = .;
IF (AGE >= 998 AND AGE <= 999) THEN AGE = .;
IF wt IN (-1, -2) THEN wt = .;
*/

/*
FORMAT sex sexf. state $state. age agegrp.;
*/

RUN ;
"""


def test_sas_commented_formats_and_recodes_document_the_data(tmp_path):
    result = parse_text(tmp_path, "setup.sas", SAS_ICPSR_LIKE)
    schema = result.schema
    assert schema.names == ["caseid", "sex", "state", "age", "wt"]   # header prose adds none
    f = schema.field
    assert f("caseid").extras["position"] == {"start": 1, "end": 6}
    # the enrichment pass drops the copy of its code a label starts with
    assert pairs(f("sex").categories) == [("1", "Male"), ("2", "Female")]
    assert pairs(f("sex").missing_values) == [("-9", "Missing")]
    state = f("state")
    assert (state.type, state.description) == ("string", "RESPONDENT'S STATE")
    assert pairs(state.categories) == [("AL", "Alabama"), ("AK", "Alaska")]
    # ranges and `other` group values: only the single code 99 is a code
    # (99 "Unknown" is then moved to the missing values by the enrichment pass)
    assert pairs(f("age").categories) == []
    assert pairs(f("age").missing_values) == [("998", None), ("999", None), ("99", "Unknown")]
    assert f("wt").type == "number" and values(f("wt").missing_values) == ["-1", "-2"]
    assert any("commented out" in w and "value labels" in w for w in result.warnings)


def test_sas_value_statement_grammar(tmp_path):
    text = """\
proc format;
  value yn (default=10) 1, 2 = 'Yes' 0 = "No" . = 'Missing' ._ = 'Skipped';
  value lik 01='Low' 2-2='Mid' 3='High' 4-5='Top two' low-<0 = 'Negative';
  value $grade 'A'='Excellent' 'B '='Good';
run;
data x;
  set lib.x;
  length grade $ 1 n 8;
  format q1-q3 yn. likert lik. grade $grade.;
  label q1='First' q2='Second' q3='Third';
run;
"""
    f = parse_text(tmp_path, "fmt.sas", text).schema.field
    for name in ("q1", "q2", "q3"):
        assert pairs(f(name).categories) == [("1", "Yes"), ("2", "Yes"), ("0", "No")]
        assert pairs(f(name).missing_values) == [(".", "Missing"), ("._", "Skipped")]
    assert f("q2").description == "Second"
    assert pairs(f("likert").categories) == [("01", "Low"), ("2", "Mid"), ("3", "High")]
    assert pairs(f("grade").categories) == [("A", "Excellent"), ("B", "Good")]
    assert f("grade").type == "string"
    assert f("n").type == "number"


def test_sas_input_pointers_groups_and_records(tmp_path):
    text = """\
data d;
infile 'x.dat';
input @1 id 5. +1 name $char10. @20 score 6.2
      #2 (q1-q3) (1.) @10 flag $1.
      / last 3-4;
label score = 'Score'
      flag = Flag set;
datalines;
00001 Don't stop;
;
run;
"""
    f = parse_text(tmp_path, "input.sas", text).schema.field
    assert f("id").extras["position"] == {"start": 1, "end": 5, "record": 1}
    assert f("name").extras["position"] == {"start": 7, "end": 16, "record": 1}
    assert (f("score").type, f("score").extras["position"]) == (
        "number", {"start": 20, "end": 25, "record": 1})
    assert [f(q).extras["position"] for q in ("q1", "q2", "q3")] == [
        {"start": k, "end": k, "record": 2} for k in (1, 2, 3)]
    assert f("q1").type == "integer"
    assert f("flag").type == "string" and f("flag").description == "Flag set"
    assert f("last").extras["position"] == {"start": 3, "end": 4, "record": 3}


def test_sas_array_recode_and_name_literals(tmp_path):
    text = """\
data new_data;
infile 'extract.dat' lrecl=20 missover DSD DLM=' ' print;
input 'R0000100'n R0173600 name $;
array nvarlist _numeric_;
do over nvarlist;
  if nvarlist = -1 then nvarlist = .R;  /* Refused */
  if nvarlist = -2 then nvarlist = .D;  /* Dont know */
end;
label R0173600 = "SAMPLE ID";
run;
"""
    f = parse_text(tmp_path, "nls.sas", text).schema.field
    assert values(f("R0000100").missing_values) == ["-1", "-2"]
    assert values(f("R0173600").missing_values) == ["-1", "-2"]
    assert f("name").missing_values == []          # a character variable is not in _numeric_


def test_sas_system_missing_named_by_itself_is_dropped(tmp_path):
    text = "proc format;\n value yr . = '.' other = 'Survey year';\n value q . = 'Not asked';\n" \
           "run;\ndata d; infile 'x'; input year 1-4 q 5; format year yr. q q.; run;\n"
    f = parse_text(tmp_path, "nhis.sas", text).schema.field
    assert f("year").missing_values == [] and f("year").categories == []
    assert pairs(f("q").missing_values) == [(".", "Not asked")]


def test_sas_program_with_formats_only(tmp_path):
    result = parse_text(tmp_path, "formats.sas", "proc format;\n value SEX 1='Male' 2='Female';"
                                                 "\n value $ST 'A'='a';\nrun;\n")
    assert result.schema.names == ["SEX", "ST"]
    assert any("ties them to no variable" in w for w in result.warnings)


# ---- SPSS gaps ----------------------------------------------------------------------------------
def test_icpsr_spss_commented_missing_values():
    result = parse(WILD, "spss-icpsr-34981-nps", "34981-0001-Setup_trimmed.sps")
    f = result.schema.field
    assert result.schema.names == ["YEAR", "STATEID", "STATE", "REGION", "CUSGT1M", "CUSGT1F",
                                   "CUSLT1M", "CUSLT1F"]
    minus = [str(v) for v in range(-9, 0)]     # (-9 thru -1)
    assert values(f("YEAR").missing_values) == minus
    assert f("STATEID").categories[0].label == "Alabama"   # `01. Alabama` for code 01
    assert values(f("STATEID").missing_values) == minus
    cus = f("CUSGT1M")
    assert set(values(cus.missing_values)) == set(minus) and cus.categories == []
    assert any(m.label and m.label.startswith("Item was asked") for m in cus.missing_values)
    assert f("STATE").missing_values == []     # the commented block leaves STATE out
    assert any("commented out" in w and "missing values" in w for w in result.warnings)


def test_nlsy79_commented_value_labels_rename_and_missing_all():
    result = parse(WILD, "spss-nlsy79-investigator", "NLSY79_supplement.sps")
    schema = result.schema
    assert len(schema.names) == 30 and schema.names[0] == "R0000100"   # `file pcdat free` no var
    f = schema.field
    r0 = f("R0000100")
    assert r0.description == "ID# (1-12686) 79"
    assert r0.constraints == {"minimum": 1, "maximum": 12686}
    assert (r0.type, r0.extras["sourceType"]) == ("integer", "F5")
    assert "position" not in r0.extras                                # free format
    assert r0.extras["alias"] == "CASEID_1979"
    assert values(r0.missing_values) == ["-5", "-4", "-3", "-2", "-1"]  # missing values all
    assert pairs(f("R0214800").categories) == [("1", "MALE"), ("2", "FEMALE")]
    assert pairs(f("T4093500").categories) == [("0", "0: 0 CONDITION DOES NOT APPLY"),
                                               ("1", "1: 1 CONDITION APPLIES")]
    assert f("T3094800").categories[-1].label == "10 TO 9999: 10+"
    assert f("T3094906").extras["alias"] == "RISK_5_000007_2010"
    assert any("value labels" in w and "RENAME" in w for w in result.warnings)


def test_spss_get_data_variables(tmp_path):
    text = """\
GET DATA /TYPE=TXT /FILE="data.csv" /DELIMITERS="," /ARRANGEMENT=DELIMITED /FIRSTCASE=2
  /VARIABLES=
  HB010 F4.0
  HB020 A2
  HY020 F12.2.
VARIABLE LABELS HB010 "Year of the survey" /HB020 "Country".
GET DATA /TYPE=TXT /FILE='f.txt' /ARRANGEMENT=FIXED /FIXCASE=2
  /VARIABLES = /1 id 0-4 F5.0 name 5-24 A20 /2 age 0-2 F3.0.
"""
    f = parse_text(tmp_path, "get.sps", text).schema.field
    assert (f("HB010").type, f("HB010").description) == ("integer", "Year of the survey")
    assert f("HB020").type == "string" and "position" not in f("HB020").extras
    assert f("HY020").type == "number"
    assert f("name").extras["position"] == {"start": 6, "end": 25, "record": 1}   # 0-based
    assert f("age").extras["position"] == {"start": 1, "end": 3, "record": 2}


def test_spss_variable_level_orders_codes(tmp_path):
    text = "DATA LIST FREE / a b.\nVALUE LABELS a b 1 'Low' 2 'High'.\n" \
           "VARIABLE LEVEL a (ORDINAL) b (NOMINAL).\n"
    f = parse_text(tmp_path, "lvl.sps", text).schema.field
    assert f("a").categories_ordered and not f("b").categories_ordered


def test_spss_live_rename_renames(tmp_path):
    text = "DATA LIST FREE / v1 v2.\nVARIABLE LABELS v1 'Age'.\nRENAME VARIABLES (v1 = age).\n" \
           "* RENAME VARIABLES (v2 = income).\n"
    schema = parse_text(tmp_path, "r.sps", text).schema
    assert schema.names == ["age", "v2"]
    assert schema.field("age").extras["alias"] == "v1"
    assert schema.field("age").description == "Age"
    assert schema.field("v2").extras["alias"] == "income"


def test_spss_commented_syntax_fills_only_gaps(tmp_path):
    text = """\
* MISSING VALUES: declares user-defined missing values (prose, not syntax).
DATA LIST FILE=x / a 1 b 2.
VALUE LABELS a 1 'One' / b.
MISSING VALUES a (9).
* MISSING VALUES a b (8).
* VALUE LABELS a 1 'Uno' 2 'Dos'
  / b 1 'Yes' 2 'No'.
"""
    f = parse_text(tmp_path, "x.sps", text).schema.field
    assert pairs(f("a").categories) == [("1", "One")]           # live labels win
    assert values(f("a").missing_values) == ["9"]
    assert pairs(f("b").categories) == [("1", "Yes"), ("2", "No")]
    assert values(f("b").missing_values) == ["8"]


# ---- DDI: zero-padded codes and implied decimals ------------------------------------------------
def test_ddi_zero_padded_codes_stay_numeric(tmp_path):
    text = """<?xml version="1.0"?>
<codeBook xmlns="ddi:codebook:2_5"><dataDscr>
<var ID="SEX" name="SEX" dcml="0"><location StartPos="1" EndPos="2" width="2"/><labl>Sex</labl>
 <catgry><catValu>01</catValu><labl>Male</labl></catgry>
 <catgry><catValu>99</catValu><labl>NIU (Not in universe)</labl></catgry>
 <varFormat type="numeric"/></var>
<var ID="WT" name="WT" dcml="2"><location StartPos="3" EndPos="8" width="6"/>
 <labl>Weight</labl><varFormat type="numeric"/></var>
</dataDscr></codeBook>"""
    schema = parse_text(tmp_path, "x.xml", text).schema
    sex = schema.field("SEX").to_descriptor()
    assert sex["type"] == "integer" and sex["categories"][0] == {"value": 1, "label": "Male"}
    assert schema.field("WT").type == "number"


# ---- registry ----------------------------------------------------------------------------------
@pytest.mark.parametrize("parts, fmt", [
    ((WILD, "stata-do-ipeds-ic2013", "ic2013_trimmed.do"), "stata-do"),
    ((WILD, "sas-hcup-or-sid-2000-core", "OR_SID_2000_CORE_trimmed.sas"), "sas"),
    (("gss-happiness-extract", "GSS.dct"), "stata-dct"),
])
def test_sniffs_pick_the_setup_parsers(parts, fmt):
    path = fixture_path(*parts)
    ctx = ParseContext(path=path, filename=path.name)
    assert {s.format for s in PARSERS if ctx.ext in s.extensions and s.sniff(ctx)} == {fmt}
