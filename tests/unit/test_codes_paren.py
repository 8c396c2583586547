"""Code lists written in descriptions in more shapes (engine.parsers.codes.find_codes): codes or
labels in brackets, quoted or back-ticked values, dashed and elided lists, values announced by
the text; and the prose that looks like them but lists no codes."""

from __future__ import annotations

import pytest

from engine.parsers.codes import find_codes


def _codes(text):
    return [(c.value, c.label) for c in find_codes(text).codes]


@pytest.mark.parametrize("text, expected", [
    # a quoted code, its label in brackets
    ('Area of capture: "DI" (Discovery Islands), "JS" (Johnstone Strait), "QCS" (Queen '
     'Charlotte Strait)', [("DI", "Discovery Islands"), ("JS", "Johnstone Strait"),
                           ("QCS", "Queen Charlotte Strait")]),
    ("Zona: 'N' (norte), 'S' (sur) o 'C' (centro)", [("N", "norte"), ("S", "sur"),
                                                    ("C", "centro")]),
    ("Response: 1 (Yes), 2 (No), 9 (Refused)", [("1", "Yes"), ("2", "No"), ("9", "Refused")]),
    # a quoted code is the code, not the label of the word in brackets (also in a code span)
    ('Sexe : "H" (homme) ou "F" (femme)', [("H", "homme"), ("F", "femme")]),
    ('Geschlecht: `"m"` (männlich) oder `"w"` (weiblich). Aus den Rohdaten.',
     [("m", "männlich"), ("w", "weiblich")]),
    # a label, its code in brackets
    ("Type of bill: house bill (hr), senate bill (s), house joint resolution (hjres)",
     [("hr", "house bill"), ("s", "senate bill"), ("hjres", "house joint resolution")]),
    ("Sex of the bird, male (m) or female (f).", [("m", "male"), ("f", "female")]),
    ("Chambre : Assemblée (A) ou Sénat (S)", [("A", "Assemblée"), ("S", "Sénat")]),
    ("Whether the amendment is important (=1) or minor (=0)", [("1", "important"),
                                                               ("0", "minor")]),
    ("Dummy for majority party (=1, 0 otherwise)", [("1", "majority party"),
                                                    ("0", "otherwise")]),
    ("Treated (1 = yes, 0 otherwise)", [("1", "yes"), ("0", "otherwise")]),
    # quoted and back-ticked values: each value is its own label
    ('Fouling level recorded as "none", "light", "moderate", "heavy".',
     [("none", None), ("light", None), ("moderate", None), ("heavy", None)]),
    ("Gender of the patient, `Male` or `Female`", [("Male", None), ("Female", None)]),
    ("Sex: `male`, `female`", [("male", None), ("female", None)]),
    ("Status: 'active', 'inactive', 'pending'", [("active", None), ("inactive", None),
                                                 ("pending", None)]),
    ("Whether it was a “regular” or “special” election", [("regular", None),
                                                          ("special", None)]),
    # an unbalanced closing quote on the last label
    ('Life stage: "A" = adult, "J" = juvenile"', [("A", "adult"), ("J", "juvenile")]),
    ('Sea state, "0" = sea-surface smooth, "1" = ripples', [("0", "sea-surface smooth"),
                                                          ("1", "ripples")]),
    # dashed lists and `means` lists with an elision
    ("Target variable (1 - client with payment difficulties, 0 - all other cases)",
     [("1", "client with payment difficulties"), ("0", "all other cases")]),
    ("Etapa: 1 – temprana; 2 – tardía; 3 – desconocida",
     [("1", "temprana"), ("2", "tardía"), ("3", "desconocida")]),
    ("Status [C means closed, X means status unknown, 0 means no DPD, 2 means DPD 31-60, … "
     "5 means DPD 120+ or sold ]", [("C", "closed"), ("X", "status unknown"), ("0", "no DPD"),
                                    ("2", "DPD 31-60"), ("5", "DPD 120+ or sold")]),
    ("Whether the client defaulted (1=YES, 0=NO)", [("1", "YES"), ("0", "NO")]),
    ("Chamber (0 = House, 1 = Senate)", [("0", "House"), ("1", "Senate")]),
    # values without labels, where the text says they are the values
    ("Values are (1,2,3)", [("1", None), ("2", None), ("3", None)]),
    ("Possible values [a, b, c]", [("a", None), ("b", None), ("c", None)]),
    ("Values are 1, 2 or 3.", [("1", None), ("2", None), ("3", None)]),
    ("Valores posibles: alto, medio, bajo", [("alto", None), ("medio", None), ("bajo", None)]),
    # `indicating` between a code and its label
    ("1 indicating yes, 0 indicating no", [("1", "yes"), ("0", "no")]),
    # one-line enumerations that close the text
    ("(1) Yes (2) No (3) Don't know", [("1", "Yes"), ("2", "No"), ("3", "Don't know")]),
    ("Q5: 1) Yes 2) No 9) Refused", [("1", "Yes"), ("2", "No"), ("9", "Refused")]),
    ("1. Sim 2. Não", [("1", "Sim"), ("2", "Não")]),
    ("Réponses : a) Oui b) Non", [("a", "Oui"), ("b", "Non")]),
    ("How often? 1 Never 2 Sometimes 3 Often", [("1", "Never"), ("2", "Sometimes"),
                                                ("3", "Often")]),
    ("1 Yes 2 No 9 Don't know", [("1", "Yes"), ("2", "No"), ("9", "Don't know")]),
    # other separators
    ("Yes (1) / No (2)", [("1", "Yes"), ("2", "No")]),
    ("1 (Male) - 2 (Female)", [("1", "Male"), ("2", "Female")]),
    ("1 = Male - 2 = Female", [("1", "Male"), ("2", "Female")]),
    ("0=no, 1=yes, .=missing", [("0", "no"), ("1", "yes"), (".", "missing")]),
])
def test_code_lists(text, expected):
    assert _codes(text) == expected


