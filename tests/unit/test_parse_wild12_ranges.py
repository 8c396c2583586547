"""`va del 1 al 4047`: a Spanish range written with `del ... al` (Fundar's code book, set 12
case pdf-es-fundar-libro-codigos-software)."""

from __future__ import annotations

from engine.parsers.codes.ranges import find_range


def test_del_al_range():
    assert find_range("Identificador único de perfiles que va del 1 al 4047.") == (1.0, 4047.0)
