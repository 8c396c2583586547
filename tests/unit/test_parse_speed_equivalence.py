"""The rule-based text parse and the LLM chunking give the same output as before their speed work.

The parsers and the chunker skip regexes that a line's characters rule out (a code form needs
its `=` or `:`, a missing label one of its words, ...), look at each line once and stop reading
early where the rest cannot change the answer.  These tests hold them to the outputs of the code
before those shortcuts:

* fixtures/speed/expected.json holds, for representative dictionaries (real fixtures and seeded
  synthetic ones), the format, warnings, field names, a digest of the Table Schema and the chunks
  at two budgets; and for a list of tricky lines (Unicode digits and case, tabs, bullets, quotes,
  missing labels) what the line-level helpers return.  It was first written by running this file
  as a script (`--write`) against the code at commit e34f769, before the speed work; it is
  written again, with the reason in the commit message, when parsing changes on purpose.
* property tests check the facts the shortcuts rely on (which characters match a letter when
  case is ignored, which white space is printable, that token pieces add up over lines).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]   # tests/
EXPECTED = HERE / "fixtures" / "speed" / "expected.json"

FIXTURES = [
    ("house-prices", "data_description.txt"),
    ("uci-heart-disease", "heart-disease.names"),
    ("uci-adult", "adult.names"),
    ("german-credit", "german.doc"),
    ("material-intensity-buildings", "codebook.md"),
    ("fivethirtyeight-primary-candidates-2018", "README.md"),
    ("jhu-covid-vaccine-hesitancy", "data_dictionary.csv"),
    ("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf"),
    ("edge", "text_code_forms.txt"),
    ("edge", "text_indented.txt"),
    ("edge", "text_inline_units.txt"),
    ("edge", "text_markdown.md"),
    ("edge", "text_spaced_columns.txt"),
    ("edge", "text_preamble_c45.txt"),
    ("edge", "llm_page_break.txt"),
    ("edge", "llm_two_sections.txt"),
    ("edge", "tab_pipe_table.txt"),
    ("edge", "redcap_old_header.txt"),
]
# (fields, codes, seed, marker): the first is the load benchmark's 82-field dictionary
SYNTHETIC = [(82, 3, 10000, None), (30, 0, 7, None), (30, 8, 8, {3: "[fault:slow]"})]

# lines that reach the corners of the code, missing-label and chunking rules
TRICKY_LINES = [
    "1 = Yes", "-1 = Refused", "+2 = plus", "1= Standard rate 2=JFK", "1=Male; 0=Female",
    "9\tRefused", "        1\tYes", "\t2\tNo", "Ex\tExcellent", "a b c\tthree words",
    "key:\tvalue", "A11 : ... < 0 DM", "-- Value 1: typical angina", "VALUE 2 = high",
    "- value 3: low", "vaLue 4 : mid", "{1} Yes", "{1}", "{-9} Missing", "{[name] Label}",
    '"a" = "b"', "“x” “y”", "'q', 'r'", "(1) yes", "[2] no", "1. Title: German Credit data",
    "1) First", "2. Second item is here", "3 Maybe", "12 years of school",
    "5901 E. 7th Street", "20 percent of cases", "2014 was a year", "M - Male", "F – Female",
    "UK — United Kingdom", "A: Apple", "a1: x", "1: x; 2: y", "0: No, 1: Yes",
    "1, Yes | 2, No", "AP, Asia-Pacific | NA, NA-ACCORD", "3, Only one", "- 1 = a", "* 2 = b",
    "• 3 = maybe", "· 4 = dot", "-- 5 = dashes", "--1 = x", "-1", "-", "*", "==", ":",
    "a factor with levels a b c", "LEVELS: \"x\", \"y\"", "Factor w/ 3 levels: lo, mid, hi",
    "no level here", "one of \"A\", \"B\" or \"C\"", "publicly (\"Public\") or (\"Private\")",
    "coded as `yes` or `no`", "x = 1", ".a = missing", "item.1 = first", "a/b = ratio",
    "１ = fullwidth one", "٣ = arabic three", "١٢ = arabic twelve", "² = superscript",
    "Refused", "Refused.", "(Refused)", "\"Don't know\"", "Don’t know", "DK/NA", "DK / RF",
    "Patient refused", "participant doesn't know", "Not applicable (never married)",
    "Missing - not asked", "unknown/not stated", "MISSING", "mıssing", "MİSSING", "ſkip",
    "Sometimes", "Never", "No data", "no information", "Blank", "N/A", "na", "NA or refused",
    "Yes, often", "The respondent did not want to say anything", "Skipped; legitimate skip",
    "Question 1: how the respondent rates income and visit", "age: age in years",
    "Attribute 1:  (qualitative)", "3 age: age in years", "9 cp (chest pain type)",
    "household_0001: Question 1: how", "**name:** description", "`code`: meaning",
    "# Heading", "SECTION TWO", "Section 3", "ınstrument one", "___", "and so on, with",
    "this line ends with the", "this line ends with ‐", "ends with a comma,", "ends (",
    "ends wıth", "ends with OR", "trailing blanks and   ", "\u00a0\u00a0nbsp indent",
    "\u2028line separator", "\x0bvertical tab", "x\x1cy", "\f", "", " ", "\t",
    "٣ Three", "٤. Fourth item", "１ Yes", "(٥) five", "-٣ = negative", "7 Seven", "8. Eight",
    "Not asked", "Inapplicable", "IAP", "No response", "Non-response", "Prefer not to say",
    "Not ascertained", "not reported", "Not recorded", "valid skip", "System missing",
    "sysmis", "RF", "dk", "No answer", "Refusal", "Do not know", "unknown", "Not known",
    "Factor with Levels lo mid hi", "levels: lo mid hi", "LEVEL a b", "a\tb\tc",
    "NA: Missing value that has no observation",
]
# small texts for the other layouts: a list numbered with `(` after the names, a table flattened
# to text below its `Field Name  Description` header, UCI attribute blocks, REDCap markers
TEXTS = {
    "tricky": "\n".join(TRICKY_LINES),
    "numbered": "\n".join([
        "Attributes", "1 age (years of life)", "2 sex (1 = male; 0 = female)",
        "3 cp (chest pain type)", "  -- Value 1: typical angina", "  -- Value 2: atypical",
        "4 trestbps (resting blood pressure)", "5 chol", "Notes follow here."]),
    "table": "\n".join([
        "Trip records", "", "Field Name    Description", "VendorID A code indicating the provider",
        "Trip_distance The elapsed trip distance", "Extra Miscellaneous extras and surcharges",
        "Payment_type A numeric code", "  1= Credit card", "  2= Cash", "Store_and_fwd_flag Y/N"]),
    "attributes": "\n".join([
        "7. Attribute description", "", "Attribute 1:  (qualitative)", "       Status",
        "\t      A11 :      ... <    0 DM", "\t      A12 : 0 <= ... <  200 DM",
        "Attibute 2:  (numerical)", "\t      Duration in month", "ATTRIBUTE 3: (qualitative)",
        "\t      Credit history", "\t      A30 : no credits taken", "", "8. Cost Matrix",
        "       (1 = Good,  2 = Bad)", "the class is the last column"]),
    "redcap": "\n".join([
        "{[age] Age in years}", "How old are you?", "{[sex] Sex}", "{1} Male", "{2} Female",
        "[age] > 18", "{[smoke] Smoker", "}", "{1} Yes", "{0} No", "___", "Instrument two"]),
}


# ---- the summaries compared -------------------------------------------------------------
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _summary(path: Path, filename: str | None = None) -> dict:
    """What a user gets from a dictionary: the parse and the chunks at two budgets."""
    from engine.jobs import parse_file
    from engine.llm.chunking import chunk_text
    from engine.llm.source import dictionary_text

    result = parse_file(path, filename)
    names = result.schema.names
    out = {"format": result.format, "warnings": list(result.warnings), "names": names,
           "descriptor": _digest(json.dumps(result.schema.to_descriptor(), sort_keys=True))}
    text = dictionary_text(path, filename)
    for budget in (400, 1500):
        chunks = chunk_text(text, names, budget=budget)
        out[f"chunks_{budget}"] = [[*c.lines, c.tokens, len(c.names)] for c in chunks]
        out[f"chunk_texts_{budget}"] = _digest("\0".join(c.text for c in chunks))
    return out


def _synthetic_path(tmp: Path, fields: int, codes: int, seed: int, marker) -> Path:
    from simulator.synthetic import synthetic_dictionary

    text, _ = synthetic_dictionary(fields, codes=codes, seed=seed, marker=marker)
    path = tmp / f"synthetic_{fields}_{codes}_{seed}.txt"
    path.write_text(text)
    return path


def _category(c) -> list | None:
    return None if c is None else [c.value, c.label]


def _line_results(line: str) -> list:
    """What the line-level helpers say about one line."""
    from engine.parsers.codes import is_missing_label, parse_code_line, parse_inline_codes
    from engine.parsers.text.entries import Entry, indent_of
    from engine.llm.tokens import estimate_tokens

    entry = Entry(name="x")
    entry.add_line(line)
    return [_category(parse_code_line(line)), [_category(c) for c in parse_inline_codes(line)],
            is_missing_label(line), indent_of(line), estimate_tokens(line),
            [_category(c) for c in entry.codes], entry.lines]


def _text_results(text: str) -> dict:
    """The text parser's fields, and the chunker's scores and cuts, for one small text."""
    from engine.llm.chunking import chunk_text, clean_lines, cut_scores, find_anchors
    from engine.parsers.text import fields_from_lines

    warnings: list[str] = []
    fields, missing = fields_from_lines(text.splitlines(), warnings.append)
    names = [f.name for f in fields] + ["age", "sex", "smoke", "household_0001", "name", "code",
                                        "x", "a1"]
    lines = clean_lines(text)
    return {"fields": [f.to_descriptor() for f in fields], "missing": missing,
            "warnings": warnings, "scores": cut_scores(lines, find_anchors(lines, names)),
            "chunks": [[*c.lines, c.tokens, list(c.names)]
                       for c in chunk_text(text, names, budget=60)]}


def _all_results(tmp: Path) -> dict:
    fixtures = HERE / "fixtures"
    files = {"/".join(parts): _summary(fixtures.joinpath(*parts)) for parts in FIXTURES}
    synthetic = {f"{n}-{codes}-{seed}": _summary(_synthetic_path(tmp, n, codes, seed, marker),
                                                 "heavy.txt")
                 for n, codes, seed, marker in SYNTHETIC}
    return {"files": files, "synthetic": synthetic,
            "lines": {line: _line_results(line) for line in TRICKY_LINES},
            "texts": {name: _text_results(text) for name, text in TEXTS.items()}}


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text())


@pytest.fixture(scope="module")
def actual(tmp_path_factory) -> dict:
    # JSON round trip: tuples become lists, as in the stored file
    return json.loads(json.dumps(_all_results(tmp_path_factory.mktemp("speed"))))


# ---- equivalence --------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["/".join(parts) for parts in FIXTURES])
def test_fixture_parse_and_chunks_unchanged(expected, actual, key):
    assert actual["files"][key] == expected["files"][key]


@pytest.mark.parametrize("key", [f"{n}-{codes}-{seed}" for n, codes, seed, _ in SYNTHETIC])
def test_synthetic_parse_and_chunks_unchanged(expected, actual, key):
    assert actual["synthetic"][key] == expected["synthetic"][key]


def test_benchmark_dictionary_reads_every_field_and_code(actual):
    summary = actual["synthetic"]["82-3-10000"]
    assert summary["format"] == "text" and len(summary["names"]) == 82
    assert len(summary["chunks_400"]) == 10   # the load benchmark's 10 chunks at budget 400


def test_line_helpers_unchanged(expected, actual):
    differ = [line for line in TRICKY_LINES
              if actual["lines"][line] != expected["lines"][line]]
    assert not differ, {line: (expected["lines"][line], actual["lines"][line])
                        for line in differ}


@pytest.mark.parametrize("name", list(TEXTS))
def test_small_text_fields_and_chunk_scores_unchanged(expected, actual, name):
    assert actual["texts"][name] == expected["texts"][name]


# ---- the facts the shortcuts rely on ----------------------------------------------------------
def test_only_four_non_ascii_characters_match_an_ascii_letter_ignoring_case():
    """Gates test `"value" in line.lower()`, a first letter in `cefvCEFV`, a last letter in
    `adefhnor`: sound because no other character than these matches such letters under re.I
    (and the gates that meet `i`, `s` or `k` use isalpha() or apply only to ASCII text)."""
    letter = re.compile("[a-z]", re.I)
    odd = {chr(c) for c in range(128, sys.maxunicode + 1) if letter.fullmatch(chr(c))}
    assert odd == {"\u0131", "\u0130", "\u017f", "\u212a"}   # ı İ ſ and the Kelvin sign
    assert all(ch.isalpha() for ch in odd)


def test_printable_text_has_no_white_space_but_blanks():
    from engine.parsers.codes.lines import collapse_spaces

    space = re.compile(r"\s")
    others = [chr(c) for c in range(sys.maxunicode + 1)
              if space.match(chr(c)) and chr(c) != " "]
    assert others and not any(ch.isprintable() for ch in others)
    for text in ["a  b", "a\tb", "a\u00a0b", " a b ", "a\u2028b", "plain text"]:
        assert collapse_spaces(text) == re.sub(r"\s+", " ", text)


def test_indent_counts_tabs_to_the_next_multiple_of_eight():
    from engine.parsers.text.entries import indent_of

    for line in ["", "x", "    x", "\tx", "  \t x", "\t\t", " \u00a0x", "\x0b\tx", "a\tb",
                 "   ", "\r\t x"]:
        expanded = line.expandtabs(8)
        assert indent_of(line) == len(expanded) - len(expanded.lstrip()), repr(line)


def test_token_pieces_add_up_over_lines_and_chunk_tokens_match_their_text():
    from engine.llm.chunking import chunk_text
    from engine.llm.tokens import count_pieces, estimate_tokens

    text = (HERE / "fixtures" / "house-prices" / "data_description.txt").read_text()
    lines = text.split("\n")
    assert count_pieces("\n".join(lines)) == sum(map(count_pieces, lines))
    for budget in (100, 400, 1500):
        chunks = chunk_text(text, ["MSSubClass", "LotFrontage", "Alley"], budget=budget)
        assert all(c.tokens == estimate_tokens(c.text) for c in chunks)


def test_delimiter_sniff_reads_a_long_head_like_a_short_one():
    """The sniff stops after the records it uses; a carriage return later still counts."""
    from engine.formats.delimited.table import _consistency

    rows = "\n".join(f"{i},name_{i},label {i}" for i in range(300))
    assert _consistency(rows, ",", cut=False) == 1.0
    assert _consistency(rows + "\nbad\rline,x", ",", cut=False) == 0.0
    with pytest.raises(csv.Error):
        list(csv.reader(["bad\rline,x\n"]))


# ---- writing the expected file ---------------------------------------------------------------
if __name__ == "__main__":  # pragma: no cover - run by hand against the old code, see above
    import tempfile

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: PYTHONPATH=<checkout of the old code> python "
                 "tests/unit/test_parse_speed_equivalence.py --write")
    with tempfile.TemporaryDirectory() as tmp:
        results = _all_results(Path(tmp))
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    compact = {"separators": (",", ":"), "sort_keys": True, "ensure_ascii": False}
    EXPECTED.write_text("{\n" + ",\n".join(  # one line per input
        f"{json.dumps(group)}: {{\n" + ",\n".join(
            f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, **compact)}"
            for k, v in sorted(entries.items())) + "\n}"
        for group, entries in sorted(results.items())) + "\n}\n")
    print(f"wrote {EXPECTED}")
