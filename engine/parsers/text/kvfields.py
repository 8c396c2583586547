"""Key-value blocks into fields: the part each key plays, decided from its values.

* the name: values that are identifiers (one token), nearly all different; when no key holds
  names, the heading line above each block (`age      Age in years`) does;
* a type: short values that are type words (`numeric`, `varchar(20)`, `entier`) for most
  blocks, few different ones;
* codes: values that hold code lines (`1 = yes`) in many blocks (or, in one block, a key
  only some variables have);
* the label and the description: the text keys, the shorter one the title;
* any other key stays in the description as `Key: value`, except in a block of summary
  statistics (two keys or more such as `mean`, `std. dev`): there, values without words
  (`range: [18,99]`, `unique values: 82`) are observations and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Category, Field
from ..codes import parse_code_line, parse_inline_codes
from .bodies import STAT_WORDS, read_body
from .codetables import give, tab_code_table
from .entries import Entry, build_field, join_text, label_code
from .keyvalue import MIN_BLOCKS, Block, drop_heading_from_value, norm_key
from .names import heading_name, is_identifier, is_placeholder, name_likeness
from .typewords import kind_word as _kind_word, type_of

_WORDS = re.compile(r"[^\W\d_]{2,}")
_LABEL_WORDS = 12
# a key that lists the codes meaning missing (`Missing Values: 8, 9`); a bare `Missing: 0`
# beside other statistics is a count
_MISSING_KEYS = {"missing values", "missing codes", "user missing", "user missing values",
                 "valores perdidos", "valores faltantes", "valeurs manquantes",
                 "fehlende werte", "valores ausentes", "codigos de falta", "missing value codes"}
# keys of a unit, in several languages
_UNIT_KEYS = {"unit", "units", "unit of measure", "unit of measurement", "measurement unit",
              "unidad", "unidades", "unidad de medida", "unidade", "unidade de medida", "unité",
              "unite", "unités", "unité de mesure", "einheit", "maßeinheit", "masseinheit",
              "eenheid", "unità", "unità di misura", "jednotka", "jednostka", "enhet", "yksikkö"}
_CODE_LIST = re.compile(r"^-?[\w.]{1,8}(?:\s*[,;]\s*-?[\w.]{1,8}){0,9}$")


@dataclass
class KeyRoles:
    """Which key plays which part (normalised keys; None when no key does)."""

    name: str | None
    title: str | None = None
    description: str | None = None
    type: str | None = None
    codes: str | None = None
    unit: str | None = None
    # keys in several blocks whose values mostly hold no code list (`Scale: 1 = no change`)
    no_codes: frozenset[str] = frozenset()


def assign_roles(blocks: list[Block]) -> KeyRoles | None:
    """The part each key plays, from its values; None when neither a key nor the blocks'
    headings hold names."""
    values: dict[str, list[str]] = {}
    for block in blocks:
        for key, value in block.pairs:
            values.setdefault(norm_key(key), []).append(value)
    # type words (`Numeric`, `Categórica`) are one token each too, but name no variable
    named = {k: v for k, v in values.items() if _type_share(v) < 0.5}
    name = max(named, key=lambda k: _name_score(named[k], len(blocks)), default=None)
    if name is None or _name_score(values[name], len(blocks)) < 0.6:
        if _name_score([_heading_name(b) for b in blocks], len(blocks)) < 0.6:
            return None
        name = None  # the names stand in the headings
    roles = KeyRoles(name=name)
    rest = {k: v for k, v in values.items() if k != name and len(v) >= 2}
    roles.type = _best(rest, _type_share, 0.7)
    rest.pop(roles.type, None)
    roles.codes = _best(rest, _code_share, 0.4)
    rest.pop(roles.codes, None)
    roles.no_codes = frozenset(k for k, v in rest.items()
                               if len(v) >= MIN_BLOCKS and _code_share(v) < 0.2)
    roles.unit = next((k for k in rest if k in _UNIT_KEYS and _mean_words(rest[k]) <= 4), None)
    rest.pop(roles.unit, None)
    # code lists in some blocks title nothing; kinds of variable (`Nominal`) are no text
    texts = sorted((k for k, v in rest.items() if _text_share(v) >= 0.6
                    and _code_share(v) < 0.2 and _type_share(v) < 0.5),
                   key=lambda k: _mean_words(rest[k]))
    if name is None and sum(1 for b in blocks if heading_name(b.heading)[1]) * 2 >= len(blocks):
        # the headings title the variables: one-word values (`label: sexlbl`) name other things
        texts = [k for k in texts if _mean_words(rest[k]) > 1]
    # a text key fewer than half as many variables have is a note beside the one most have
    most = max((len(rest[k]) for k in texts), default=0)
    texts = [k for k in texts if len(rest[k]) * 2 >= most]
    if len(texts) >= 2:
        roles.title, roles.description = texts[0], texts[-1]
    elif texts:
        roles.description = texts[0]
    return roles


def _name_score(values: list[str], blocks: int) -> float:
    """Identifier-shaped, different in every block, present in (nearly) every block."""
    if len(values) < 0.8 * blocks or not values:
        return 0.0
    idents = [v for v in values if "\n" not in v and is_identifier(v)]
    if len(idents) < 0.8 * len(values):
        return 0.0
    unique = len(set(idents)) / len(idents)
    return unique * sum(name_likeness(v) for v in idents) / len(idents)


def _best(candidates: dict[str, list[str]], share, minimum: float) -> str | None:
    scored = [(share(v), k) for k, v in candidates.items()]
    scored = [s for s in scored if s[0] >= minimum]
    return max(scored)[1] if scored else None


def _type_share(values: list[str]) -> float:
    """Share of values that are type words, when the key has few different values."""
    short = [v.strip() for v in values if v.strip() and len(v.split()) <= 3 and "\n" not in v]
    distinct = {v.lower() for v in short}
    if len(distinct) > max(8, len(values) // 3):
        return 0.0
    return sum(1 for v in short if type_of(v) or _kind_word(v)) / len(values)


def _code_share(values: list[str]) -> float:
    """Share of non-empty values that hold two codes or more."""
    filled = [v for v in values if v.strip()]
    coded = [v for v in filled if len(codes_in(v)) >= 2]
    return len(coded) / len(filled) if filled else 0.0


def codes_in(value: str) -> list[Category]:
    """The codes a value holds: a tabulation, code lines, or codes inline."""
    tabbed = tab_code_table(value) if "\t" in value else None
    if tabbed is not None:
        return tabbed.categories + tabbed.missing
    lines = [x for x in value.split("\n") if x.strip()]
    table = _tabulation(lines)
    if table is not None:
        return table
    line_codes = [c for c in (parse_code_line(x) or label_code(x) for x in lines)
                  if c is not None]
    return line_codes if len(line_codes) >= 2 else parse_inline_codes(value)


def _tabulation(lines: list[str]) -> list[Category] | None:
    """`Freq.  Numeric  Label` then `480  1  Male` rows: the codes without their counts."""
    if len(lines) < 3 or re.search(r"\d", lines[0]):
        return None
    header = [norm_key(w) for w in lines[0].split()]
    if not header or header[0] not in STAT_WORDS:
        return None
    out = []
    for row in lines[1:]:
        cells = row.split(None, 2 if len(header) >= 3 else 1)
        if len(cells) < 2 or not re.fullmatch(r"[\d,.]+%?", cells[0]):
            return None
        value = cells[1].strip("\"'“”")
        label = cells[2].strip() if len(cells) > 2 else value
        out.append(Category(value, label))
    return out


def _text_share(values: list[str]) -> float:
    """Share of values that are words (not numbers or single codes), when they differ from
    block to block (`Both males and females` in every block labels no variable)."""
    filled = [v for v in values if v.strip()]
    words = [v for v in filled if len(re.findall(r"[^\W\d_]{2,}", v)) >= 1]
    if len({v.strip().lower() for v in words}) < 0.5 * len(words):
        return 0.0
    return len(words) / len(values) if values else 0.0


def _mean_words(values: list[str]) -> float:
    return sum(len(v.split()) for v in values) / max(1, len(values))


# ---- fields ---------------------------------------------------------------------------------
def read_key_value_blocks(blocks: list[Block]) -> tuple[list[Field], float]:
    """(fields, score) of key-value blocks; ([], 0.0) when they do not describe variables."""
    if len(blocks) < MIN_BLOCKS or not _keys_repeat(blocks):
        return [], 0.0
    roles = assign_roles(blocks)
    if roles is None and _headings_ran_into(blocks):
        roles = assign_roles(blocks)
    if roles is None:
        return [], 0.0
    fields = [f for f in (_field(block, roles) for block in blocks) if f is not None]
    if fields and is_placeholder(fields[0].name):
        fields = fields[1:]  # a template block shows the layout first (`VARIABLE_NAME`)
    names = list(dict.fromkeys(f.name for f in fields))
    return fields, 1.2 * sum(name_likeness(n) for n in names)


def _headings_ran_into(blocks: list[Block]) -> bool:
    """Word paragraphs without blank lines: the name alone on the line above each block was
    read as the end of the previous value.  When most such lines are one name each, they are
    the blocks' headings (and out of the values)."""
    lines = [b.ran_into for b in blocks if b.ran_into and not b.heading]
    names = [t for t in lines if _bare_name(t)]
    if len(names) < MIN_BLOCKS - 1 or len(names) < 0.8 * len(lines):
        return False
    for b, block in enumerate(blocks):
        if block.ran_into in names and not block.heading:
            block.heading = block.ran_into
            drop_heading_from_value(blocks, b)
    return True


