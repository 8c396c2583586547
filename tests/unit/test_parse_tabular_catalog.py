"""engine.parsers.tabular: database catalogs (one row per table column, a readable
`Friendly Name`, placeholder bounds, key-name columns) and Markdown rows that list several
names or stand for names they do not write.  Small tables written here."""

from __future__ import annotations

from engine.parsers import parse_dictionary
from engine.parsers.tabular import cells as C
from engine.parsers.tabular.columns import map_header

_HEAD = "Schema,Table,Column,Friendly Name,Data Type,Length,Min,Max,Pickey Desc,Column Order\n"


def parse(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_dictionary(path).schema


def by_name(schema) -> dict:
    return {f.name: f for f in schema.fields}


def test_friendly_name_is_a_title():
    roles, _ = map_header(["Schema", "Table", "Column", "Friendly Name", "Data Type"])
    assert roles["title"] == 3 and roles["name"] == 2


def _catalog() -> str:
    rows = []
    for t, prefix in (("ABATEMENT", "ABT"), ("PARCEL", "PRC"), ("ZONE", "ZON")):
        for k in range(1, 21):
            key = f"{prefix}_STATUS_DESC" if k == 3 else ""
            rows.append(f"REAL_PROP,{t},{prefix}_COL_{k},Column {k} of {t.lower()},varchar,"
                        f"{k + 5},0,0,{key},{k}")
        # a row whose friendly name is a header word, with numbers beside it
        rows.append(f"REAL_PROP,{t},{prefix}_CMPLX_DESC,Name,varchar,40,,,,21")
        rows.append(f"REAL_PROP,{t},{prefix}_LAST_UPDATE,Last Update,datetime,,,,,22")
    # one column listed twice, once per schema, on consecutive rows
    rows.append("COMMON,DOCUMENTS,DOC_MNC,Mnc,numeric,9,,,,1")
    rows.append("REAL_PROP,DOCUMENTS,DOC_MNC,Mnc,numeric,9,,,,1")
    rows.append("COMMON,DOCUMENTS,DOC_ID,Doc Id,numeric,9,,,,2")
    rows.append("REAL_PROP,DOCUMENTS,DOC_ID,Doc Id,numeric,9,,,,2")
    return _HEAD + "\n".join(rows) + "\n"


def test_catalog_rows_are_all_fields_with_their_friendly_names(tmp_path):
    fields = by_name(parse(tmp_path, "catalog.csv", _catalog()))
    # a row reading `Name` beside numbers is a row of the table, not a new header
    assert {"PRC_CMPLX_DESC", "ZON_LAST_UPDATE", "ZON_COL_20"} <= fields.keys()
    assert len(fields) == 3 * 22 + 2
    assert fields["ABT_COL_3"].title == "Column 3 of abatement"
    assert fields["ZON_LAST_UPDATE"].title == "Last Update"


def test_catalog_key_names_and_placeholder_bounds_are_not_read(tmp_path):
    fields = by_name(parse(tmp_path, "catalog.csv", _catalog()))
    f = fields["ABT_COL_3"]
    # `Pickey Desc` holds key names, not a description; `0 | 0` is no range
    assert not f.description
    assert "minimum" not in f.constraints and "maximum" not in f.constraints
    # a schema column that differs on the few repeated names holds no codes
    assert not fields["DOC_MNC"].categories and not fields["ABT_COL_1"].categories


def test_catalog_bounds_that_differ_are_a_range(tmp_path):
    text = _catalog().replace("ABT_COL_5,Column 5 of abatement,varchar,10,0,0",
                              "ABT_COL_5,Column 5 of abatement,varchar,10,0,100")
    f = by_name(parse(tmp_path, "catalog.csv", text))["ABT_COL_5"]
    assert (f.constraints["minimum"], f.constraints["maximum"]) == (0, 100)


_MULTI = """\
# Codebook

## Municipal

| Variable | Type | Description |
|---|---|---|
| `seats_spd` | numeric | Council seats won by SPD. |
| `seats_afd` | numeric | Council seats won by AfD. |
| ... (many other parties) | numeric | Seats of various smaller parties. |

## County

| Variable | Type | Description |
|---|---|---|
| `county` | character | County code. |
| `seats_spd`, `seats_cdu`, `seats_afd` | integer | Seats won by SPD, CDU, AfD. Blank = 0. |
| `cdu`, `csu`, `fdp`, ... | numeric | Vote share for each party. |
"""


def test_own_row_describes_a_name_listed_again_with_others(tmp_path):
    fields = by_name(parse(tmp_path, "codebook.md", _MULTI))
    assert fields["seats_afd"].description == "Council seats won by AfD."
    assert fields["seats_spd"].description == "Council seats won by SPD."
    # a name only on the shared row keeps the shared text
    assert fields["seats_cdu"].description.startswith("Seats won by SPD, CDU, AfD.")


def test_placeholder_rows_and_ellipsis_lists(tmp_path):
    fields = by_name(parse(tmp_path, "codebook.md", _MULTI))
    assert not any("..." in n or "many other" in n for n in fields)
    assert {"cdu", "csu", "fdp"} <= fields.keys()
    assert C.split_names("`cdu`, `csu`, `spd`, ...") == ["cdu", "csu", "spd"]
    assert C.split_names("a, b, …") == ["a", "b"]
    assert C.is_placeholder("... (other flag variables)") and C.is_placeholder("…")
    assert not C.is_placeholder("age...") and not C.is_placeholder(".hidden")
