"""The SIMULATOR's answers and latency specs, in process (its server: limits, faults, counters,
in a thread and as a subprocess: tests/integration/test_simulator.py)."""

from __future__ import annotations

import pytest

from simulator import answer_fields
from simulator.server import draw_latency, parse_latency


def test_answers_house_prices_style():
    text = ("MSZoning: Identifies the general zoning classification of the sale.\n\t\t\n"
            "       A\tAgriculture\n       C\tCommercial\n\n"
            "LotFrontage: Linear feet of street connected to property\n\n"
            "Alley: Type of alley access to property\n\n       Grvl\tGravel\n"
            "       NA \tNo alley access\n")
    fields = {f["name"]: f for f in answer_fields(text, ["MSZoning", "LotFrontage", "Alley", "Gone"])}
    assert list(fields) == ["MSZoning", "LotFrontage", "Alley", "Gone"]
    assert fields["MSZoning"]["categories"] == [{"value": "A", "label": "Agriculture"},
                                                {"value": "C", "label": "Commercial"}]
    assert fields["MSZoning"]["type"] == "string"
    # "NA  No alley access" is a real category; only missing-sounding labels go to missingValues
    assert fields["Alley"]["categories"][-1] == {"value": "NA", "label": "No alley access"}
    assert fields["Alley"]["missingValues"] == []
    assert fields["LotFrontage"]["description"] == "Linear feet of street connected to property"


def test_answers_redcap_pdf_style():
    text = ("Candidate sex {1} Male\n{2} Female\n{[cand_sex] radio Required}\n"
            "{Branching logic (show if): [ie_criteria] = '1'}\n"
            "Candidate ethnicity {1} Hispanic/Latino\n{2} Not Hispanic/Latino\n{98} Unknown\n"
            "{[cand_eth] radio Required}\n"
            "Z-score for hip\n__________________________________\n"
            "{[z_score_hip] text (float Min: -5 Max: 4)}\n")
    fields = answer_fields(text, [])
    assert [f["name"] for f in fields] == ["cand_sex", "cand_eth", "z_score_hip"]
    sex = fields[0]
    assert sex["description"] == "Candidate sex" and sex["required"] is True
    assert [c["value"] for c in sex["categories"]] == ["1", "2"] and sex["type"] == "integer"
    assert fields[2]["type"] == "number" and (fields[2]["minimum"], fields[2]["maximum"]) == (-5, 4)


def test_latency_specs():
    assert parse_latency("2") == ("fixed", [2.0])
    assert parse_latency("uniform:1,3") == ("uniform", [1.0, 3.0])
    import random
    rng = random.Random(1)
    assert all(1 <= draw_latency(parse_latency("uniform:1,3"), rng) <= 3 for _ in range(50))
    assert draw_latency(parse_latency("normal:0,1"), rng) >= 0
    with pytest.raises(ValueError, match="uniform:1,3"):
        parse_latency("gamma:1")
