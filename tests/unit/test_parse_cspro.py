"""CSPro data dictionaries (.dcf), Stata programs saved as .ado, and setup programs (SAS, SPSS,
Stata, CSPro) saved as .txt; text codebooks stay with the text readers.

The text-form dictionary is a trimmed copy of a real one (tests/fixtures/cspro/, see
SOURCES.md): the UNICEF MICS6 household questionnaire in French, CSPro 7.2.  The CSPro 8 JSON
form and the .ado program are hand-written snippets.
"""

from __future__ import annotations

import json

import pytest

from harness.fixtures import fixture_path

from engine.parsers import parse_dictionary


def pairs(cats):
    return [(c.value, c.label) for c in cats]


def test_cspro_text_dictionary_items_value_sets_and_ranges():
    result = parse_dictionary(fixture_path("cspro", "CFCRTMHH_trimmed.dcf"))
    schema = result.schema
    assert result.format == "cspro-dcf"
    # id items first, then each record's items and sub-items; records and levels are no fields
    assert schema.names == ["HH1", "HH2", "HH3", "HH4", "HH5", "HH5D", "HH5M", "HH5Y", "HHNAME",
                            "HH14", "HH67", "HL1", "HL3", "HL5", "HL5M", "HL5Y", "HL6", "HL7",
                            "HL8", "HL10"]
    f = schema.field
    assert f("HH1").description == "Numéro de grappe"
    assert (f("HH1").constraints["minimum"], f("HH1").constraints["maximum"]) == (1, 99)
    assert f("HH1").extras["position"] == {"start": 1, "end": 2}
    assert f("HHNAME").type == "string" and f("HH3").type == "integer"
    # a value set of codes; `9;NON REPONSE` is a missing value
    assert pairs(f("HH14").categories)[:2] == [("1", "FRANÇAIS"), ("2", "KIKONGO")]
    assert pairs(f("HH14").missing_values) == [("9", "NON REPONSE")]
    # four value sets of one item are read together
    assert [c.value for c in f("HH67").categories] == ["11", "21", "31", "32", "41", "42"]
    # a range beside labelled codes: the range is the item's, the codes its codes
    assert (f("HL6").constraints["minimum"], f("HL6").constraints["maximum"]) == (0, 94)
    assert pairs(f("HL6").categories) == [("95", "95+")]
    assert pairs(f("HL6").missing_values) == [("98", "NSP"), ("99", "NON REPONSE")]
    assert f("HL5Y").categories == [] and f("HL5Y").constraints["maximum"] == 2020
    assert pairs(f("HL8").categories) == [("0", "NON ELIGIBLE")]


def test_cspro_text_languages_alpha_codes_and_special_values(tmp_path):
    text = ("[Dictionary]\nVersion=CSPro 7.2\nLabel=Enquête|Survey\nName=ENQ\n\n[Level]\n"
            "Label=Ménage\nName=LEV\n\n[IdItems]\n\n[Item]\nLabel=Grappe|Cluster\nName=G1\n"
            "Start=1\nLen=3\n\n[Record]\nLabel=Rec\nName=REC\nRecordTypeValue='1'\n\n"
            "[Item]\nLabel=Branche|Industry\nName=B2\nNote=Code de la branche\\r\\n\n"
            "Note=(nomenclature NAEMA)\nStart=4\nLen=1\nDataType=Alpha\n\n"
            "[ValueSet]\nLabel=Branche\nName=B2_VS1\nValue='A';Agriculture|Farming\n"
            "Value='?';NON REPONSE\nValue=' '\n\n[Item]\nLabel=Poids\nName=W3\nStart=5\nLen=8\n"
            "Decimal=3\n\n[ValueSet]\nLabel=Poids\nName=W3_VS1\nValue=0,000:9999,000;Poids\n"
            "Value=99999,999;Manquant\nName=MISSING,Special\n\n"
            "[Item]\nLabel=Pièces\nName=P4\nStart=13\nLen=2\n\n[ValueSet]\nLabel=Pièces\n"
            "Name=P4_VS1\nValue=1:10 12 15:20;Nombre de pièces\nValue=97;Sans objet\n"
            "Name=NOTAPPL,Special\nImage=..\\icons\\na.png\n")
    path = tmp_path / "enq.dcf"
    path.write_text(text, encoding="utf-8")
    schema = parse_dictionary(path).schema
    assert schema.names == ["G1", "B2", "W3", "P4"]
    f = schema.field
    assert f("G1").description == "Grappe"
    assert f("B2").type == "string"
    assert f("B2").extras["notes"] == "Code de la branche (nomenclature NAEMA)"
    assert pairs(f("B2").categories) == [("A", "Agriculture")]
    assert pairs(f("B2").missing_values) == [("?", "NON REPONSE")]
    assert f("W3").type == "number" and f("W3").constraints["maximum"] == 9999
    assert pairs(f("W3").missing_values) == [("99999.999", "Manquant")]
    assert f("W3").categories == []
    # several pairs in one value: the span of valid values, the label names the span
    assert (f("P4").constraints["minimum"], f("P4").constraints["maximum"]) == (1, 20)
    assert f("P4").categories == []
    assert pairs(f("P4").missing_values) == [("97", "Sans objet")]


