"""What SPSS syntax says about one variable, kept by upper-cased name in file order."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field


@dataclass
class SpssVar:
    """What the syntax says about one variable so far."""

    name: str
    label: str | None = None
    fmt: str | None = None
    position: dict | None = None
    in_data_list: bool = False      # DATA LIST variables without a format are numeric
    labels: dict[str, str | None] = dc_field(default_factory=dict)
    missing: list[str] = dc_field(default_factory=list)
    ranges: list[tuple[str | None, str | None]] = dc_field(default_factory=list)
    alias: str | None = None        # the new name a RENAME VARIABLES gives
    ordinal: bool = False           # VARIABLE LEVEL ... (ORDINAL)
    spelled: bool = False           # the name as a defining command writes it is kept


def var(found: dict[str, SpssVar], name: str, spell: bool = False) -> SpssVar:
    """The variable called `name` (SPSS names ignore case), created on first mention.  The
    spelling kept is the first one a defining command (`spell`: DATA LIST, VARIABLE LABELS)
    writes: `VALUE LABELS Q8 ...` before `DATA LIST ... q8` leaves the name `q8`."""
    key = name.upper()
    if key not in found:
        found[key] = SpssVar(name)
    v = found[key]
    if spell and not v.spelled:
        v.name, v.spelled = name, True
    return v
