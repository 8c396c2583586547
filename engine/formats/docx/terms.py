"""Terms set in bold on a paragraph of their own, each followed by its plain definition.

Codebooks written in Word often give each variable as a bold paragraph (`Absolute link
strength (L_tilde)`) and its description as the next paragraph, in plain type.  The pairs are
kept as the document's term/definition pairs (as HTML `<dl>` lists are) when the pattern
repeats, so names that are no identifiers are read too.
"""

from __future__ import annotations

import re

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_TERM_CHARS = 64
_MIN_PAIRS = 3
_OFF = {"0", "false", "off"}
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")


def bold_pairs(paragraphs: list[tuple[str, bool, bool]]) -> list[tuple[str, str]]:
    """(term, definition) of each bold term paragraph followed by a plain one; paragraphs
    are (text, all bold, heading).  The list starts at the first term written as an
    identifier (bold section titles over prose come before it); [] unless it repeats."""
    filled = [p for p in paragraphs if p[0].strip()]
    pairs = []
    for (text, bold, heading), (nxt, nbold, nheading) in zip(filled, filled[1:]):
        term = " ".join(text.split())
        if (bold and not heading and not nbold and not nheading
                and len(term) <= _MAX_TERM_CHARS and "\n" not in text.strip()
                and not term.endswith((".", ":", ";"))):
            pairs.append((term, " ".join(nxt.split())))
    first = next((k for k, (t, _) in enumerate(pairs) if _IDENTIFIER.fullmatch(t)), len(pairs))
    pairs = pairs[first:]
    return pairs if len(pairs) >= _MIN_PAIRS else []


def all_bold(p) -> bool:
    """Every run of the paragraph that holds text is set in bold."""
    runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    return bool(runs) and all(_bold(r) for r in runs)


def _bold(run) -> bool:
    b = run.find(f"{_W}rPr/{_W}b")
    return b is not None and b.get(f"{_W}val", "true").lower() not in _OFF
