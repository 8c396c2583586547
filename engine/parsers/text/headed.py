"""Blocks headed by a variable's name and type, with labelled property lines below:

    kap_kod numeric                       platy integer
    INFO Číslo rozpočtové kapitoly        Label: Salaries
    UNIT Kč za rok                        Unit: CZK per year
    rok integer

as report generators write them (R `pointblank` informants).  A head is an identifier followed
by a type word alone on its line; a block may have no property at all.  A property line's label
is a word in capitals (`INFO`, `JEDNOTKA`) or a `Key:`; the labels are recognised because they
come back block after block.  Lines that are no property continue the one above until a blank
line.  kvfields.py decides from the values which label carries what.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .keyvalue import MIN_BLOCKS, Block, _KEY_LINE, norm_key, repeating_keys
from .typewords import type_of

_HEAD = re.compile(r"^(?P<name>[A-Za-z_][\w.]{0,63})\s+(?P<type>[A-Za-z][\w()]{0,20})$")
# a label in capitals without a separator: the markup set it apart (bold, a badge)
_CAPS_KEY = re.compile(r"^(?P<key>[^\W\d_]{2,24})\s+(?P<value>\S.*)$")
TYPE_KEY = "type"


def headed_blocks(lines: list[str]) -> list[Block]:
    """The name-and-type headed blocks of a text, or [] when there are not enough of them or
    their labels do not repeat."""
    raw: list[tuple[Block, list[_Item]]] = []
    closed = True
    for line in lines:
        text = line.strip()
        head = _HEAD.match(text)
        if head and type_of(head.group("type")):
            raw.append((Block([(TYPE_KEY, head.group("type"))], heading=head.group("name")), []))
            closed = False
            continue
        if not raw:
            continue
        if not text:
            closed = True
            continue
        item = _labelled(text)
        if item is not None:
            raw[-1][1].append(item)
            closed = False
        elif not closed:
            raw[-1][1].append(_Item("", text, False, False))
    if len(raw) < MIN_BLOCKS:
        return []
    return _with_repeating_labels(raw)


class _Item(NamedTuple):
    key: str
    value: str
    capitals: bool   # a label in capitals without a separator
    labelled: bool   # a line with a label (else text)


def _labelled(text: str) -> _Item | None:
    """The labelled line `INFO text` or `Key: text`, else None."""
    m = _CAPS_KEY.match(text)
    if m and m.group("key").isupper():
        return _Item(m.group("key"), m.group("value").strip(), True, True)
    m = _KEY_LINE.match(text)
    key = m.group("key").strip() if m else ""
    if key and len(key.split()) <= 4 and not key.endswith((".", ",")):
        return _Item(key, m.group("value").strip(), False, True)
    return None


def _with_repeating_labels(raw: list[tuple[Block, list[_Item]]]) -> list[Block]:
    """The blocks with their labelled lines.  A label that does not come back in several
    blocks is text of the property above (`M: Male` under `Values:`), except a capitals label
    where several capitals labels come back (a label only one variable has)."""
    repeating = repeating_keys(key for _, items in raw
                               for key in {norm_key(i.key) for i in items if i.labelled})
    if len(repeating) < 2:
        return []
    caps = {norm_key(i.key) for _, items in raw for i in items if i.capitals} & repeating
    blocks = []
    for block, items in raw:
        for item in items:
            if item.labelled and (norm_key(item.key) in repeating
                                  or item.capitals and len(caps) >= 2):
                block.pairs.append((item.key, item.value))
            elif len(block.pairs) > 1:
                text = f"{item.key}: {item.value}" if item.labelled else item.value
                key, value = block.pairs[-1]
                block.pairs[-1] = (key, f"{value}\n{text}")
        blocks.append(block)
    return blocks
