"""What a statistical-package setup program (Stata do-file, SAS program) says about a variable.

The program is read, not run: each statement adds to a `SetupVar`, and `to_field` turns the
record into a `Field`.  Codes whose label says "missing" stay categories here (a later pass
decides that for every format), except labels that repeat their code in front (`(9) Don't
know`), which that pass cannot read; codes the program itself declares missing (`.A` special
missing values, missing-value recodes, informats that read a code as missing) become
missingValues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ...model import Category, Field
from ..codes import find_range, find_unit, infer_type_from_codes, split_missing
from ..codes.measures import is_unit_name
from ..codes.unitwords import TIME_WORDS
from ._common import bounds, clean, missing_by_label, spell_range, width_top


@dataclass
class SetupVar:
    """One variable as the program describes it so far."""

    name: str
    label: str | None = None
    type: str | None = None          # Table Schema type from storage type / informat / format
    loose: bool = False              # numeric with decimals undeclared: whole codes -> integer
    format: str | None = None        # date or time pattern
    source: dict[str, str] = dc_field(default_factory=dict)   # statement -> type as written
    position: dict | None = None
    codes: dict[str, str | None] = dc_field(default_factory=dict)
    missing: dict[str, str | None] = dc_field(default_factory=dict)
    ranges: list[tuple[str | None, str | None]] = dc_field(default_factory=list)
    alias: str | None = None
    value_set: str | None = None     # the value-label set (Stata) attached
    unit: str | None = None          # the unit the labels of value ranges name


_QUANTITY = ("integer", "number", "any")
_MAX_UNIT_LABEL_WORDS = 5


class Variables(dict):
    """SetupVars by upper-cased name, in order of first mention (names ignore case)."""

    def get_or_add(self, name: str) -> SetupVar:
        """The variable called `name`, created on first mention."""
        key = name.upper()
        var = self.get(key)
        if var is None:
            var = self[key] = SetupVar(name)
        return var

    def find(self, name: str) -> SetupVar | None:
        """The variable called `name`, or None."""
        return self.get(name.upper())

    def rename(self, old: str, new: str) -> None:
        """Give a variable a new name in place (order kept); the old one becomes its alias."""
        var = self.find(old)
        if var is None or self.find(new) is not None:
            return
        var.name, var.alias = new, var.alias or var.name
        items = [(new.upper() if k == old.upper() else k, v) for k, v in self.items()]
        self.clear()
        self.update(items)

    def names(self) -> list[str]:
        """The names as first written, in order."""
        return [v.name for v in self.values()]


def expand_list(pieces: list[str], known: "list[str] | Variables") -> list[str]:
    """A variable list: `a-c` / `a--c` by position among `known`, else by numeric suffix;
    `x*` globs against `known`."""
    if not any(c in p for p in pieces for c in "-*?"):
        return list(pieces)
    known = known.names() if isinstance(known, Variables) else known
    out: list[str] = []
    upper = [k.upper() for k in known]
    for piece in pieces:
        if "*" in piece or "?" in piece:
            rx = re.compile(re.escape(piece).replace(r"\*", ".*").replace(r"\?", "."), re.I)
            out += [k for k in known if rx.fullmatch(k)]
            continue
        m = re.fullmatch(r"(\w+?)\s*--?\s*(\w+)", piece)
        if not m:
            out.append(piece)
            continue
        a, b = m.group(1).upper(), m.group(2).upper()
        if a in upper and b in upper and upper.index(a) <= upper.index(b):
            out += known[upper.index(a):upper.index(b) + 1]
        else:
            out += numbered(m.group(1), m.group(2))
    return out


def numbered(first: str, last: str) -> list[str]:
    """`v1`..`v3` -> v1, v2, v3 (zero padding kept); other pairs stay as they are."""
    ma, mb = re.fullmatch(r"(.*?)(\d+)", first), re.fullmatch(r"(.*?)(\d+)", last)
    if ma and mb and ma.group(1).upper() == mb.group(1).upper():
        lo, hi = int(ma.group(2)), int(mb.group(2))
        width = len(ma.group(2)) if ma.group(2).startswith("0") else 0
        if lo <= hi and hi - lo < 10000:
            return [f"{ma.group(1)}{n:0{width}d}" for n in range(lo, hi + 1)]
    return [first, last]


def to_field(var: SetupVar) -> Field:
    """The variable as a field: codes, declared missing values, type, position, range."""
    f = Field(name=var.name, description=clean(var.label))
    missing = dict(var.missing)
    open_ranges = []
    whole = var.type in (None, "integer") or var.type == "number" and var.loose
    for lo, hi in var.ranges:
        spelled = spell_range(lo, width_top(hi, var.position, whole))
        if spelled is not None:
            for v in spelled:
                missing.setdefault(v, None)
        else:
            missing.update({c: None for c in var.codes if _within(c, lo, hi) and c not in missing})
            open_ranges.append(bounds(lo, hi))
    f.categories = [Category(c, label) for c, label in var.codes.items() if c not in missing]
    f.missing_values = [Category(c, label if label is not None else var.codes.get(c))
                        for c, label in missing.items()]
    # labels that repeat their code (`(9) Don't know`) hide their meaning from the later pass
    f.categories, prefixed = missing_by_label(f.categories, prefixed_only=True)
    f.missing_values += prefixed
    f.type = var.type or _type_from_codes(f.categories, f.missing_values)
    if var.type == "number" and var.loose:
        if _type_from_codes(f.categories, f.missing_values) == "integer":
            f.type = "integer"
    f.format = var.format
    described(f)
    if f.type in _QUANTITY:
        f.unit = f.unit or var.unit
    source = " ".join(dict.fromkeys(var.source.values()))
    if source:
        f.extras["sourceType"] = source
    if var.position:
        f.extras["position"] = var.position
    if open_ranges:
        f.extras["missingRanges"] = open_ranges
    if var.alias:
        f.extras["alias"] = var.alias
    return f


def described(f: Field) -> None:
    """Unit and range a numeric field's label states (`Age in years`, `ID# (1-12686)`)."""
    if f.type not in ("integer", "number", "any"):
        return
    if not _categorical(f.categories):  # `FAMILY INCOME $20,000 OR MORE`: 1 = less, 2 = more
        f.unit = f.unit or find_unit(f.description)
    found = find_range(f.description)
    if found:
        f.constraints.update(bounds(*(None if x is None else repr(x) for x in found)))