def _bare_name(line: str) -> bool:
    """A line that is one identifier, maybe behind a list mark (`GEN_SEX`, `3. arm`)."""
    name, title = heading_name(line)
    rest = line.strip().lstrip("#>*-•0123456789.) \t")
    return not title and is_identifier(name) and rest == name


def _keys_repeat(blocks: list[Block]) -> bool:
    """Most pairs have a key that comes back in at least half the blocks: blocks of one
    variable each share their keys, while tables of variables (`price | Price in dollars`)
    read as blocks share at most their header row."""
    seen: dict[str, int] = {}
    for block in blocks:
        for key in {norm_key(k) for k, _ in block.pairs}:
            seen[key] = seen.get(key, 0) + 1
    common = {k for k, n in seen.items() if n >= max(2, len(blocks) / 2)}
    pairs = [norm_key(k) for block in blocks for k, _ in block.pairs]
    return bool(pairs) and sum(k in common for k in pairs) >= 0.5 * len(pairs)


def _field(block: Block, roles: KeyRoles) -> Field | None:
    """The field of one block."""
    by_role: dict[str, str] = {}
    extra: list[str] = []
    notes: list[str] = []
    role_of = {roles.name: "name", roles.title: "title", roles.description: "description",
               roles.type: "type", roles.codes: "codes", roles.unit: "unit"}
    role_of.pop(None, None)
    if roles.name is None:
        by_role["name"], title = heading_name(block.heading)
        if title:
            by_role["title"] = title
    counted = sum(1 for key, _ in block.pairs if norm_key(key) in STAT_WORDS)
    statistics = counted >= 2
    missing: list[Category] = []
    stated: str | None = None
    # the key that holds codes comes later in the block: code lines in a note are examples
    has_codes_key = any(norm_key(k) == roles.codes for k, _ in block.pairs)
    for key, value in block.pairs:
        role = role_of.get(norm_key(key))
        if role and role not in by_role:
            by_role[role] = value
        elif norm_key(key) in _MISSING_KEYS and _CODE_LIST.match(value.strip()):
            if counted and value.strip().isdigit():
                continue  # `Missing values: 12` beside `Unique values: 2`: a count
            missing += [Category(v.strip(), None) for v in re.split(r"[,;]", value)]
        elif "codes" not in by_role and not has_codes_key \
                and norm_key(key) not in roles.no_codes and len(codes_in(value)) >= 2:
            by_role["codes"] = value  # a key only some variables have (`Values:`)
        elif norm_key(key) in roles.no_codes and len(codes_in(value)) >= 2:
            # a key whose values hold no code list elsewhere (`Scale: 1 = no change, > 1 =
            # growth`) reads the scale here too: a note, kept out of the text codes are read from
            notes.append(f"{key}: {' '.join(value.split())}")
        elif value and (_WORDS.search(value) or not statistics):
            extra.append(f"{key}: {' '.join(value.split())}")
            if len(value.split()) <= 2 and not stated:
                stated = type_of(value)  # `Tabulation: Integer` where no key holds types
    name = by_role.get("name", "").strip()
    if not name or not is_identifier(name):
        return None
    title = " ".join(by_role.get("title", "").split()) or None
    label = " ".join(by_role.get("description", "").split())
    if not title and extra and 0 < len(label.split()) <= _LABEL_WORDS:
        title = label  # a short label beside other keys' text: the field's title
    entry = Entry(name=name, title=title,
                  head=join_text([by_role.get("description", ""), *extra]))
    if "type" in by_role:
        entry.type_hint = type_of(by_role["type"])
        # a kind of variable (`Nominal`) is no type as written: the codes decide
        entry.source_type = by_role["type"].strip() if entry.type_hint else None
        if not entry.type_hint:
            extra.append(f"{_key_of(block, roles.type)}: {by_role['type'].strip()}")
    if roles.type is None and stated:
        entry.type_hint = stated
    codes = by_role.get("codes", "")
    tabbed = tab_code_table(codes, _key_of(block, roles.codes)) if "\t" in codes else None
    table = _tabulation([x for x in codes.split("\n") if x.strip()])
    if tabbed is not None:
        pass  # given to the field below, with its missing values and range
    elif table is not None:
        entry.codes = table
    else:
        probe = Entry(name=name)
        for line in codes.split("\n"):
            probe.add_line(line)
        if len(probe.codes) >= 2:
            entry.codes, entry.lines = probe.codes, probe.lines
        else:  # codes written inline (`1 = yes, 2 = no`), or no list (`0 a 240`)
            entry.head = join_text([entry.head, *codes.split("\n")])
    if not entry.codes and tabbed is None:
        _listed_options(entry, by_role.get("description", ""), extra)
    field = build_field(entry)
    if by_role.get("unit", "").strip():
        field.unit = " ".join(by_role["unit"].split())
    if tabbed is not None:
        give(field, tabbed)
    if not field.description and title:
        field.description = title
    if notes:
        field.extras["notes"] = "\n".join(notes)
    known = {c.value for c in field.missing_values + field.categories}
    field.missing_values += [c for c in missing if c.value not in known]
    return field