def test_cspro_json_dictionary(tmp_path):
    def item(name, label, kind, start, length, values=None):
        out = {"name": name, "labels": [{"text": label}], "contentType": kind, "start": start,
               "length": length}
        if values:
            out["valueSets"] = [{"name": name + "_VS1", "labels": [{"text": label}],
                                 "values": values}]
        return out
    doc = {"software": "CSPro", "version": 8.0, "fileType": "dictionary", "name": "D",
           "labels": [{"text": "D"}],
           "levels": [{"name": "L", "labels": [{"text": "L"}],
                       "ids": {"items": [item("HH1", "Cluster number", "numeric", 1, 3, [
                           {"pairs": [{"range": [1, 300]}]}])]},
                       "records": [{"name": "R", "labels": [{"text": "R"}], "items": [
                           item("SEX", "Sex", "numeric", 4, 1, [
                               {"labels": [{"text": "Male"}], "pairs": [{"value": 1}]},
                               {"labels": [{"text": "Female"}], "pairs": [{"value": 2}]},
                               {"labels": [{"text": "Don't know"}], "pairs": [{"value": 8}]},
                               {"labels": [{"text": "Sans code"}], "pairs": [{"value": 9}],
                                "special": "NOTAPPL"},
                               {"pairs": [{"range": [10, 12]}], "special": "DEFAULT"}]),
                           item("NAME", "Name", "alpha", 5, 30),
                           item("SEX2", "Sex of spouse", "numeric", 35, 1)]}]}]}
    # a linked value set is written with its values once
    sets = doc["levels"][0]["records"][0]["items"]
    sets[0]["valueSets"][0]["link"] = 7
    sets[2]["valueSets"] = [{"name": "SEX2_VS1", "link": 7}]
    path = tmp_path / "d.dcf"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    result = parse_dictionary(path)
    assert result.format == "cspro-dcf"
    f = result.schema.field
    assert result.schema.names == ["HH1", "SEX", "NAME", "SEX2"]
    assert pairs(f("SEX2").categories) == [("1", "Male"), ("2", "Female")]
    assert f("HH1").constraints["maximum"] == 300
    assert pairs(f("SEX").categories) == [("1", "Male"), ("2", "Female")]
    # a special value is a missing value whatever its label; a special range marks no code
    assert pairs(f("SEX").missing_values) == [("9", "Sans code"), ("8", "Don't know")]
    assert "maximum" not in f("SEX").constraints
    assert f("NAME").type == "string" and f("NAME").description == "Name"


