"""Answer options written on the question's line: `□ Male □ Female`, `( ) Yes ( ) No`,
`[1] Yes [2] No [8] Don't know` (bracketed codes count up and follow a question, a colon or a
wide gap, so that `see [1] and [2]` stays text)."""

from __future__ import annotations

import re

from ...model import Category

_LETTER = re.compile(r"[^\W\d_]")


_BOX = r"[☐□○◯●■▢❑◻]|\(\s?\)|\[\s?\]"
_BOX_OPTION = re.compile(rf"(?:{_BOX})\s*([^☐□○◯●■▢❑◻(\[]+?)\s*(?=(?:{_BOX})|$)")
_CODE_OPTION = re.compile(r"[\[(](\d{1,3}|[a-zA-Z])[\])]\s*([^\[(]+?)\s*(?=[\[(](?:\d{1,3}|[a-zA-Z])"
                          r"[\])]|$)")
_FIRST_BOX = re.compile(_BOX)
_FIRST_CODE = re.compile(r"[\[(](?:\d{1,3}|[a-zA-Z])[\])]\s*[^\W\d_]")


def options_in_line(text: str) -> tuple[str, list[Category]]:
    """(text before the options, options) of a line that lists two options or more after
    check boxes or bracketed codes; (text, []) otherwise."""
    for first, pattern, coded in ((_FIRST_CODE, _CODE_OPTION, True),
                                  (_FIRST_BOX, _BOX_OPTION, False)):
        m = first.search(text)
        if not m:
            continue
        found = list(pattern.finditer(text, m.start()))
        if len(found) < 2 or pattern.sub("", text[m.start():]).strip():
            continue  # one option, or text between them: not a list of options
        options = [Category(o.group(1), o.group(2).strip()) if coded else
                   Category(o.group(1).strip(), o.group(1).strip()) for o in found]
        before = text[:m.start()]
        if coded and (not _in_sequence([o.value for o in options]) or before.strip()
                      and not before.rstrip().endswith(("?", ":"))
                      and not re.search(r"(?:\t|\s{2,})$", before)):
            continue  # `see [1] and [2]`: references, not options after a question
        if all(o.label and _LETTER.search(o.label) and len(o.label.split()) <= 8
               for o in options):
            return text[:m.start()].strip(), options
    return text, []


def _in_sequence(codes: list[str]) -> bool:
    """Bracketed codes that count up (`[1] [2] [8]`) or letters in order."""
    if all(c.isdigit() for c in codes):
        numbers = [int(c) for c in codes]
        return all(b > a for a, b in zip(numbers, numbers[1:]))
    return all(len(c) == 1 for c in codes) and _in_order([c.lower() for c in codes])


def _in_order(letters: list[str]) -> bool:
    """`a, b, c`: consecutive letters from the first."""
    return all(ord(b) - ord(a) == 1 for a, b in zip(letters, letters[1:]))
