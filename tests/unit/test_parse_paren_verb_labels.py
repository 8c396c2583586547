"""Prose codes: binary codes whose labels open on a verb or hold a prepositional phrase
(data.gov.my COVID-19 deaths catalogue, set 12 case json-en-ms-datagovmy-covid-deaths), and
cued values glossed in brackets."""

from __future__ import annotations

from engine.parsers.codes.paren import paren_codes


def _pairs(text):
    return [(c.value, c.label) for c in paren_codes(text)]


def test_second_label_may_open_on_its_verb():
    text = ("Binary variable indicating whether the deceased had comorbidities (1) "
            "or was otherwise healthy (0).")
    assert _pairs(text) == [("1", "comorbidities"), ("0", "was otherwise healthy")]


def test_article_after_a_preposition_stays_in_the_label():
    text = ("Binary variable indicating whether the deceased died in a hospital (0), "
            "or was brought in dead (1).")
    assert _pairs(text) == [("0", "died in a hospital"), ("1", "was brought in dead")]
    # lead words still cut the first label
    assert _pairs("Whether the amendment is important (=1) or minor (=0)") == [
        ("1", "important"), ("0", "minor")]


def test_cued_values_with_their_meaning_in_brackets():
    # Paraguay MOPC works dictionary (set 12 case xlsx-es-py-mopc-obras-titled)
    from engine.parsers.codes.prose import prose_codes
    text = ("Indica la forma en la que se ubica la obra. Hay dos valores posibles: "
            "Point (punto) o LineString (cadena lineal)")
    assert [(c.value, c.label) for c in prose_codes(text)] == [
        ("Point", "punto"), ("LineString", "cadena lineal")]


def test_second_code_whose_verb_the_sentence_leaves_out():
    # Fundar's code book (set 12 case pdf-es-fundar-libro-codigos-software)
    from engine.parsers.codes.prose import prose_codes
    text = ("Variable binaria donde 0 indica roles no núcleo (de decisión y apoyo) y 1 roles "
            "núcleo. Los roles núcleo son aquellos grupos ocupacionales técnicos.")
    assert [(c.value, c.label) for c in prose_codes(text)] == [
        ("0", "roles no núcleo (de decisión y apoyo)"), ("1", "roles núcleo")]
    assert prose_codes("1 indicates the first visit and 2 weeks later.") == []


def test_codes_led_by_con_then_whom_or_when():
    # IDB harmonisation manual (set 12 case pdf-es-bid-scl-armonizacion-manual) and Fundar
    from engine.parsers.codes.prose import prose_codes
    text = ("Variable dicotómica que indica con valor 1 al jefe de hogar declarado y 0 al resto "
            "de individuos.")
    assert [(c.value, c.label) for c in prose_codes(text)] == [
        ("1", "jefe de hogar declarado"), ("0", "resto de individuos")]
    text = ("Esta variable binaria indica con un 1 si en la sección de Idiomas el perfil "
            "registró Inglés dentro de sus competencias y con un 0 si no reportó el manejo de "
            "este idioma.")
    assert [c.value for c in prose_codes(text)] == ["1", "0"]
    assert prose_codes("Años disponibles del 1 al 4047 y con 2 al menos") == []


def test_codes_with_capitalised_labels_after_the_last_sentence():
    # IDB harmonisation manual: zona_c
    from engine.parsers.codes.prose import prose_codes
    text = ("Para identificar la zona se tiene en cuenta la zona que se registra en la "
            "encuesta. 1 Urbana 0 Rural")
    assert [(c.value, c.label) for c in prose_codes(text)] == [("1", "Urbana"), ("0", "Rural")]
    assert prose_codes("See table 3 Results and 4 Discussion.") == []