def test_stata_program_saved_as_ado(tmp_path):
    text = ("*Do-File zum labeln\n#delimit ;\nprogram define P;\n"
            "label variable p11 \"Geschlecht\";\nlabel define Label_12\n\t1\t\"Männlich\"\n"
            "\t.a\t\"Proxy ab 14 Jahre werden nicht befragt\"\n\t2\t\"Weiblich\"\n"
            "\t9\t\"Keine Angabe\"\n\t;\nlabel values p11 Label_12;\nend;\n#delimit cr\n")
    path = tmp_path / "P.ado"
    path.write_text(text, encoding="utf-8")
    result = parse_dictionary(path)
    assert result.format == "stata-do"
    f = result.schema.field("p11")
    assert f.description == "Geschlecht"
    assert pairs(f.categories) == [("1", "Männlich"), ("2", "Weiblich")]
    assert {c.value for c in f.missing_values} == {".a", "9"}


# ---- setup programs saved as .txt ------------------------------------------------------------
@pytest.mark.parametrize("parts, fmt", [
    (("wild", "sas-hcup-or-sid-2000-core", "OR_SID_2000_CORE_trimmed.sas"), "sas"),
    (("wild", "spss-icpsr-34981-nps", "34981-0001-Setup_trimmed.sps"), "spss-syntax"),
    (("wild", "stata-do-ipeds-ic2013", "ic2013_trimmed.do"), "stata-do"),
    (("gss-happiness-extract", "GSS.dct"), "stata-dct"),
    (("cspro", "CFCRTMHH_trimmed.dcf"), "cspro-dcf"),
])
def test_setup_program_saved_as_text_reads_as_under_its_own_name(tmp_path, parts, fmt):
    source = fixture_path(*parts)
    copy = tmp_path / (source.stem + ".txt")
    copy.write_bytes(source.read_bytes())
    native, as_text = parse_dictionary(source), parse_dictionary(copy)
    assert as_text.format == native.format == fmt
    assert as_text.schema.names == native.schema.names
    f, g = native.schema.fields[-1], as_text.schema.field(native.schema.fields[-1].name)
    assert pairs(g.categories) == pairs(f.categories) and g.description == f.description


@pytest.mark.parametrize("parts", [
    ("wild", "txt-jse-okcupid-codebook", "okcupid_codebook.txt"),
    ("house-prices", "data_description.txt"),
])
def test_text_codebooks_are_not_read_as_setup_programs(parts):
    assert parse_dictionary(fixture_path(*parts)).format not in (
        "sas", "spss-syntax", "stata-do", "stata-dct", "cspro-dcf")


def test_spss_labels_one_command_per_line_saved_as_text(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_text('VARIABLE LABELS age "Age in years".\nVARIABLE LABELS sex "Sex".\n'
                    'VARIABLE LABELS inc "Household income".\n', encoding="utf-8")
    result = parse_dictionary(path)
    assert result.format == "spss-syntax"
    assert [(f.name, f.description) for f in result.schema.fields] == [
        ("age", "Age in years"), ("sex", "Sex"), ("inc", "Household income")]


def test_cspro_linked_value_set_written_once(tmp_path):
    # CSPro writes a linked value set's values only with the first set of that link
    text = ("[Dictionary]\nVersion=CSPro 7.2\nLabel=RGE\nName=RGE\n\n[Level]\nLabel=L\nName=L\n\n"
            "[IdItems]\n\n[Record]\nLabel=R\nName=R\nRecordTypeValue='1'\n\n"
            "[Item]\nLabel=Groupe activité principale\nName=AP1F\nStart=2\nLen=1\n\n"
            "[ValueSet]\nLabel=Groupe activité principale\nName=AP1F_VS1\nLink=184158936\n"
            "Value=1;AGRICULTURE\nValue=2;SYLVICULTURE\nValue=9;NON REPONSE\n\n"
            "[Item]\nLabel=Groupe activité secondaire\nName=AS1F\nStart=3\nLen=1\n\n"
            "[ValueSet]\nLabel=Groupe activité secondaire\nName=AS1F_VS1\nLink=184158936\n")
    path = tmp_path / "rge.dcf"
    path.write_text(text, encoding="utf-8")
    f = parse_dictionary(path).schema.field
    assert pairs(f("AS1F").categories) == pairs(f("AP1F").categories) == [
        ("1", "AGRICULTURE"), ("2", "SYLVICULTURE")]
    assert pairs(f("AS1F").missing_values) == [("9", "NON REPONSE")]
