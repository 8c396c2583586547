"""REDCap CSV, DDI 2.5, SPSS syntax and Stata do-file exports, read back by Codebook's own
parsers, give the same fields: names, labels, codes and missing values (and the types, ranges
and required flags the format holds).

Real dictionaries of five publishers and formats go out and back.  What a format cannot hold
is stated here, field by field, and everything else must come back equal:

- every format: a name the package refuses comes back as the name it was given (`renamed`);
  texts come back on one line;
- DDI, SPSS, Stata: a REDCap checkbox field's choice labelled like a missing value (`98,
  Unknown`) comes back as a missing value: REDCap ticks choices, none of them is missing,
  but these formats have no checkboxes, and their readers take such labels as missing;
- REDCap: one label (`Field Label`: the title, else the description, else the name) and a
  note (the description when there is a title too); a code without a label is labelled by
  itself; the missing codes of a field without choices come back from the note, when they
  are numbers; types: `any` and `boolean` are text fields, a year an integer;
- DDI: the label is `labl`, a description beside a title `txt`; types numeric or character
  (others are left to the reader, which infers them from the codes);
- SPSS: one label; a code without a label is labelled by itself; types of numbers only
  (FORMATS; others left to the reader);
- Stata: one label; value labels hold integer codes of numeric fields only; missing codes come
  back twice, as written and as the extended missing values `.a`, `.b` ... that `mvdecode`
  gives them (checked to carry the same labels); a field with nothing Stata holds is not
  mentioned.
"""

from __future__ import annotations

import re

import pytest

from harness.fixtures import fixture_path
from engine.jobs import parse_file
from engine.model import Category, Field, Schema
from engine.parsers.codes import split_missing
from engine.report.exports import FORMATS, render
from engine.report.exports.names import renamed

DICTIONARIES = {
    "redcap-iedea": ("redcap-iedea", "IeDEA_tblCENTER_2020-06-30.csv"),
    "redcap-pdf": ("redcap-codebook-pdf-takotsubo", "Codebook_Takotsubo_pages_1_2_5.pdf"),
    "redcap-pdf-90-pages": ("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf"),
    "house-prices": ("house-prices", "data_description.txt"),
    "uci-adult": ("uci-adult", "adult.names"),
    "gss-spss": ("gss-happiness-extract", "GSS.sps"),
}
SUFFIX = {"redcap": ".csv", "ddi": ".xml", "spss": ".sps", "stata": ".do"}
_MISSING_NOTE = re.compile(r"\s*Missing values: .*$")


def one_line(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text).strip() if text else None


def carried(f: Field, fmt: str, back: bool) -> dict:
    """What `fmt` holds of a field (`back`: the field as read back)."""
    label = one_line(f.title or f.description or (f.name if fmt == "redcap" else None))
    out: dict = {"label": label}
    if fmt in ("redcap", "ddi") and f.title and f.description:
        second = one_line(f.description)
        second = _MISSING_NOTE.sub("", second) if back and fmt == "redcap" else second
        if second:
            out["description"] = second
    codes, missing = f.categories, f.missing_values
    if fmt != "redcap" and f.extras.get("checkbox") and not back:
        codes, more = split_missing(codes)    # see the module docstring
        missing = missing + more
    if fmt == "stata":
        numeric = f.type in ("integer", "number", "year") and \
            all(re.fullmatch(r"-?\d+|\.[a-z]", c.value) for c in codes + missing)
        codes, missing = (codes, missing) if numeric else ([], [])
        missing = [m for m in missing if not re.fullmatch(r"\.[a-z]", m.value)]
    if fmt == "redcap" and not back and not f.categories:
        missing = [m for m in missing if re.fullmatch(r"-?\d+(\.\d+)?", m.value)]
    bylabel = fmt != "ddi"
    out["codes"] = [(c.value, c.label or c.value if bylabel else c.label) for c in codes]
    out["missing"] = [(c.value, c.label or c.value if bylabel else c.label) for c in missing]
    out["type"] = _type(f, fmt, back)
    if fmt in ("redcap", "ddi") and f.type in ("integer", "number", "year"):
        out["range"] = (f.constraints.get("minimum"), f.constraints.get("maximum"))
    if fmt == "redcap":
        out["required"] = bool(f.constraints.get("required"))
    return out


