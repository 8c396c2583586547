"""Units, ranges and multilingual missing labels (engine.parsers.codes): strings of the wild
dictionaries (the case is named) and hand-written variants, with the prose that must not match.
"""

from __future__ import annotations

import pytest

from engine.parsers.codes import find_bounds, find_range, find_unit, is_missing_label, unit_in_name


# ---- units -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, unit", [
    # html-pkgdown-dl-penguins-raw
    ("a number denoting the length of the dorsal ridge of a bird's bill (millimeters)", "mm"),
    ("an integer denoting the penguin body mass (grams)", "g"),
    # rd-describe-nhefs
    ("weight gain in kilograms between 1971 and 1982", "kg"),
    ("height in centimeters in 1971", "cm"),
    ("number of years smoked", "years"),
    # md-namedash-list-rossmann
    ("distance in meters to the nearest competitor store", "m"),
    # prose-pdf-alberta-wildfire
    ("Location of the ignition area recorded as a GPS (recorded as decimal degrees (DD).",
     "decimal degrees"),
    # rst-list-tables-matminer-datasets
    ("Lowest unoccupied molecular obital energy level (in eV)", "eV"),
    ("the experimentally measured thermal conductivity in SI units of W/m.K", "W/m.K"),
    ("n-type thermoelectric power factor in uW/cm2.K where uW is microwatts", "uW/cm2.K"),
    ("Average eigenvalue with electron concentration of 10^-18 carriers/cm^-3 (n-type) at "
     "300K, in [W/K/m/s].", "W/K/m/s"),
    ("Average eigenvalue of the Seebeck coefficient, in microVolts/Kelvin.",
     "microVolts/Kelvin"),
    ("Temperature in Kelvin at which these properties were obtained", "K"),
    ("Lattice angle gamma, in degrees", "degrees"),
    ("Polarization at Fermi level in %", "%"),
    # docx-paragraphs-youth-preferences
    ("how much do you weigh in pounds", "lb"),
    ("How many hours do you sleep in a typical day? – actual hrs", "hours"),
    # docx-tables-hebrew-young-drivers: `in km`
    ('בק"מ', "km"),
    # txt-jse-okcupid-codebook
    ("(US $, -1 means rather not say) -1, 20000, 30000", "USD"),
    ("inches", "inches"),
    # redcap-codebook-pdf-takotsubo, stata-do-eusilc-gesis
    ("Weight (kilograms)", "kg"),
    ("Number of Minutes to complete the household questionnaire", "minutes"),
    ("Dosage (mg) - Based on weight: 0.5mg/kg", "mg"),
    ("speed in km/h", "km/h"),
    ("Average net price for $0-$30,000 family income (public institutions)", "USD"),
    ("Percent of high-income (above $75,000 in nominal family income) students", "%"),
    ("Do you receive a significant portion (>20%) of your income", None),
    ("edad en años cumplidos", "years"),
    ("Dauer in Minuten", "minutes"),
    ("tempo em dias", "days"),
])
def test_units_in_prose(text, unit):
    assert find_unit(text) == unit


@pytest.mark.parametrize("text", [
    "Gender (T/F)", "Group (A)", "Income (K)", "Results in A and B", "shown in bar charts",
    "Region (NE/SW)", "Type of dwelling", "Month Sold (MM)", "years since diagnosis",
    "Age category", "in 2008", "weight of evidence",
    # an amount the text mentions is no unit of the field
    "Completion rate for full-time students (150% of expected time to completion)",
    "Number of Title IV students, $0-$30,000 family income (public institutions)",
    "Share of students earning over $25,000/year (threshold earnings)",
    "Adjusted cohort count of students (denominator for the percentage receiving an award)",
])
def test_no_unit_in_prose(text):
    assert find_unit(text) is None


@pytest.mark.parametrize("name, unit", [
    ("T [K]", "K"), ("S.n [µV/K]", "µV/K"), ("κₑ.n [W/K/m/s]", "W/K/m/s"),
    ("kappa [W/mK]", "W/mK"), ("Age (years)", "years"), ("Height (cm)", "cm"),
    ("Income ($)", "USD"), ("Sex (M/F)", None), ("score (0-10)", None), ("id (ID)", None),
    ("Group [A]", None), ("age", None), ("flag (Y/N)", None),
])
def test_unit_in_a_name_bracket(name, unit):
    assert unit_in_name(name) == unit


