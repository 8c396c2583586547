"""Units a field's text states (engine.parsers.codes.measures): the unit written after `in` or
alone in brackets wins over one the text only mentions, the first written wins, and a rate or
an abbreviation keeps its written form.  Hand-written strings in several languages, with the
prose that names no unit."""

from __future__ import annotations

import pytest

from engine.parsers.codes import find_unit
from engine.parsers.codes.measures import (is_no_unit, is_unit_name, says_no_unit,
                                           strftime_format)


@pytest.mark.parametrize("text, unit", [
    # the stated unit, not a unit named in a conversion note
    ("Height, in inches (1 inch = 2.54 centimeters)", "inches"),
    ("Standing height measured in inches; centimetres were converted before entry", "inches"),
    ("Weight in pounds; converted from kilograms at entry", "lb"),
    ("Body weight (lb). The scale reads kg.", "lb"),
    ("Waist circumference (cm) measured over clothing, converted from inches", "cm"),
    ("Poids en kilogrammes (converti depuis lb)", "kg"),
    # abbreviations alone in brackets, as written
    ("Height (in)", "in"),
    ("Weight (lbs)", "lbs"),
    ("Length of the fish (ft)", "ft"),
    ("Dose given (IU)", "IU"),
    ("Time to discharge (d)", "days"),
    ("Age at onset (y)", "years"),
    # rates and compound units, as written
    ("Heart rate (beats/min)", "beats/min"),
    ("CD4 count (cells/µL)", "cells/µL"),
    ("Potassium (mEq/L)", "mEq/L"),
    ("Viral load (copies/mL)", "copies/mL"),
    ("Fasting glucose (mg/dL)", "mg/dL"),
    ("Medication dose (mg/kg/day)", "mg/kg/day"),
    ("Malaria incidence (cases per 10 reporting facilities)", "cases per 10 reporting facilities"),
    ("Mortality (deaths per 100,000 population)", "deaths per 100,000 population"),
    ("Respiratory rate (breaths per minute)", "breaths per minute"),
    ("Oxygen, micromole per kilogram (umol/kg)", "umol/kg"),
    ("Body mass index (kg/m^2)", "kg/m²"),
    ("Systolic blood pressure (mm Hg)", "mm Hg"),
    # time words after `in`, also abbreviated
    ("Length of stay in days", "days"),
    ("Duration in Min", "minutes"),
    ("Time on task, in secs", "seconds"),
    ("Education (in years)", "years"),
    ("Dauer der Behandlung in Tagen", "days"),
    ("Durée en heures", "hours"),
    # one SI letter after `in` closing the clause; currencies; counts per unit
    ("Depth in m", "m"),
    ("Volume in L.", "L"),
    ("Temperature in K at noon", "K"),
    ("ALT (U/L)", "U/L"),
    ("Income (£)", "GBP"),
    ("Renda mensal em reais", "R$"),
    ("Angle (°)", "degrees"),
    ("Ozone (ppm)", "ppm"),
    # units introduced by a heading word
    ("Units: kg", "kg"),
    ("Einheit: cm", "cm"),
    # a unit only mentioned, when none is stated
    ("Total square feet of basement area", "square feet"),
    ("Percent of adults vaccinated", "%"),
])
def test_stated_units(text, unit):
    assert find_unit(text) == unit


@pytest.mark.parametrize("text", [
    "Tested in mice", "Data in A", "Name of employer(s)", "Cigarettes smoked (per protocol)",
    "Yes or no (and/or)", "Any pain in the last 7 days (Y/N)", "Date (YYYY-MM-DD)",
    "Date of visit, %Y-%m-%d", "in the past 12 months", "Option (a)", "Mentioned in 3 sections",
    "Income in thousands", "Visits in a day", "Answer (yes/no)", "Smoker (s/he smokes)",
    "Ratio of two lengths, unitless", "Dimensionless index (kg/kg)", "sin unidades",
    "Income (K)", "Answer (U)", "Results in A and B", "Grade in A or B",
])
def test_no_unit(text):
    assert find_unit(text) is None


def test_a_unit_stated_later_needs_its_cue():
    assert find_unit("Waist. The tape reads in inches too", stated_only=True) == "inches"
    assert find_unit("About 5% were imputed", stated_only=True) is None


@pytest.mark.parametrize("text, says", [
    ("unitless", True), ("A dimensionless ratio", True), ("no units", True),
    ("Sin unidad", True), ("ohne Einheit", True), ("sans unité", True),
    ("units sold", False), ("unit price in dollars", False), ("", False), (None, False),
])
def test_says_no_unit(text, says):
    assert says_no_unit(text) is says


@pytest.mark.parametrize("unit, none", [
    ("unitless", True), ("None", True), ("n/a", True), ("-", True), ("dimensionless", True),
    ("kg", False), ("1", False), ("%", False),
])
def test_units_that_are_none(unit, none):
    assert is_no_unit(unit) is none


@pytest.mark.parametrize("text, fmt", [
    ("Sample date as %Y-%m-%d", "%Y-%m-%d"),
    ("Timestamp (%d/%m/%Y %H:%M)", "%d/%m/%Y %H:%M"),
    ("Share of students, %", None),
    ("50% of the sample", None),
])
def test_strftime_patterns_are_formats(text, fmt):
    assert strftime_format(text) == fmt


@pytest.mark.parametrize("text, unit", [
    ("kg", True), ("years", True), ("mm Hg", True), ("%", True), ("cm", True),
    ("hr", False), ("s", False), ("in", False), ("hjres", False), ("M", False),
])
def test_plain_unit_names(text, unit):
    assert is_unit_name(text) is unit


@pytest.mark.parametrize("text, unit", [
    # xlsx-fr-two-name-columns-desimmunisation: `en centimètres` with its accent
    ("Taille en centimètres", "cm"),
    ("Longueur en millimètres", "mm"),
    ("Distance en kilomètres", "km"),
    ("Größe in Zentimetern", "cm"),
    ("Gewicht in Kilogramm", "kg"),
    ("Gewicht in Gramm", "g"),
    ("Volumen in Litern", "L"),
    ("Distância em quilômetros", "km"),
    ("Peso em quilos", "kg"),
    ("Distancia en millas", "miles"),
    ("Altura en pulgadas", "inches"),
    ("Température en degrés Celsius", "°C"),
    ("Temperatur in Grad Celsius", "°C"),
])
def test_unit_words_in_french_german_spanish_portuguese(text, unit):
    assert find_unit(text) == unit


@pytest.mark.parametrize("text, unit", [
    ("Superficie possédée par le ménage (en hectares)", "hectares"),
    ("Superficie cultivada en hectáreas", "hectáreas"),
    ("Fläche in Hektar", "Hektar"),
    ("Area planted (acres)", "acres"),
    ("Farms larger than 5 hectares", None),      # an amount in prose, not the unit
    ("Hectare identifier of the plot", None),
])
def test_areas_in_words_in_brackets_or_after_in(text, unit):
    assert find_unit(text) == unit