def _categorical(cats: list[Category]) -> bool:
    """Codes of categories, not values of a quantity: two or more, none whose label restates
    its value (`58 = 58 inches or less` tops a measure; `1 = Less than $20,000` is a class);
    codes that say missing (`998 = Don't know`) are neither."""
    valid, _ = split_missing(cats)
    return len(valid) >= 2 and not any(_restates(c) for c in valid)


def _restates(c: Category) -> bool:
    """Whether a code's label holds the code's own number (`90 = 90 years or older`)."""
    try:
        value = float(c.value)
    except ValueError:
        return False
    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", c.label or "")
    return any(float(n.replace(",", "")) == value for n in numbers)


def range_unit(labels: list[str]) -> str | None:
    """The unit the labels of value ranges name (`59-76 = 'Number of inches'`): a short label
    without figures that ends in a unit word; labels naming two units name none."""
    found = set()
    for label in labels:
        words = re.findall(r"[^\W\d_]+|\d", label)
        if not words or len(words) > _MAX_UNIT_LABEL_WORDS or any(w.isdigit() for w in words):
            continue
        if is_unit_name(words[-1]):
            unit = find_unit(label) or TIME_WORDS.get(words[-1].lower())
            if unit:
                found.add(unit)
    return found.pop() if len(found) == 1 else None


def _type_from_codes(cats: list[Category], missing: list[Category]) -> str:
    """`integer`/`number`/`string` from the codes (special missing values aside), else `any`."""
    codes = [c for c in cats + missing if not _special(c.value)]
    return infer_type_from_codes(codes) if codes else "any"


def _special(value: str) -> bool:
    """A package's special missing value: `.`, `.a`, `.A`, `._`."""
    return re.fullmatch(r"\.[A-Za-z_]?", value) is not None


def _within(value: str, lo: str | None, hi: str | None) -> bool:
    """Whether a numeric code lies in [lo, hi] (None = open end)."""
    try:
        x = float(value)
        return (lo is None or x >= float(lo)) and (hi is None or x <= float(hi))
    except ValueError:
        return False
