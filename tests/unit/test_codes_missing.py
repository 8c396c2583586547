"""Missing-value codes (engine.parsers.codes.missing, scan, lines.tidy_label): labels that say
missing in several languages, sentinel values with loosely missing labels, SAS's special
missing values, labels that repeat their own code, missing codes stated in prose; and valid
answers that only look like them."""

from __future__ import annotations

import pytest

from engine.model import Category
from engine.parsers.codes import is_missing_label, split_missing, stated_missing
from engine.parsers.codes.lines import same_code, tidy_label


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


@pytest.mark.parametrize("label", [
    "No answer", "Don't know", "Refused", "Skipped", "Legitimate skip", "Valid skip",
    "System missing", "Prefer not to answer", "No sabe / No responde (NS/NR)", "NS/NC/NR",
    "No corresponde", "No aplica", "No consta", "Sin especificar", "No declarado",
    "Não se aplica", "Não declarado", "Sans objet", "Sans réponse", "Pas de réponse",
    "Non déclaré", "Keine Angabe", "Trifft nicht zu", "nicht erhoben", "Nicht beantwortet",
    "not enumerated", "Unascertained", "Out of universe", "Invalid response",
    # a part that says missing only beside another; a missing head before a note
    "Don't know/Not sure", "Refused / can't say", "Not asked (skip)", "Blank (no answer)",
    "Sin dato - no registrado", "Does not know.", "Doesn't know", "Did not know",
    "Does not know (volunteered)", "Does not respond", "Didn't respond",
    # ANES / PSID abbreviate inapplicable (set 11 ANES 2016 label file)
    "Inap, Web mode", "Inap.", "INAP, 2,-8,-9 in V161005",
    # UK Biobank's codings write both tenses
    "Prefer not to answer", "Preferred not to answer",
])
def test_missing_labels(label):
    assert is_missing_label(label)


@pytest.mark.parametrize("label", [
    "Not enumerated districts", "No", "Nothing", "Answered", "Knows", "Sans", "Universe",
    "Declared income", "Objet perdu trouvé", "Not sure", "Unsure", "No data available",
    "Invalid date format detected in", "No information on parent", "Inappropriate",
])
def test_valid_answers(label):
    assert not is_missing_label(label)


@pytest.mark.parametrize("label", [
    # skips and "not specified" as survey publishers write them
    "Logical Skip", "Invalid skip", "Not specified", "not specified", "Non-interview", "N.A.",
    "N/D", "n.d.",
    # French (Statistics Canada: valid skip, not stated), with and without accents
    "Enchaînement valide", "Enchainement valide", "ENCHAÎNEMENT VALIDE", "Saut logique",
    "Non précisé", "Non spécifiée", "Non indiqué", "Non connu", "Hors champ",
    "Ne s’applique pas", "Je ne sais pas", "Ne répond pas", "Ne veut pas répondre",
    "Préfère ne pas répondre", "Refus de répondre", "Aucune réponse", "Données manquantes",
    "Ne sait pas / refus",
    "Non de\u0301clare\u0301",   # accents written as combining marks
    # Spanish, Portuguese
    "No sé", "Se negó a responder", "No quiso responder", "Prefiere no contestar", "Faltante",
    "Dato faltante", "S/D", "No aplicable", "No especificada", "Desconocida", "Não sei",
    "Não aplicável", "Não especificado", "Sem dados", "Recusou-se a responder",
    "Prefere não dizer", "Não respondido", "Ignorada",
    # German
    "Entfällt", "entfaellt".replace("ae", "a"), "nicht angegeben", "ohne Angabe",
    "Antwort verweigert", "Ich weiß es nicht", "weiß nicht / kann ich nicht beurteilen",
    "Ungültige Angabe", "fehlende Werte", "nicht gefragt",
])
def test_missing_labels_across_languages(label):
    assert is_missing_label(label)


@pytest.mark.parametrize("label", [
    # an answer beside "not specified", a word that only starts a missing label
    "Other, not specified", "Other not specified", "Not specified elsewhere",
    "Autre, non précisé", "Autre non spécifié", "Otro, no especificado", "Valide", "Saut",
    "Négative", "Non", "Nesting", "Sans", "Logical", "Enchaînement", "Angabe", "Bekannt",
    "Als ungültiger Datensatz markiert", "Kann ich nicht sagen", "Non disponible",
    "Nicht", "No", "Não", "Recusado pelo banco",
])
def test_answers_that_only_look_missing(label):
    assert not is_missing_label(label)