def _type(f: Field, fmt: str, back: bool) -> str | None:
    t = "integer" if f.type == "year" else f.type
    if fmt == "redcap":
        return "string" if t in ("any", "boolean") and not back else t
    if fmt == "ddi":
        return t if t in ("integer", "number", "string") or back else None
    return t if t in ("integer", "number") else None


def round_trip(schema: Schema, fmt: str, tmp_path) -> tuple[dict, dict, Schema]:
    path = tmp_path / f"export{SUFFIX[fmt]}"
    path.write_text(render(schema, fmt), encoding="utf-8")
    back = parse_file(path).schema
    names = renamed(schema, FORMATS[fmt].names) if FORMATS[fmt].names else {}
    want = {names.get(f.name, f.name): carried(f, fmt, back=False) for f in schema.fields}
    got = {f.name: carried(f, fmt, back=True) for f in back.fields}
    if fmt != "redcap":   # a type the format has no word for comes back from the codes, or not
        for name, c in want.items():
            if c["type"] is None and name in got:
                got[name]["type"] = None
    return want, got, back


@pytest.mark.parametrize("fmt", ["redcap", "ddi", "spss", "stata"])
@pytest.mark.parametrize("source", list(DICTIONARIES))
def test_an_export_reads_back_as_the_same_fields(source, fmt, tmp_path):
    schema = parse_file(fixture_path(*DICTIONARIES[source])).schema
    want, got, _ = round_trip(schema, fmt, tmp_path)
    assert list(got) == list(want)
    assert {n: (want[n], got[n]) for n in want if want[n] != got[n]} == {}


def test_stata_extended_missing_values_carry_the_labels_of_their_codes(tmp_path):
    schema = parse_file(fixture_path("gss-happiness-extract", "GSS.sps")).schema
    text = render(schema, "stata")
    assert "mvdecode EDUC, mv(99=.a 98=.b 97=.c)" in text
    back = {f.name: f for f in parse_file(_write(tmp_path, "gss.do", text)).schema.fields}
    for f in schema.fields:
        extended = {m.value: m.label for m in back[f.name].missing_values
                    if m.value.startswith(".")}
        codes = [m for m in f.missing_values]
        assert extended == {f".{chr(97 + i)}": m.label for i, m in enumerate(codes)}


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- hostile names and labels -------------------------------------------------------------------
HOSTILE = Schema([
    Field("1st name", title='=HYPERLINK("http://evil.test")', description="a <b>bold</b> & 'odd'\n"
          "label with $HOME and `macro'", type="integer",
          categories=[Category("1", "Yes, really | no"), Category("2", "-2+3")],
          missing_values=[Category("9", "Refused")], constraints={"required": True}),
    Field("x'; DROP", title="quote ' and \"double\"", type="string",
          categories=[Category("a", "@SUM(A1)"), Category("b", "Beta")]),
])


@pytest.mark.parametrize("fmt", ["redcap", "ddi", "spss", "stata"])
def test_hostile_names_and_labels_come_back_as_written(fmt, tmp_path):
    """Quotes, markup, macros, line breaks and formula-like labels stay texts."""
    want, got, back = round_trip(HOSTILE, fmt, tmp_path)
    if fmt == "redcap":        # `|` separates REDCap choices: it is written as `/`
        want[next(iter(want))]["codes"][0] = ("1", "Yes, really / no")
    assert {n: (want[n], got.get(n)) for n in want if want[n] != got.get(n)} == {}
    assert len(back.fields) == len(want)


def test_the_stata_reader_takes_escaped_macro_characters_as_written(tmp_path):
    """`\\$` and a backslash before a backquote keep Stata from expanding a macro."""
    path = _write(tmp_path, "labels.do", 'label variable price "\\$Value in \\`cur\' units"\n'
                                         'label define yn 1 `"say "yes" for \\$1"\'\n'
                                         "label values ok yn\n")
    fields = {f.name: f for f in parse_file(path).schema.fields}
    assert fields["price"].description == "$Value in `cur' units"
    assert fields["ok"].categories[0].label == 'say "yes" for $1'
