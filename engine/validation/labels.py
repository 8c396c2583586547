"""Value labels that name a few values of a quantity (`95 = 95 or older`, `0 = None`, CSPro's
`0:94` with `95 = 95+`) rather than list the values a field may take: the Check and every export
then apply no code list, and a labelled code that continues a stated range extends it."""

from __future__ import annotations

import re

from ..model import Category, Field
from ..values.conform import bound_number

BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")

# a label that bounds a quantity: `95 or older`, `Eight or more`, `Less than 1 year`, `95+`
_BOUND = re.compile(
    r"\b(?:or|and|o|y|ou|et|e|oder|und)\s+(?:more|older|over|above|higher|greater|longer|"
    r"later|earlier|less|fewer|younger|under|below|lower|shorter|más|mas|menos|mayor|menor|"
    r"plus|moins|mais|mehr|weniger|älter|aelter|jünger)\b"
    r"|\b(?:less|fewer|more|greater)\s+than\b|\b(?:at\s+(?:least|most)|up\s+to)\b"
    r"|\b(?:menos|más|mas|moins|plus|mais)\s+(?:de|que|d')|\b(?:weniger|mehr)\s+als\b"
    r"|\b(?:au\s+moins|pelo\s+menos|al\s+menos|mindestens|höchstens|bis\s+zu)\b"
    r"|\d\s*\+|[<>≤≥]", re.IGNORECASE)
# a label that names the zero of a count: `0 = None`, `0 = Nunca`
_ZERO = re.compile(r"^\s*(?:none|zero|never|nenhum|nenhuma|nunca|ninguno|ninguna|nada|aucun|"
                   r"aucune|jamais|keine?|nie|niemals|nessuno|mai)\s*$", re.IGNORECASE)
_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty", "cero uno dos tres cuatro cinco "
          "seis siete ocho nueve diez", "zéro un deux trois quatre cinq six sept huit neuf dix",
          "zero um dois três quatro cinco seis sete oito nove dez",
          "null eins zwei drei vier fünf sechs sieben acht neun zehn")
_NUMBER_WORDS = {w: float(i) for words in _WORDS for i, w in enumerate(words.split())}
_FIGURES = re.compile(r"\d[\d,]*(?:\.\d+)?|[^\W\d_]+")


def labels_only(field: Field) -> bool:
    """Whether a numeric field's categories label a few values of a quantity rather than list
    the values it may take: one or two codes beside a stated range (outside it or on its ends:
    `0:94` and `95 = 95+`), or labels that each bound the quantity at their own value or name
    its zero (`95 = 95 or older`, `8 = Eight or more`, `0 = None`) on codes that are one or
    leave most whole numbers between them unlabelled.  Missing codes aside; class labels
    (`11 = City: Large (population of 250,000 or more)`, `1 = Less than $20,000`) stay a list."""
    if field.type not in ("integer", "number"):
        return False
    cats, values = _answers(field)
    if not cats or values is None:
        return False
    if _beside_range(field, values):
        return True
    if not all(_bounds_its_value(c, v) for c, v in zip(cats, values)):
        return False
    lo, hi = min(values), max(values)
    if len(values) == 1:
        return True
    return lo.is_integer() and hi.is_integer() and len(values) * 2 < hi - lo + 1


def _beside_range(field: Field, values: list[float]) -> bool:
    """One or two codes outside a stated range of whole numbers or on its ends, labelling
    under half of its values."""
    c = field.constraints
    lo, hi = (bound_number(c.get(k), field.type) for k in ("minimum", "maximum"))
    if lo is None or hi is None or not (lo.is_integer() and hi.is_integer()):
        return False
    return (len(values) <= 2 and len(values) * 2 < hi - lo + 1
            and all(v <= lo or v >= hi for v in values))


def _bounds_its_value(c: Category, value: float) -> bool:
    """`95 or older`, `Eight or more`, `9+ members` on its own code; `None` on code 0."""
    label = c.label or ""
    if value == 0 and _ZERO.match(label):
        return True
    if not _BOUND.search(label):
        return False
    for token in _FIGURES.findall(label):
        number = _NUMBER_WORDS.get(token.lower())
        if number is None and token[0].isdigit():
            number = float(token.replace(",", ""))
        if number == value:
            return True
    return False


def checked_bounds(field: Field) -> dict:
    """The field's bounds as the check applies them: where its categories are labels
    (`labels_only`), a stated range of whole numbers widened by the labelled codes that continue
    it (`0:94` with `95 = 95+` is 0 to 95, as CSPro means it)."""
    c = field.constraints
    out = {k: c[k] for k in BOUNDS if c.get(k) is not None}
    if "minimum" not in out and "maximum" not in out or not labels_only(field):
        return out
    codes = set(_answers(field)[1])
    for key, step in (("minimum", -1), ("maximum", 1)):
        edge = bound_number(out.get(key), field.type)
        if edge is None or not edge.is_integer():
            continue
        widened = edge
        while widened + step in codes:
            widened += step
        if widened != edge:
            out[key] = int(widened)
    return out


def _answers(field: Field) -> tuple[list[Category], list[float] | None]:
    """The categories that are no missing codes, and their values as numbers (None when one
    is no number)."""
    missing = {m.value for m in field.missing_values}
    cats = [c for c in field.categories if c.value not in missing]
    try:
        return cats, [float(c.value) for c in cats]
    except ValueError:
        return cats, None
