"""SPSS `RENAME VARIABLES`: live it renames a variable, commented out it documents a name.

`found` maps upper-cased names to the parser's variable records (with `name` and `alias`).
"""

from __future__ import annotations

from .spss_syntax import Token


def rename_variables(tokens: list[Token], found: dict, live: bool = True) -> None:
    """`RENAME VARIABLES (old = new) (a b = x y)` or `old = new / ...`: a live RENAME renames
    (the file the syntax makes has the new names); one commented out only records them."""
    group: list[Token] = []
    for t in tokens[2:] + [Token("punct", "/")]:
        if t.text not in ("(", ")", "/"):
            group.append(t)
            continue
        texts = [x.text for x in group]
        if "=" in texts:
            eq = texts.index("=")
            old = [x.text for x in group[:eq] if x.kind == "word"]
            new = [x.text for x in group[eq + 1:] if x.kind == "word"]
            for a, b in zip(old, new) if len(old) == len(new) else ():
                if a.upper() in found and live:
                    _renamed(found, a, b)
                elif a.upper() in found:
                    found[a.upper()].alias = b
        group = []


def _renamed(found: dict, old: str, new: str) -> None:
    """Rename a variable in place (order kept); the old name becomes its alias."""
    if new.upper() in found:
        return
    var = found[old.upper()]
    var.name, var.alias = new, var.alias or var.name
    items = [(new.upper() if k == old.upper() else k, v) for k, v in found.items()]
    found.clear()
    found.update(items)