def test_sentinels_with_loosely_missing_labels_in_other_languages():
    cats = [Category("1", "Oui"), Category("-1", "Non disponible"), Category("99", "No disponible"),
            Category("999", "Não disponível"), Category("-7", "nicht verfügbar"),
            Category("2", "Non disponible"), Category("3", "Nicht verfügbar")]
    valid, missing = split_missing(cats)
    assert [c.value for c in missing] == ["-1", "99", "999", "-7"]
    assert [c.value for c in valid] == ["1", "2", "3"]


def test_sentinels_with_loosely_missing_labels_move():
    cats = [Category("1", "Yes"), Category("-9.00", "No answer given"),
            Category("9999", "unknown value"), Category("NA", "not enumerated here"),
            Category("7777", "Refused"), Category(".", "anything"), Category(".R", "R"),
            Category("99", "99 or older"), Category("-8", "Lowest"),
            Category("NA", "North America"), Category("5", "not measured")]
    valid, missing = split_missing(cats)
    assert [c.value for c in missing] == ["-9.00", "9999", "NA", "7777", ".", ".R"]
    assert [c.value for c in valid] == ["1", "99", "-8", "NA", "5"]


@pytest.mark.parametrize("value, label, tidy", [
    ("9", "'(9) Don''t know'", "Don't know"),
    ("8", "(8) Refused", "Refused"),
    ("2", "[2] No", "No"),
    ("9", "9. Refused", "Refused"),
    ("-9", "-9: Missing", "Missing"),
    ("09", "(9) DK", "DK"),
    ("NA", "NA: not asked", "not asked"),
    ("1", "1 - Yes", "Yes"),
    ("1", "1) ¿Sí?", "¿Sí?"),
    # not the label's own code, or no separator, or a number after it: kept
    ("3", "(2) No", "(2) No"),
    ("10", "10 or more", "10 or more"),
    ("10", "10 - 14 years", "10 - 14 years"),
    ("1", "1.5 hours", "1.5 hours"),
    ("A", "A. Smith", "A. Smith"),
    ("1", "Yes", "Yes"),
])
def test_labels_without_their_own_code(value, label, tidy):
    assert tidy_label(value, label) == tidy


@pytest.mark.parametrize("a, b, same", [
    ("-9.00", "-9", True), ("09", "9", True), ("na", "NA", True), ("1", "10", False),
    ("A", "B", False),
])
def test_same_code(a, b, same):
    assert same_code(a, b) is same


@pytest.mark.parametrize("text, expected", [
    ("Number of children. -9 = No answer, -8 = Don't know",
     [("-9", "No answer"), ("-8", "Don't know")]),
    ("Age. -9 (No answer), -8 (Don't know)", [("-9", "No answer"), ("-8", "Don't know")]),
    ("Missing values: -9, -8", [("-9", None), ("-8", None)]),
    ("Weight (kg). Missing codes are 998 and 999.", [("998", None), ("999", None)]),
    ("fehlende Werte: -1 und -2.", [("-1", None), ("-2", None)]),
    ("Valores perdidos: 99; 98", [("99", None), ("98", None)]),
    ("Valeurs manquantes : 9", [("9", None)]),
    ("NA = not enumerated", [("NA", "not enumerated")]),
    (".R (Refused)", [(".R", "Refused")]),
    ("Ingreso mensual. 99 = No sabe / No responde", [("99", "No sabe / No responde")]),
    # a symbol in brackets, then what it means (the verb may be left out the second time)
    ("The dot (.) means a blank answer", [(".", "blank answer")]),
    ("O asterisco (*) indica dupla marcação e o ponto (.) resposta em branco.",
     [("*", "dupla marcação"), (".", "resposta em branco")]),
    ("El punto (.) significa respuesta en blanco", [(".", "respuesta en blanco")]),
    ("(*) = multiple marks", [("*", "multiple marks")]),
])
def test_missing_codes_stated_in_prose(text, expected):
    assert _pairs(stated_missing(text)) == expected


@pytest.mark.parametrize("text", [
    "Number of missing teeth: 3", "Will be missing if from_ccf = 1",
    "Record ID (missing if not consented)", "Score (0 = none)",
    "Missing data: see appendix 3", "Visits (2 = twice)", "NA = North America",
    "Use (*) to mark required items", "(.) means zero", "Required fields are marked (*)",
])
def test_prose_without_missing_codes(text):
    assert stated_missing(text) == []


# ---- through the machine-readable parsers ------------------------------------------------------
def _parse(tmp_path, name: str, data: bytes):
    from engine.parsers import parse_dictionary
    path = tmp_path / name
    path.write_bytes(data)
    return parse_dictionary(path).schema


