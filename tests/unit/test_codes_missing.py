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
    "Sin dato - no registrado",
])
def test_missing_labels(label):
    assert is_missing_label(label)


@pytest.mark.parametrize("label", [
    "Not enumerated districts", "No", "Nothing", "Answered", "Knows", "Sans", "Universe",
    "Declared income", "Objet perdu trouvé", "Not sure", "Unsure", "No data available",
    "Invalid date format detected in", "No information on parent",
])
def test_valid_answers(label):
    assert not is_missing_label(label)


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
