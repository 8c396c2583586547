"""The dictionaries and files the run sends: heavy dictionaries of exactly --chunks chunks,
the small fairness job, the light user's CSV and dictionary, warm-up files."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from engine.llm import dictionary_text
from engine.llm.chunking import chunk_text
from engine.pipeline.steps import parse_file
from simulator.synthetic import synthetic_dictionary

from .common import BUDGET, HEAVY_SEED0, SMALL_CHUNKS


def app_chunks(path: Path, budget: int) -> int:
    """The number of chunks the app will cut this file into (its own rules parse + text)."""
    rules = parse_file(path).schema
    return len(chunk_text(dictionary_text(path), rules.names, budget=budget))


def fields_for(chunks: int, seeds: list[int], budget: int) -> int:
    """A field count that gives exactly `chunks` chunks for every seed (synthetic rules)."""
    start = max(1, int(chunks * 8.6 * budget / 400) - 4 * chunks)
    for fields in range(start, start + 30 * chunks + 40):
        ok = True
        for seed in seeds:
            text, rules = synthetic_dictionary(fields, codes=3, seed=seed)
            if len(chunk_text(text, rules.names, budget=budget)) != chunks:
                ok = False
                break
        if ok:
            return fields
    raise RuntimeError(f"no field count gives {chunks} chunks for all seeds at budget {budget}")


@dataclass
class Workload:
    work: Path
    heavy: list[Path]
    heavy_fields: int
    small_fields: int
    small_seeds: dict[str, int]
    light_csv: Path
    light_dict: Path
    warm_rules: Path
    warm_llm: Path

    def small(self, name: str) -> Path:
        p = self.work / f"small_{name}.txt"
        if not p.exists():
            text, _ = synthetic_dictionary(self.small_fields, codes=3,
                                           seed=self.small_seeds[name])
            p.write_text(text)
        return p


def build_workload(work: Path, users: int, chunks: int, old_users: int) -> Workload:
    seeds = [HEAVY_SEED0 + i for i in range(max(users, old_users))]
    heavy_fields = fields_for(chunks, seeds, BUDGET)
    small_seeds = {name: 500 + i for i, name in enumerate(
        ["baseline", "load", "warm"] + [f"overload{i}" for i in range(16)])}
    small_fields = fields_for(SMALL_CHUNKS, list(small_seeds.values()), BUDGET)
    heavy = []
    for seed in seeds:
        text, _ = synthetic_dictionary(heavy_fields, codes=3, seed=seed)
        p = work / f"heavy_{seed}.txt"
        p.write_text(text)
        heavy.append(p)
    # the app cuts what it parses itself: check a sample of files end to end
    for p in heavy[:: max(1, len(heavy) // 10)] + heavy[-1:]:
        n = app_chunks(p, BUDGET)
        if n != chunks:
            raise RuntimeError(f"{p.name}: the app would cut it into {n} chunks, not {chunks}")
    wl = Workload(work, heavy, heavy_fields, small_fields, small_seeds, work / "light.csv",
                  work / "light_dictionary.txt", work / "warm_rules.txt",
                  work / "warm_llm.txt")
    for name in ("baseline", "load"):
        if app_chunks(wl.small(name), BUDGET) != SMALL_CHUNKS:
            raise RuntimeError("the small job is not 2 chunks")
    with open(wl.light_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "age", "sex", "region", "income", "smoker"])
        for i in range(200):
            w.writerow([i + 1, 18 + (i * 7) % 60, i % 2, ["N", "S", "E", "W"][i % 4],
                        1000 + (i * 37) % 5000, ["yes", "no"][i % 3 == 0]])
    text, _ = synthetic_dictionary(8, codes=3, seed=7)
    wl.light_dict.write_text(text)
    wl.warm_rules.write_text("age: age in years\nsex: sex (1 = male; 0 = female)\n")
    text, _ = synthetic_dictionary(3, codes=3, seed=3)
    wl.warm_llm.write_text(text)
    return wl