def test_spss_french_value_labels_in_cp1252_give_their_missing_codes(tmp_path):
    text = ('VALUE LABELS\r\n/PAS1 PAS2\r\n  1   "Oui"\r\n  2   "Non"\r\n'
            '  6   "Enchaînement valide"\r\n  7   "Ne sait pas"\r\n  8   "Refus"\r\n'
            '  9   "Non déclaré"\r\n/PAGE\r\n  "01"   "Moins de 20 ans"\r\n'
            '  96   "Enchaînement valide"\r\n  99   "Non déclaré"\r\n.\r\n')
    schema = _parse(tmp_path, "valf.sps", text.encode("cp1252"))
    for name in ("PAS1", "PAS2"):
        f = schema.field(name)
        assert _pairs(f.categories) == [("1", "Oui"), ("2", "Non")]
        assert [c.value for c in f.missing_values] == ["6", "7", "8", "9"]
    assert [c.value for c in schema.field("PAGE").missing_values] == ["96", "99"]


def test_spss_string_codes_whose_labels_repeat_the_code(tmp_path):
    text = ('DATA LIST FILE=x /\n    BTHUS 00001 - 00001 (A)\n    AGEP 00002 - 00003\n.\n'
            'VALUE LABELS\n  /BTHUS\n    "L"   "L: Logical Skip"\n    "M"   "M: Missing"\n'
            '    "N"   "N: Non-U.S."\n    "Y"   "Y: U.S."\n  /AGEP\n    "23"   "23: Age 23"\n'
            '    "98"   "98: Logical skip"\n.\n')
    schema = _parse(tmp_path, "setup.sps", text.encode("ascii"))
    f = schema.field("BTHUS")
    assert [c.value for c in f.missing_values] == ["L", "M"]
    assert [c.value for c in f.categories] == ["N", "Y"]
    assert [c.value for c in schema.field("AGEP").missing_values] == ["98"]


def test_stata_not_specified_is_missing_but_other_not_specified_is_an_answer(tmp_path):
    text = ('lab def HA09_l 1 "Densely populated" 2 "Other, not specified" ///\n'
            '3 "Sparsely populated" 9 "Not specified"\n'
            'lab def HC23_l 1 "employed" 88 "not applicable (age)" 99 "not specified"\n'
            'lab val HA09 HA09_l\nlab val HC23 HC23_l\n')
    schema = _parse(tmp_path, "labels.do", text.encode("ascii"))
    f = schema.field("HA09")
    assert [c.value for c in f.missing_values] == ["9"]
    assert [c.value for c in f.categories] == ["1", "2", "3"]
    assert [c.value for c in schema.field("HC23").missing_values] == ["88", "99"]


def test_long_format_scale_ends_and_not_answered():
    """A SoSci Survey code list (scale ends labelled, `-9 nicht beantwortet`)."""
    cats = [Category("1", "trifft überhaupt nicht zu"), Category("5", "trifft voll und ganz zu"),
            Category("-9", "nicht beantwortet"), Category("-1", "weiß nicht")]
    valid, missing = split_missing(cats)
    assert [c.value for c in valid] == ["1", "5"]
    assert [c.value for c in missing] == ["-9", "-1"]


def test_missing_words_after_the_code_a_label_repeats_bare():
    # `-7 RF` (NHATS SAS formats), `88 - Não sabe` (CODEPLAN SPSS labels): the code, a space
    # or dash, then the label
    codes = [Category("-7", "-7 RF"), Category("-8", "-8 DK"), Category("1", " 1 YES"),
             Category("8", "8 - Not applicable"), Category("88", "88 - Não sabe"),
             Category("2", "2 - Don't know the procedure"), Category("1.5", "1.5 hours"),
             Category("3", "A - Refused to say why")]
    valid, missing = split_missing(codes)
    assert [c.value for c in missing] == ["-7", "-8", "8", "88"]
    # labels are kept as written
    assert missing[0].label == "-7 RF"
    assert [c.value for c in valid] == ["1", "2", "1.5", "3"]


def test_sentinel_codes_for_people_not_asked():
    # MiD 2002 (German travel survey) value labels: negative codes say who was not asked
    codes = [Category("-300", "Selbst kleiner gleich 13 Jahre werden nicht befragt"),
             Category("-150", "Im PAPI-Kinder-Fragebogen nicht erhoben"),
             Category("-2", "No se le preguntó (menor de 12 años)"),
             Category("1", "Jederzeit"),
             Category("3", "Personen ohne Fahrrad werden nicht befragt")]
    valid, missing = split_missing(codes)
    assert [c.value for c in missing] == ["-300", "-150", "-2"]
    # not a sentinel value: such a label alone does not make the code missing
    assert [c.value for c in valid] == ["1", "3"]
