"""Choosing among parsers: machine formats first-wins, generic readers compete on how well
their reading explains the document (engine.parsers.iter_parse, quality.py)."""

from __future__ import annotations

import pytest

import engine.formats
import engine.parsers as parsers
from harness.fixtures import fixture_path
from engine.model import Category, Field
from engine.parsers import ParserSpec, iter_parse, parse_dictionary

# A text dictionary with a small release-history pipe table before its variables: the table
# reader (tried first) reads the table's two rows as fields; the text reader reads the
# eight variables, which explain far more of the document.
WITH_HISTORY = """Household survey codebook

Release history

| Name | Description |
|------|-------------|
| v1.0 | First public release of the data |
| v1.1 | Added the survey weights |

Variables

age: Age of the respondent in completed years
sex: Sex of the respondent
    1  Male
    2  Female
region: Region of residence
    1  North
    2  South
    3  East
    4  West
hhsize: Number of people living in the household
income: Monthly household income in euros
educ: Highest level of education completed
    1  Primary
    2  Secondary
    3  Tertiary
employed: Whether the respondent is in paid work
    0  No
    1  Yes
weight: Survey weight of the respondent
"""
VARIABLES = ["age", "sex", "region", "hhsize", "income", "educ", "employed", "weight"]


def test_the_reading_that_explains_more_wins_over_the_first(tmp_path):
    path = tmp_path / "codebook.txt"
    path.write_text(WITH_HISTORY)
    result = parse_dictionary(path)
    assert result.format == "text" and result.schema.names == VARIABLES
    assert result.schema.field("region").categories[3].text() == "4=West"
    assert result.coverage.share > 0.7


# ---- with stand-in parsers ----------------------------------------------------------------
def _doc(tmp_path, n: int = 30):
    """A text document of `n` `vNN: description` lines, and its fields."""
    fields = [Field(f"v{i:02d}", description=f"Answer to question {i} about topic {i}")
              for i in range(n)]
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(f"{f.name}: {f.description}" for f in fields) + "\n")
    return path, fields


def _spec(fmt: str, fields: list[Field], *, competes: bool, priority: int,
          warning: str | None = None) -> ParserSpec:
    def parse(ctx):
        if warning:
            ctx.warn(warning)
        yield from (Field(f.name, description=f.description,
                          categories=list(f.categories)) for f in fields)
    return ParserSpec(format=fmt, extensions=(".txt",), parse=parse, priority=priority,
                      competes=competes)


@pytest.mark.parametrize("good_first", [True, False])
def test_better_of_two_competing_readings_wins(tmp_path, monkeypatch, good_first):
    path, fields = _doc(tmp_path)
    junk = [Field("Answer to question 3 about topic 3.", description="x"), Field("v07")]
    good = _spec("good", fields, competes=True, priority=10 if good_first else 20)
    bad = _spec("junk", junk, competes=True, priority=20 if good_first else 10,
                warning="a warning of the losing reading")
    monkeypatch.setattr(parsers, "_specs", lambda: sorted([good, bad], key=lambda s: s.priority))
    result = parse_dictionary(path)
    assert result.format == "good" and result.schema.names == [f.name for f in fields]
    assert result.warnings == []            # the losing reading's context is its own
    assert result.coverage.share > 0.95


def test_near_tie_keeps_the_earlier_reading(tmp_path, monkeypatch):
    path, fields = _doc(tmp_path)
    first = _spec("first", fields[:29], competes=True, priority=10)
    later = _spec("later", fields, competes=True, priority=20)     # one field more
    monkeypatch.setattr(parsers, "_specs", lambda: [first, later])
    assert parse_dictionary(path).format == "first"


def test_machine_formats_stay_first_wins(tmp_path, monkeypatch):
    path, fields = _doc(tmp_path)
    machine = _spec("machine", fields[:2], competes=False, priority=10)
    generic = _spec("generic", fields, competes=True, priority=50)
    monkeypatch.setattr(parsers, "_specs", lambda: [machine, generic])
    result = parse_dictionary(path)
    assert result.format == "machine" and len(result.schema.fields) == 2
    assert result.coverage.low           # and the result says how little it explains


def test_an_exclusive_spec_after_a_reading_competes(tmp_path, monkeypatch):
    """A spec without the flag, ranked after a generic reader that found a reading, must
    explain the document better to replace it (and loses when it explains less)."""
    path, fields = _doc(tmp_path)
    generic = _spec("generic", fields[:20], competes=True, priority=10)
    monkeypatch.setattr(parsers, "_specs", lambda: [
        generic, _spec("later", fields[:3], competes=False, priority=50)])
    assert parse_dictionary(path).format == "generic"
    monkeypatch.setattr(parsers, "_specs", lambda: [
        generic, _spec("later", fields, competes=False, priority=50)])
    assert parse_dictionary(path).format == "later"


