"""The marks Word draws before list paragraphs (`1. `, `a) `, `- `), which a paragraph's text
does not hold: numbered items counted per list and level from the numbering definitions
(numbering.xml, or the paragraph style's numbering, as `List Number` has), bullets as `- `."""

from __future__ import annotations

import re

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ListMarks:
    """List marks of the paragraphs of one document, counted in reading order."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counts: dict[str, dict[int, int]] = {}
        self.styled = _styled_numbering(document)  # style id -> its numPr (`List Number`)
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): _levels(a)
                    for a in numbering.iterchildren(f"{_W}abstractNum")}
        for num in numbering.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})

    def mark(self, p) -> str:
        """The list mark of paragraph `p` ('' when it is no list item)."""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            num_pr = self.styled.get(_w_val(p.find(f"{_W}pPr/{_W}pStyle")))
        if num_pr is None:
            return ""
        num_id = _w_val(num_pr.find(f"{_W}numId"))
        level = _w_int(num_pr.find(f"{_W}ilvl"), 0)
        if not num_id or num_id == "0":
            return ""
        fmt, text, start = self.levels.get(num_id, {}).get(level, ("decimal", f"%{level + 1}.",
                                                                   1))
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""
        counts = self.counts.setdefault(num_id, {})
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        mark = re.sub(r"%(\d)", lambda m: _number_text(counts.get(int(m.group(1)) - 1, 1), fmt),
                      text or f"%{level + 1}.")
        return f"{mark.strip()} " if mark.strip() else ""


def _styled_numbering(document) -> dict:
    """Paragraph styles that number their paragraphs: style id -> numPr."""
    try:
        styles = document.styles.element
    except (NotImplementedError, KeyError, AttributeError):
        return {}
    out = {}
    for style in styles.iterchildren(f"{_W}style"):
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None and num_pr.find(f"{_W}numId") is not None:
            out[style.get(f"{_W}styleId")] = num_pr
    return out


def _levels(abstract) -> dict[int, tuple[str, str, int]]:
    """(number format, level text, start) of each level of an abstract numbering."""
    out = {}
    for lvl in abstract.iterchildren(f"{_W}lvl"):
        fmt = _w_val(lvl.find(f"{_W}numFmt")) or "decimal"
        text = _w_val(lvl.find(f"{_W}lvlText"))
        out[_w_int_attr(lvl, "ilvl")] = (fmt, text or "", _w_int(lvl.find(f"{_W}start"), 1))
    return out


def _number_text(n: int, fmt: str) -> str:
    """A list number written in the level's format (`3`, `c`, `iii`)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                          (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                          (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _w_val(el) -> str:
    return el.get(f"{_W}val", "") if el is not None else ""


def _w_int_attr(el, name: str) -> int:
    try:
        return int(el.get(f"{_W}{name}", "0"))
    except ValueError:
        return 0


def _w_int(el, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(f"{_W}val", default)))
    except ValueError:
        return default
