"""Key-value blocks whose line holds several keys after tab gaps, and a table of values with
counts under a key (PDF text of a StatCan-style codebook, pdf-fr-statcan-tus2022-episode):
the table's codes, missing codes and range rows go to the block's variable, and its rows are
no keys of their own."""

from __future__ import annotations

from engine.parsers.text import fields_from_lines

_HEADER = "Catégories de réponse\tCode\tFréquence\tFréquence pondérée\t%"


def _block(name: str, position: int, concept: str, rows: list[str]) -> list[str]:
    return [f"Nom de la variable :\t{name}\tLongueur :\t4.0\tPosition : {position}",
            "Nom de la question :",
            f"Concept :\t{concept}",
            "Univers :\tTous les épisodes",
            "Nota :",
            "Source :\tEnquête, 2022.",
            _HEADER, *rows,
            "Total\t168 078\t424 462 604\t100,0"]


_MISSING = ["Enchaînement valide\t9996\t0\t0\t0", "Ne sait pas\t9997\t0\t0\t0",
            "Refus\t9998\t0\t0\t0", "Non déclaré\t9999\t87\t188 635\t0,0"]
_LINES = [
    "EDT 2022 - Dictionnaire de données",
    *_block("LOCATION", 20, "Localisation de la période", [
        "À la maison ou sur la propriété\t3300\t121 465\t299 589 102\t70,6",
        "À la maison de quelqu’un d’autre ou sur sa\t3303\t3 257\t7 682 006\t1,8",
        "propriété",
        "",
        _HEADER,  # the table goes on over a page break
        "Autre endroit\t3312\t2 198\t5 346 451\t1,3",
        *_MISSING]),
    *_block("DURATION", 50, "Durée d’un épisode (en minutes)", [
        "Minutes\t0005 - 1200\t168 078\t424 462 604\t100,0", *_MISSING]),
    *_block("TUI_06A", 38, "Contact social - Seul(e)", [
        "Oui\t1\t4 247\t17 354 873\t4,1", "Non\t2\t152 471\t378 570 928\t89,2",
        "Enchaînement valide\t6\t0\t0\t0", "Ne sait pas\t7\t0\t0\t0", "Refus\t8\t0\t0\t0",
        "Non déclaré\t9\t11 360\t28 536 802\t6,7"]),
]


def _fields():
    fields, _ = fields_from_lines(_LINES, lambda message: None)
    return {f.name: f for f in fields}


def test_each_block_is_one_variable_and_table_rows_are_no_keys():
    assert list(_fields()) == ["LOCATION", "DURATION", "TUI_06A"]


def test_code_table_under_a_key_gives_codes_wrapped_labels_and_missing_values():
    location = _fields()["LOCATION"]
    assert [(c.value, c.label) for c in location.categories] == [
        ("3300", "À la maison ou sur la propriété"),
        ("3303", "À la maison de quelqu’un d’autre ou sur sa propriété"),
        ("3312", "Autre endroit")]
    assert [c.value for c in location.missing_values] == ["9996", "9997", "9998", "9999"]
    assert "Localisation de la période" in location.description


def test_a_range_row_is_the_range_and_the_counts_are_no_codes():
    fields = _fields()
    duration = fields["DURATION"]
    assert (duration.constraints["minimum"], duration.constraints["maximum"]) == (5, 1200)
    assert duration.categories == []
    tui = fields["TUI_06A"]
    assert [c.value for c in tui.categories] == ["1", "2"]
    assert [c.value for c in tui.missing_values] == ["6", "7", "8", "9"]
