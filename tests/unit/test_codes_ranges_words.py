"""Ranges stated in words or numbers (engine.parsers.codes.ranges, bounds, numwords): number
words in five languages, ends stated as sentences, ranges closing a clause, one-sided rules;
never observed statistics, conditions on something else, or lists of values."""

from __future__ import annotations

import pytest

from engine.parsers.codes import find_bounds, find_range
from engine.parsers.codes.numwords import words_to_digits


@pytest.mark.parametrize("text, digits", [
    ("zero was the minimum and thirty-one was the maximum", "0 was the minimum and 31 was the maximum"),
    ("from one to ten", "from 1 to 10"),
    ("Thirty One", "31"),
    ("one hundred", "100"),
    ("cero era el mínimo y treinta y uno el máximo", "0 era el mínimo y 31 el máximo"),
    ("veintidós", "22"),
    ("de zero a trinta e um", "de 0 a 31"),
    ("dezasseis ou dezesseis", "16 ou 16"),
    ("entre zéro et quatre-vingt-dix-neuf", "entre 0 et 99"),
    ("vingt et un, soixante-quinze, soixante et onze", "21, 75, 71"),
    ("von null bis einunddreißig", "von 0 bis 31"),
    ("zwölf oder hundert", "12 oder 100"),
    # articles that also mean one stay words; parts of longer words stay words
    ("un score de un a diez", "un score de un a 10"),
    ("ein Wert", "ein Wert"),
    ("someone at the sixteenth", "someone at the sixteenth"),
    ("a twenty-year-old", "a twenty-year-old"),
])
def test_number_words(text, digits):
    assert words_to_digits(text) == digits


@pytest.mark.parametrize("text, bounds", [
    ("Total score; scores range from 0 to 100", (0, 100)),
    ("Number of vertical layers 0 to 10", (0, 10)),
    ("Height 93 through 113", (93, 113)),
    ("48 to 81", (48, 81)),
    ("Age in years 18 to 90 years", (18, 90)),
    ("Wert von 1,4 bis 2,9", (1.4, 2.9)),
    ("Puntaje de 0 a 10", (0, 10)),
    ("Edad de 18 a 65 años", (18, 65)),
    ("Nota de 0 até 10", (0, 10)),
    ("Note entre 1 et 5", (1, 5)),
    ("Skala 1 bis 5 Punkte.", (1, 5)),
    ("from one to ten", (1, 10)),
    ("Wert zwischen null und hundert", (0, 100)),
    ("Values in [0,1]", (0, 1)),
    # range words in other languages
    ("Rango: 0 - 100", (0, 100)),
    ("Faixa: 18 a 99", (18, 99)),
    ("Plage : 0 à 100", (0, 100)),
    ("Wertebereich: 0-100", (0, 100)),
    # both ends labelled
    ("Pain from 0 = no pain to 10 = worst pain", (0, 10)),
    ("(0 = none to 10 = worst)", (0, 10)),
    ("0 (none) - 10 (worst)", (0, 10)),
    ("1 = nada a 5 = mucho", (1, 5)),
])
def test_ranges(text, bounds):
    assert find_range(text) == bounds


@pytest.mark.parametrize("text", [
    "Quality rating (1,2,3)",             # a list of values, not the interval 1.2 to 3
    "Values are (1, 2, 3)",
    "Age, observed range 18 to 90",
    "Questions 3 to 5 were skipped",
    "visits in the 3 to 6 months after discharge",
    "Number of times 1 to 2 weeks ago",
    "de 2010 a 2015",
    "Min. in sample: 3, Max. in sample: 9",
    "Summary: 0 to 12",
    "1 (Male) - 2 (Female)",             # two codes, not the ends of a scale
    "1 = Male - 2 = Female",
])
def test_no_range(text):
    assert find_range(text) is None


@pytest.mark.parametrize("text, bounds", [
    ("Days. zero was the minimum input possible and thirty-one was the maximum", (0, 31)),
    ("Días. cero era el mínimo y treinta y uno el máximo", (0, 31)),
    ("o mínimo é zero e o máximo é dez", (0, 10)),
    ("Maximum score possible is 100", (None, 100)),
    ("le maximum est vingt", (None, 20)),
    ("The minimum value is 1", (1, None)),
    ("Concentration ≥ 0", (0, None)),
    ("Dose (>= 0)", (0, None)),
    ("Percentage <= 100", (None, 100)),
    ("Amount; must be positive", (0, None)),
    ("Values are always positive", (0, None)),
    ("Count, non-negative", (0, None)),
    ("valor no negativo", (0, None)),
    ("Anzahl, nicht negativ", (0, None)),
    ("debe ser positivo", (0, None)),
])
def test_bounds(text, bounds):
    assert find_bounds(text) == bounds


@pytest.mark.parametrize("text", [
    "Patients with BMI ≥ 30",             # a condition on something else
    "Number of visits ≥ 2",
    "the observed maximum is 98",
    "In 2010 the maximum was raised",
    "Minimum wage in 2010 was 7",
    "31 the maximum",                     # a bare number before the word needs a verb ...
    "positive test result",
    "HIV positive",
    "Maximum temperature of the day",
    "highest degree earned",
])
def test_no_bounds(text):
    assert find_bounds(text) is None


def test_a_bare_number_before_the_word_counts_beside_the_other_end():
    # ... unless the other end is stated too (`cero era el mínimo y treinta y uno el máximo`)
    assert find_bounds("1 was the minimum, 31 the maximum") == (1, 31)


@pytest.mark.parametrize("text, bounds", [
    # the ages of the people asked, not the field's values
    ("Age participant first tried marijuana. Reported for participants aged 18 to 59 years.",
     None),
    ("Asked of women aged between 15 and 49.", None),
    ("Number of births. Respondents ages 15-49 only.", None),
    ("Question posée aux personnes âgées de 16 à 74 ans.", None),
    # a range of the field's own values beside such a clause stays
    ("Hours worked (0-99). Asked of persons aged 15 to 64.", (0, 99)),
    ("Age in years (18-90)", (18, 90)),
    ("Age of the child, from 0 to 17", (0, 17)),
])
def test_the_ages_a_question_was_put_to_are_no_range(text, bounds):
    assert find_range(text) == bounds
