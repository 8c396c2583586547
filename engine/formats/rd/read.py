"""R documentation (`.Rd`): the data set's variables as definitions, the rest as running text.

A data set's help page lists its variables as `\\item{name}{description}` pairs inside
`\\describe{...}` (or a `\\tabular` of `name \\tab description \\cr` rows) inside `\\format{...}`.
Those pairs become `Document.definitions`; `\\title`, `\\description`, the lead text of
`\\format` and the other sections become the text.  Markup is reduced to its text
(`\\code{x}` -> `x`, `\\href{url}{text}` -> `text`), escapes are undone (`wt82\\_71` ->
`wt82_71`) and `%` comments are dropped.  An item naming several variables
(`\\item{lat, lon}{...}`) is kept as written; the text parser splits it.  An entry written
`\\code{name}{description}` in a `\\describe` list is an item too, and a closing list of
capitalised words after a colon (`Race: White, Black, or Other.`) is quoted as values.

R source files document data sets the same way in roxygen comments (`#' @format` followed by
`#' \\describe{...}`); `load_roxygen` reads those comments and leaves the code out.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..document import Document

_ESCAPED = {"{", "}", "\\", "%", "_", "&", "#", "$"}
_SECTIONS_AS_TEXT = ("title", "description", "format", "details", "source", "note", "section")
_NAMED_SYMBOLS = {"ldots": "...", "dots": "...", "R": "R", "cr": "\n", "tab": "\t",
                  "enc": "", "item": "\n- "}
# commands whose first argument is a target or a format and whose last one is the text
_LAST_ARGUMENT = {"href", "eqn", "deqn", "enc", "ifelse", "if", "method", "S3method",
                  "S4method", "linkS4class"}
_ROXYGEN_TEXT = {"title", "description", "format", "details", "source", "note", "section"}
_COMMAND = re.compile(r"\\([A-Za-z][A-Za-z0-9]*)")
_SPACES = re.compile(r"[ \t]+")
# one-argument markup that a `\\describe` entry may be written with in place of `\\item`
_MARKUP = {"code", "var", "samp", "bold", "strong", "emph", "env", "file", "sQuote", "dQuote"}
_OR_LIST = re.compile(r"(?<=:)\s*((?:[A-Z][\w-]*,\s){2,}or\s[A-Z][\w-]*)(\.(?:\s|$)|$)")
_NAME = re.compile(r"^[^\W\d][\w.]{0,79}$")
_MIN_ITEMIZED = 3  # bullets that open with a code name before a list reads as variables
_CODE_VALUE = re.compile(r"^[^\s`\"'“”(){}]{1,30}$")  # `Male`, `NA`, `1`: not `"a"` or `f(x)`


def load_rd(text: str) -> Document:
    """An Rd help page: variable items as definitions, the documentation as text."""
    text = _strip_comments(text)
    sections = _sections(text)
    definitions: list[tuple[str, str]] = []
    for where in ("format", "description", "details", "section"):
        for body in sections.get(where, []):
            definitions += _items(body) or _itemized(body)
        if definitions:
            break
    parts = []
    for key in _SECTIONS_AS_TEXT:
        for body in sections.get(key, []):
            lead = _without_lists(body) if key == "format" else body
            flat = flatten(lead).strip()
            if flat:
                parts.append(flat)
    body = "\n\n".join(parts)
    return Document(kind="rd", text=body, pages=[body], definitions=definitions)


_ROXYGEN = re.compile(r"^\s*#'\s?(.*)$")
_ROXYGEN_TAG = re.compile(r"^@(\w+)\s*(.*)$")


def load_roxygen(text: str) -> Document:
    """An R source file's roxygen comments (`#' @format ... \\describe{...}`) read as Rd."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _ROXYGEN.match(line)
        if not m:
            out.append("")
            continue
        tag = _ROXYGEN_TAG.match(m.group(1).strip())
        # `@format`, `@description` ... start a section; other tags (`@usage`) are not text
        out.append(tag.group(2) if tag and tag.group(1) in _ROXYGEN_TEXT else
                   "" if tag else m.group(1))
    body = _strip_comments("\n".join(out))
    definitions = _items(body)
    flat = "\n".join(line.strip() for line in flatten(_without_lists(body)).split("\n"))
    return Document(kind="rd", text=flat.strip(), pages=[flat.strip()], definitions=definitions)


def _strip_comments(text: str) -> str:
    """Lines with their `%` comments removed (`\\%` is a literal percent sign)."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        i = 0
        while i < len(line):
            if line[i] == "\\":
                i += 2
                continue
            if line[i] == "%":
                line = line[:i]
                break
            i += 1
        out.append(line)
    return "\n".join(out)


def _argument(text: str, i: int) -> tuple[str, int] | None:
    """The brace-balanced argument starting at text[i] == '{': (inside, index after it)."""
    if i >= len(text) or text[i] != "{":
        return None
    depth, j = 0, i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j], j + 1
        j += 1
    return text[i + 1:], len(text)  # unbalanced: the rest of the file


def _arguments(text: str, i: int) -> tuple[list[str], int]:
    """Consecutive brace arguments from text[i] (blanks between them allowed)."""
    args: list[str] = []
    while True:
        j = i
        while j < len(text) and text[j] in " \t\n":
            j += 1
        found = _argument(text, j)
        if found is None:
            return args, i
        args.append(found[0])
        i = found[1]


def _commands(text: str) -> Iterator[tuple[re.Match[str], list[str]]]:
    """Each top-level `\\name{...}{...}` command of `text` with its arguments (commands
    inside an argument are not visited)."""
    i = 0
    while i < len(text):
        m = _COMMAND.match(text, i)
        if not m:
            i += 2 if text[i] == "\\" else 1
            continue
        args, end = _arguments(text, m.end())
        yield m, args
        i = max(end, m.end())


def _sections(text: str) -> dict[str, list[str]]:
    """Top-level `\\name{...}` sections by name; `\\section{Title}{body}` keeps its body."""
    out: dict[str, list[str]] = {}
    for m, args in _commands(text):
        if args:
            out.setdefault(m.group(1), []).append(args[-1])
    return out


def _items(body: str) -> list[tuple[str, str]]:
    """(name, description) of the `\\item{}{}` pairs and `\\tabular` rows in a section."""
    found: list[tuple[int, str, str]] = []
    for m in re.finditer(r"\\item\b", body):
        args, _ = _arguments(body, m.end())
        if len(args) >= 2:
            found.append((m.start(), args[0], args[1]))
    found += _miswritten_items(body)
    pairs: list[tuple[str, str]] = []
    for _, head, text in sorted(found):
        name, desc = flatten(head).strip(), flatten(text, True).strip()
        if name:
            pairs.append((name, _quote_listed(_one_paragraph(desc))))
    for m in re.finditer(r"\\tabular\b", body):
        args, _ = _arguments(body, m.end())
        if len(args) >= 2:
            pairs += _tabular_rows(args[1])
    return pairs


def _itemized(body: str) -> list[tuple[str, str]]:
    """(name, description) of an `\\itemize` list whose items each open with a code-formatted
    name (`\\item{\\code{age} Age in years}` or `\\item \\code{age} Age in years`).

    A list is taken only when it has `_MIN_ITEMIZED` or more items and nearly all open so;
    bullets of prose (no leading `\\code{}` name) stay text."""
    out: list[tuple[str, str]] = []
    for m in re.finditer(r"\\itemize\b", body):
        args, _ = _arguments(body, m.end())
        if not args:
            continue
        bullets = [b for b in re.split(r"\\item\b", args[0])[1:] if b.strip()]
        named = [p for p in map(_named_bullet, bullets) if p]
        if len(named) >= _MIN_ITEMIZED and len(named) >= 0.9 * len(bullets):
            out += named
    return out


def _named_bullet(bullet: str) -> tuple[str, str] | None:
    """(name, text) of a bullet that opens with `\\code{name}`, braced or not."""
    text = bullet.strip()
    found = _argument(text, 0)
    if found and not text[found[1]:].strip():  # `\\item{...}`: the whole bullet braced
        text = found[0].strip()
    m = re.match(r"\\(?:code|var|samp)\s*(?=\{)", text)
    if not m:
        return None
    got = _argument(text, m.end())
    name = flatten(got[0]).strip() if got else ""
    if not _NAME.match(name):
        return None
    desc = flatten(text[got[1]:], True).strip().lstrip(":-\u2013\u2014 ").strip()
    return (name, _quote_listed(_one_paragraph(desc))) if desc else None


def _quote_listed(text: str) -> str:
    """A sentence that ends in a list of single capitalised words after a colon, the last after
    `or` (`Race: Mexican, White, Black, or Other.`), with the words quoted as values are."""
    def quote(m: re.Match[str]) -> str:
        words = re.findall(r"[A-Z][\w-]*", m.group(1))
        listed = ", ".join(f"`{w}`" for w in words[:-1])
        return f"{m.group(0)[:m.start(1) - m.start(0)]}{listed}, or `{words[-1]}`{m.group(2)}"
    return _OR_LIST.sub(quote, text)


def _miswritten_items(body: str) -> list[tuple[int, str, str]]:
    """(position, name, text) of the entries of a `\\describe` list written with a markup
    command in place of `\\item` (`\\code{age}{Age in years}`): at the list's top level, a
    one-argument command given a name and a second argument is an entry."""
    out: list[tuple[int, str, str]] = []
    for m in re.finditer(r"\\describe\b", body):
        args, _ = _arguments(body, m.end())
        if not args:
            continue
        inner, start = args[0], body.index("{", m.end()) + 1
        for c, got in _commands(inner):
            if (c.group(1) in _MARKUP and len(got) == 2
                    and _NAME.match(flatten(got[0]).strip())):
                out.append((start + c.start(), got[0], got[1]))
    return out


def _tabular_rows(body: str) -> list[tuple[str, str]]:
    """`name \\tab description \\cr` rows of an Rd table (first column the name)."""
    rows = []
    for row in re.split(r"\\cr\b", body):
        cells = [flatten(c).strip() for c in re.split(r"\\tab\b", row)]
        if len(cells) >= 2 and cells[0]:
            rows.append((cells[0], _one_paragraph(" ".join(c for c in cells[1:] if c))))
    return rows


def _without_lists(body: str) -> str:
    """A section without its `\\describe` and `\\tabular` blocks (read as definitions);
    `\\itemize` lists stay, as `- item` lines."""
    out, i = [], 0
    for m in re.finditer(r"\\(?:describe|tabular)\b", body):
        if m.start() < i:
            continue
        _, end = _arguments(body, m.end())
        out.append(body[i:m.start()])
        i = end
    out.append(body[i:])
    return "".join(out)


def flatten(text: str, quote_code: bool = False) -> str:
    """Rd markup reduced to its text: commands to their (last) argument, escapes undone.

    With `quote_code`, a short `\\code{Male}` keeps its quoting as `` `Male` `` (values
    listed in an item's text are quoted so)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPED:
            out.append(text[i + 1])
            i += 2
            continue
        m = _COMMAND.match(text, i) if ch == "\\" else None
        if m:
            name = m.group(1)
            j = m.end()
            if j < len(text) and text[j] == "[":  # `\link[pkg]{topic}`
                close = text.find("]", j)
                j = close + 1 if close > 0 else j
            args, end = _arguments(text, j) if j < len(text) and text[j] in "{ " else ([], j)
            if not args:
                out.append(_NAMED_SYMBOLS.get(name, ""))
                i = j
                continue
            kept = args[-1] if name in _LAST_ARGUMENT else " ".join(args)
            inner = flatten(kept, quote_code)
            if quote_code and name == "code" and _CODE_VALUE.match(inner):
                inner = f"`{inner}`"
            out.append(inner)
            i = end
            continue
        if ch in "{}":
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _one_paragraph(text: str) -> str:
    """An item's text on one line (Rd wraps items over source lines)."""
    return _SPACES.sub(" ", " ".join(text.split("\n"))).strip()