def test_partial_updates_stream_while_candidates_read(tmp_path, monkeypatch):
    path, fields = _doc(tmp_path)
    first = _spec("first", fields[:5], competes=True, priority=10)
    later = _spec("later", fields, competes=True, priority=20)
    monkeypatch.setattr(parsers, "_specs", lambda: [first, later])
    updates = list(iter_parse(path, batch_seconds=0.0))
    partial = [u for u in updates if not u.done]
    assert updates[-1].done and updates[-1].result.format == "later"
    assert partial and partial[0].format == "first"
    # once a reading is complete, another one streams only when it holds more fields
    counts = [len(u.fields) for u in partial if u.format == "later"]
    assert counts and min(counts) > 5


def test_candidates_share_one_document_extraction(monkeypatch):
    calls = []
    real = engine.formats.load_document

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(engine.formats, "load_document", counting)
    path = fixture_path("ice-covid-outbreaks", "data_dictionary.docx")
    result = parse_dictionary(path)
    specs = parsers.candidates(parsers.ParseContext(path=path, filename=path.name))
    assert [s.format for s in specs if s.competes] == ["table", "text"]   # both read it
    assert result.format == "text" and len(calls) == 1


def test_not_supported_lists_the_accepted_types(tmp_path):
    path = tmp_path / "notes.xyz"
    path.write_text("age: Age in years\n")
    with pytest.raises(parsers.UnsupportedFormat) as info:
        parse_dictionary(path)
    message = str(info.value)
    assert "'.xyz' are not supported" in message
    for ext in (".csv", ".pdf", ".docx", ".sps", ".dct", ".sav", ".dta", ".names", ".md"):
        assert f" {ext}" in message


def test_coded_fields_from_two_readers_compare_on_the_same_text(tmp_path, monkeypatch):
    """The reading that also explains the code lines beats one that only has the names."""
    path = tmp_path / "doc.txt"
    lines, full, bare = [], [], []
    for i in range(12):
        cats = [Category("1", f"Agree with item {i}"), Category("2", f"Disagree with item {i}")]
        lines += [f"q{i}: Opinion on statement number {i}", *(f"    {c.value}  {c.label}"
                                                              for c in cats)]
        full.append(Field(f"q{i}", description=f"Opinion on statement number {i}",
                          categories=cats))
        bare.append(Field(f"q{i}", description=f"Opinion on statement number {i}"))
    path.write_text("\n".join(lines) + "\n")
    names_only = _spec("names-only", bare, competes=True, priority=10)
    with_codes = _spec("with-codes", full, competes=True, priority=20)
    monkeypatch.setattr(parsers, "_specs", lambda: [names_only, with_codes])
    result = parse_dictionary(path)
    assert result.format == "with-codes" and result.coverage.share == pytest.approx(1.0)


def test_a_reading_of_section_headings_loses_to_the_fields_under_them(tmp_path):
    """Headings over tables of variables: read as prose they are three 'fields' whose text is
    the paragraph under each heading; the tables' nine rows hold those sections' fields."""
    page = "<html><body><h1>Datasets</h1>"
    for heading, text, rows in [
            ("sites", "Sampling sites, one row per site visited.",
             [("site_id", "Unique identifier of the site."), ("lat", "Latitude."),
              ("lon", "Longitude.")]),
            ("catches", "Fish caught at each visit, one row per fish.",
             [("fish_id", "Identifier of the fish."), ("mass", "Mass in g.")]),
            ("water", "Water quality at each visit.",
             [("temp_c", "Temperature in degrees Celsius."), ("ph", "pH of the water.")])]:
        cells = "".join(f"<tr><td><code>{n}</code></td><td>{d}</td></tr>" for n, d in rows)
        page += (f"<h2>{heading}</h2><p>{text}</p><table><tr><th></th><th>Description</th>"
                 f"</tr>{cells}</table>")
    path = tmp_path / "datasets.html"
    path.write_text(page + "</body></html>", encoding="utf-8")
    result = parse_dictionary(path)
    assert result.schema.names == ["site_id", "lat", "lon", "fish_id", "mass", "temp_c", "ph"]
    assert result.schema.field("mass").extras["section"] == "catches"
