"""Chunking at field boundaries, page-noise removal, token estimates and document text.

Edge fixtures:
- edge/llm_page_break.txt: a 4-page text (form feeds) with a repeated header, a dated version
  line and "Page N of 4" footers; `smoke_freq`'s code list runs from page 2 onto page 3.
- edge/llm_two_sections.txt: `state` is defined in two sections with different code lists.
"""

from __future__ import annotations

import re

import pytest

from harness.fixtures import fixture_path
from engine.llm.chunking import chunk_text, clean_lines, find_anchors, table_header
from engine.llm.source import dictionary_text
from engine.llm.tokens import estimate_tokens

PAGE_NAMES = ["age", "sex", "region", "income", "smoke_freq", "alcohol", "bmi", "visit_date"]


def _chunk_with(chunks, name):
    return next(c for c in chunks if name in c.names)


def test_token_estimate_is_offline_and_plausible():
    assert estimate_tokens("") == 0
    assert estimate_tokens("hello world") == 3            # 11 chars / 4, rounded up
    assert estimate_tokens("{1} Yes {0} No") >= 6         # codes: more than 14 chars / 4
    text = fixture_path("house-prices", "data_description.txt").read_text()
    assert 3000 <= estimate_tokens(text) <= 4500           # 13,370 characters


def test_page_headers_and_footers_are_dropped():
    lines = clean_lines(fixture_path("edge", "llm_page_break.txt").read_text())
    joined = "\n".join(lines)
    assert "Confidential" not in joined
    assert "Page 2 of 4" not in joined and "Version 3" not in joined
    # the code list that crossed the page break is contiguous now
    i = lines.index("        2\tWeekly")
    assert lines[i + 1] == "        3\tMonthly"


@pytest.mark.parametrize("budget", [60, 80, 100, 150])
def test_field_across_page_break_stays_whole(budget):
    text = fixture_path("edge", "llm_page_break.txt").read_text()
    chunks = chunk_text(text, PAGE_NAMES, budget=budget)
    assert [n for c in chunks for n in c.names] == PAGE_NAMES
    smoke = _chunk_with(chunks, "smoke_freq").text
    assert "counting cigarettes" in smoke
    for code in ("1\tDaily", "2\tWeekly", "3\tMonthly", "4\tLess than monthly", "9\tRefused"):
        assert code in smoke
    region = _chunk_with(chunks, "region").text
    assert "8\tDon't know" in region and "1\tNorth" in region
    assert all("Confidential" not in c.text for c in chunks)


def test_house_prices_code_lists_never_cut():
    """Every chunk starts at a `Name:` line and holds the whole code list of its fields."""
    text = fixture_path("house-prices", "data_description.txt").read_text()
    names = re.findall(r"^(\w+):", text, re.M)
    chunks = chunk_text(text, names, budget=400)
    assert len(chunks) >= 8
    assert [n for c in chunks for n in c.names] == names
    for c in chunks:
        assert re.match(r"\w+:", c.text), c.text[:80]
        assert c.tokens <= 400 or len(c.names) == 1
    neighborhood = _chunk_with(chunks, "Neighborhood").text
    assert "Blmngtn\tBloomington Heights" in neighborhood
    assert "Veenker\tVeenker" in neighborhood
    alley = _chunk_with(chunks, "Alley").text
    assert "NA \tNo alley access" in alley or "NA\tNo alley access" in alley


def test_redcap_pdf_chunks_keep_markers_with_their_questions():
    """The 90-page REDCap PDF: ~37k tokens, every `{[name] ...}` marker in the chunk that also
    holds its question text and choices; no page furniture."""
    text = dictionary_text(fixture_path("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf"))
    assert text.count("\f") == 89
    assert 33000 <= estimate_tokens(text) <= 40000
    names = re.findall(r"\{\[(\w+)\]", text)
    chunks = chunk_text(text, names, budget=1500)
    assert 25 <= len(chunks) <= 40
    assert sum(len(c.names) for c in chunks) == len(set(names)) == 585
    assert all(c.tokens <= 1500 for c in chunks)
    assert all("projectredcap.org" not in c.text for c in chunks)
    sex = _chunk_with(chunks, "cand_sex").text
    assert "Candidate sex {1} Male\n{2} Female\n{[cand_sex] radio Required}" in sex
    race = _chunk_with(chunks, "race_cand").text
    assert "{1} American Indian or Alaska Native" in race and "{98} Unknown\n{7} Other" in race
    for c in chunks[1:]:       # no chunk starts inside a code list or a branching-logic block
        first = c.text.lstrip().split("\n", 1)[0]
        assert not re.match(r"\{-?[\w.]+\}|\[|and |or ", first), first


def test_tabular_text_repeats_its_header():
    text = fixture_path("jhu-covid-vaccine-hesitancy", "data_dictionary.csv").read_text(
        encoding="utf-8-sig")
    assert table_header(text.splitlines()) == "Field Name,Format,Definition,Source"
    chunks = chunk_text(text, ["FIPS", "area_name", "State", "pop_cat"], budget=200)
    assert len(chunks) >= 3
    assert all(c.text.startswith("Field Name,Format,Definition,Source\n") for c in chunks)


def test_anchors_prefer_definitions_over_mentions():
    lines = ["The age of the respondent is recorded in age below.", "",
             "sex: Sex", "age: Age in years", "{[dob] text}"]
    anchors = find_anchors(lines, ["sex", "age", "dob"])
    assert anchors == {"sex": (2, True), "age": (3, True), "dob": (4, True)}


def test_no_names_and_empty_text():
    assert chunk_text("", ["a"]) == []
    chunks = chunk_text(fixture_path("german-credit", "german.doc").read_text(), budget=500)
    assert len(chunks) >= 3
    # "Attribute n:" blocks with their A-codes stay together
    assert any("Attribute 1:" in c.text and "A14 : no checking account" in c.text
               for c in chunks)


def test_docx_text_keeps_definitions_in_order():
    text = dictionary_text(fixture_path("ice-covid-outbreaks", "data_dictionary.docx"))
    assert text.index("Summary") < text.index("\nTerms\n") < text.index("\noperator_class: ")
    assert "cummulative_cases" in text


def test_a_last_line_longer_than_the_budget_is_a_chunk_of_its_own():
    """It used to raise IndexError: there is no line left to cut before."""
    long_line = "notes: " + "free text describing the study at great length " * 40
    text = "age: Age in years\nsex: Sex (1 = male; 2 = female)\n" + long_line
    chunks = chunk_text(text, ["age", "sex", "notes"], budget=60)
    assert chunks[-1].text.strip() == long_line.strip()
    assert " ".join(c.text for c in chunks).split() == text.split()

