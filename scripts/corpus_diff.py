#!/usr/bin/env python3
"""Parse the dictionary corpus and compare two runs field by field.

    python scripts/corpus_diff.py snapshot OUTDIR [--root ../shared/data/dictionaries]
    python scripts/corpus_diff.py compare BEFORE_DIR AFTER_DIR

`snapshot` parses every dictionary file of the corpus with the rules (no LLM) and writes one
Table Schema JSON per file (or the error message).  `compare` lists, per file, the fields lost
or gained and every property of a kept field that changed, so a parser change can be shown to
lose nothing on the corpus it was not aimed at.  Exit status 1 when anything was lost.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The dictionaries of ../shared/data/dictionaries (the other files there are datasets).
CORPUS = (
    "college-scorecard/CollegeScorecardDataDictionary.xlsx",
    "country-codes/datapackage.yml",
    "fhir-questionnaire/fhir_questionnaire_with_logic.json",
    "fivethirtyeight-primary-candidates-2018/README.md",
    "german-credit/german.doc",
    "gss-happiness-extract/1972_2014.ddi3.xml",
    "gss-happiness-extract/GSS.dct",
    "gss-happiness-extract/GSS.sps",
    "house-prices/data_description.txt",
    "ice-covid-outbreaks/data_dictionary.docx",
    "jhu-covid-vaccine-hesitancy/data_dictionary.csv",
    "material-intensity-buildings/codebook.csv",
    "material-intensity-buildings/codebook.md",
    "nyc-taxi-yellow/data_dictionary_trip_records_yellow.pdf",
    "redcap-iedea/Harmonist0BCodeLists_2017-12-21_1148.REDCap.xml",
    "redcap-iedea/IeDEA_tblCENTER_2020-06-30.csv",
    "redcap-ltc-promise-pdf/LTCPROMISE8314QC.pdf",
    "uci-adult/adult.names",
    "uci-heart-disease/heart-disease.names",
)
# properties whose change is not a loss (provenance and parse bookkeeping)
_IGNORED = {"origin"}


def snapshot(root: Path, out: Path) -> None:
    """Parse each corpus file and write `<case>__<file>.json` into `out`."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from engine.errors import InputError
    from engine.parsers import parse_dictionary

    out.mkdir(parents=True, exist_ok=True)
    for rel in CORPUS:
        path = root / rel
        try:
            result = parse_dictionary(path)
            doc = {"format": result.format, "warnings": result.warnings,
                   "schema": result.schema.to_descriptor()}
        except InputError as exc:
            doc = {"error": str(exc)}
        target = out / (rel.replace("/", "__") + ".json")
        target.write_text(json.dumps(doc, indent=1, ensure_ascii=False, default=str))
        n = len(doc.get("schema", {}).get("fields", []))
        print(f"{rel}: " + (doc.get("error") or f"{n} fields ({doc['format']})"))


def _fields(doc: dict) -> dict[str, dict]:
    return {f["name"]: f for f in doc.get("schema", {}).get("fields", [])}


def compare(before: Path, after: Path) -> int:
    """Print what changed between two snapshots; the number of losses."""
    losses = 0
    for b in sorted(before.glob("*.json")):
        a = after / b.name
        old = json.loads(b.read_text())
        new = json.loads(a.read_text()) if a.exists() else {"error": "missing from the new run"}
        name = b.name[:-5].replace("__", "/")
        if new.get("error") and not old.get("error"):
            print(f"{name}: LOST everything: {new['error']}")
            losses += 1
            continue
        fo, fn = _fields(old), _fields(new)
        lost = [n for n in fo if n not in fn]
        gained = [n for n in fn if n not in fo]
        lines = []
        if lost:
            losses += len(lost)
            lines.append(f"  lost {len(lost)} fields: {', '.join(lost[:20])}")
        if gained:
            lines.append(f"  gained {len(gained)} fields: {', '.join(gained[:20])}")
        for n in fo.keys() & fn.keys():
            for key in sorted((fo[n].keys() | fn[n].keys()) - _IGNORED):
                if fo[n].get(key) != fn[n].get(key):
                    gone = key in fo[n] and key not in fn[n]
                    losses += gone
                    tag = "LOST" if gone else "changed"
                    lines.append(f"  {n}.{key} {tag}: {json.dumps(fo[n].get(key))[:150]} -> "
                                 f"{json.dumps(fn[n].get(key))[:150]}")
        print(f"{name}: {len(fo)} -> {len(fn)} fields" + ("" if lines else " (same)"))
        for line in sorted(lines):
            print(line)
    print(f"corpus losses={losses}")
    return losses


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2]
                   / "shared" / "data" / "dictionaries")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "snapshot":
        snapshot(args.root, args.out)
    else:
        sys.exit(1 if compare(args.before, args.after) else 0)


if __name__ == "__main__":
    main()