@pytest.mark.parametrize("text", [
    "Quality rating (1,2,3)",                          # no word says these are the values
    "Funded by the World Health Organization (WHO) and the United Nations (UN)",
    "Age (years) or weight (kg)",
    "Body mass index (kg/m2), weight (kg) and height (cm)",
    "Measured at visit 3 (baseline) and 6 (follow-up)",
    "Income (1) and expenses (2)",
    "Name of employer(s) or school(s)",
    'Also known as "BMI" or "Quetelet index"',
    'Weather, e.g. "sunny", "rainy", "cloudy"',
    "The patient's and doctor's notes",
    'Type "exit" to quit',
    'The word "alpha" and the word "beta"',
    "If empty it must be 'NULL' or 'n/a'",            # markers of a missing value
    "Updated 2019 - new method, 2020 - revised",
    "Ages 18 - 65, 66 - 99",
    "Version 2 - updated, see notes",
    "Values are in thousands, rounded",
    "values are missing, imputed",
    "Values in (0, 1]",
    "Codes (see appendix)",
    # numbers inside sentences start no enumeration
    "Visit 1 was done in 2 weeks and 3 days",
    "Took 3 doses 2 times a day 1 week",
    "Chapter 1. Introduction 2. Methods",
    "Stage 1) mild 2) severe",
    "Note: 1 Patient 2 Doctors 3 Nurses were present",
    "Score 1 Low 2 Medium 3 High",
    "Answer: 3 Yes 2 No 1 Maybe",                      # bare numbers must increase
])
def test_prose_without_codes(text):
    assert _codes(text) == []


def test_two_numbers_in_square_brackets_are_an_interval():
    assert _codes("Values are [0, 1]") == [] and _codes("Values in [0,1]") == []
    assert _codes("Values are [0, 1, 2]") == [("0", None), ("1", None), ("2", None)]