def _listed_options(entry: Entry, text: str, extra: list[str]) -> None:
    """A text value that ends in a bulleted list of two or more options led by a line ending
    in a colon (`Puede tener las siguientes opciones:` then `● Desarrollo`, `● Calidad`):
    the options are the values (value = label), the lines above them the description."""
    lines = [x for x in text.split("\n") if x.strip()]
    first = next((i for i, x in enumerate(lines) if _OPTION_MARK.match(x.strip())), None)
    if first is None or first == 0 or not lines[first - 1].rstrip().endswith(":") \
            or not all(_OPTION_MARK.match(x.strip()) for x in lines[first:]):
        return
    body = read_body(lines[first:])
    codes = body.categories if not body.description else _whole_options(lines[first:])
    if len(codes) >= 2:
        entry.codes = codes
        entry.head = join_text([" ".join(" ".join(lines[:first]).split()), *extra])


def _whole_options(lines: list[str]) -> list[Category]:
    """`● 0`, `● 1 a 3`, `● > 1 año`: options that no code reading takes whole (bands of a
    count) are values as written, when each is short."""
    options = [" ".join(_OPTION_MARK.sub("", x.strip()).split()) for x in lines]
    if len(set(options)) != len(options) or any(
            not x or len(x) > 40 or len(x.split()) > 5 for x in options):
        return []
    return [Category(x, x) for x in options]


_OPTION_MARK = re.compile(r"^[-*•▪◦·●○■□◆◇➢►▶✓✔]\s*(?=\S)")


def _key_of(block: Block, norm: str | None) -> str:
    """The key as written in this block whose normalised form is `norm`."""
    return next((k for k, _ in block.pairs if norm_key(k) == norm), norm or "")


def _heading_name(block: Block) -> str:
    """The name in the block's heading (`age` of `age      Age in years`)."""
    return heading_name(block.heading)[0]
