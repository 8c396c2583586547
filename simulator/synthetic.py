"""Seeded synthetic dictionaries for SIMULATOR tests and benchmarks (not real codebooks)."""

from __future__ import annotations

import random

from engine.model import Category, Field, Schema

_WORDS = ("household", "income", "visit", "status", "region", "score", "dose", "weight",
          "smoker", "employment", "education", "insurance", "diagnosis", "language", "tenure")
_LABELS = ("Yes", "No", "Sometimes", "Often", "Never", "Rarely", "Always", "Other")


def synthetic_dictionary(fields: int, *, codes: int = 3, seed: int = 42,
                         marker: dict[int, str] | None = None) -> tuple[str, Schema]:
    """A `NAME: description` dictionary of `fields` fields with `codes` codes each, and the
    rule-based schema a parser would read from it.  `marker` adds a line (e.g. a simulator
    fault directive) to the description of the fields at the given indexes."""
    rng = random.Random(seed)
    blocks, out = [], []
    for i in range(fields):
        name = f"{rng.choice(_WORDS)}_{i:04d}"
        desc = f"Question {i}: how the respondent rates {rng.choice(_WORDS)} and {rng.choice(_WORDS)}"
        if marker and i in marker:
            desc += f" {marker[i]}"
        cats = [Category(str(k + 1), _LABELS[k % len(_LABELS)]) for k in range(codes)]
        lines = [f"{name}: {desc}", ""]
        lines += [f"        {c.value}\t{c.label}" for c in cats]
        lines += ["        9\tRefused", ""]
        blocks.append("\n".join(lines))
        out.append(Field(name, description=desc, type="integer", categories=cats + [
            Category("9", "Refused")]))
    return "\n".join(blocks), Schema(fields=out)