# ---- ranges ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, bounds", [
    # docx-sectioned-tables-grave-d
    ("Observation year (1946–2020).", (1946, 2020)),
    ("Combined Polity score (−10 to +10). democ − autoc, with special codes converted.",
     (-10, 10)),
    ("Polity democracy score (0–10).", (0, 10)),
    ("Continuous (0–100)", (0, 100)),
    # docx-tables-hebrew-young-drivers: a description that is only a range
    ("17-24", (17, 24)),
    ("1 – 7", (1, 7)),
    # md-multiname-rows-valencia-es and other languages
    ("Componentes normalizados entre 0 y 1.", (0, 1)),
    ("valor entre 0 e 1", (0, 1)),
    ("Wert zwischen 1 und 5", (1, 5)),
    ("note comprise entre 0 et 20", (0, 20)),
    # survey-codebook-pdf-candour: the stated scale, not the statistics after it
    ("Ideological self-placement on an 11-point scale from 0 (Left) to 10 (Right). Note, this "
     "was not asked in China. ideology Obs. 214960 Mean 5.2 Std.Dev. 2.6 Min. 0 Max. 10", (0, 10)),
    ("0-100 scale, asking respondent's how much they agree", (0, 100)),
    # spss-nlsy79-investigator
    ("ID# (1-12686) 79", (1, 12686)),
    ("RNTP 1..99999", (1, 99999)),
    ("Min: 0, Max: 100", (0, 100)),
    ("Age of the respondent, in years (Min: 18 Max: 99)", (18, 99)),
    ("range 1,000-5,000", (1000, 5000)),
])
def test_ranges(text, bounds):
    assert find_range(text) == bounds


@pytest.mark.parametrize("text", [
    # gov-table-pdf-cms-inpatient: a top-coding note, not the range
    "the percent of beneficiaries between 75% and 100% have been top-coded at 75%.",
    # observed statistics
    "ideology Obs. 214960 Mean 5.2 Std.Dev. 2.6 Min. 0 Max. 10 Missing 50592",
    "the observed values range from 2 to 98",
    "Mean 3.1, SD 1.2, in the sample between 1 and 7",
    # years and dates
    "weight gain in kilograms between 1971 and 1982", "survey years 1972-2014", "(1972-2014)",
    "03-2020", "2020-03-01", "in 2008-2010",
    "(10-1)", "phase 1-2 rollout",
])
def test_no_range(text):
    assert find_range(text) is None


@pytest.mark.parametrize("text, bounds", [
    # rst-list-tables-matminer-datasets
    ("measure of directional dependence of the materials elasticity, metric is always >= 0",
     (0, None)),
    ("must be <= 100", (None, 100)),
    ("a non-negative count", (0, None)),
    # college scorecard: a condition on something else, not the field's range
    ("Number of applications is greater than or equal to 2", None),
    ("0 <= ... < 200 DM", None),
])
def test_one_sided_bounds(text, bounds):
    assert find_bounds(text) == bounds


# ---- missing labels in several languages -----------------------------------------------------
@pytest.mark.parametrize("label", [
    "NIU (Not in universe)", "Not in universe", "N/A (GQ/Vacant)", "inadequate information",
    "missing information", "Unknown / Not Reported", "Not reported", "Not applicable",
    "Valid skip", "Not stated", "rather not say", "Blank", "Unknown (not stated)",
    "No sabe", "No responde", "NS/NC", "No aplica", "Sin dato", "Desconocido", "Ignorado",
    "Não sabe", "Não se aplica", "Sem informação", "Em branco", "Não informado",
    "Ne sait pas", "NSP", "Sans objet", "Non réponse", "Valeur manquante", "Inconnu",
    "Weiß nicht", "weiss nicht", "Keine Angabe", "k. A.", "Trifft nicht zu", "Fehlend",
    "Unbekannt", "Non so", "Mancante", "Weet niet", "Onbekend",
    "לא ידוע", "לא רלוונטי", "Не знаю", "不知道", "不明",
    # ASCII spellings: each must pass the quick word gate before the full test
    "dk/ref", "ns/nr", "sin informacion", "sin respuesta", "no corresponde", "no especificado",
    "no contesta", "valor perdido", "recusou", "nao sabe", "nao se aplica", "sem informacao",
    "non applicable", "non concerne", "non renseigne", "refus", "non-reponse", "keine antwort",
    "nicht zutreffend", "fehlender wert", "verweigert", "non risponde", "non applicabile",
    "sconosciuto", "geen antwoord", "niet van toepassing", "ontbrekend", "declined to answer",
    "insufficient information", "no information", "Not stated or inferred", "DK/NA",
])
def test_missing_labels_in_several_languages(label):
    assert is_missing_label(label)


@pytest.mark.parametrize("label", [
    "Branco(a).",                       # xlsx-inep-enem-1999-pt: a colour, not `em branco`
    "Entregou a redação em branco",     # a valid answer that mentions a blank essay
    "Declined", "Unavailable", "Not working", "No formal qualification", "Implied no",
    "not filled: variable of gross series is filled", "Item was asked, but only in aggregate",
    "Ka", "ka", "Sans", "אין נזק", "unknown/ no savings account", "Other", "None",
])
def test_labels_that_are_valid_answers(label):
    assert not is_missing_label(label)
