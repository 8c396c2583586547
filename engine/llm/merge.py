"""Fold the LLM's per-chunk answers into the rule-based schema, in document order.

Each rule-based field belongs to the chunk its name was found in (a field whose name was not
found follows the field before it).  A chunk with an LLM answer contributes the LLM's fields,
each completed by the rule field of the same name (code lists united, the fuller description
kept, the LLM's type, unit and bounds first), with the rule fields the LLM did not mention kept
in their place: nothing the rules found is lost.  A chunk without an answer (pending, failed,
past the deadline) contributes its rule fields unchanged.  A name seen in two chunks is merged
into its first place.  Every field records `extras["origin"] = {"parser": "llm"|"rules",
"chunk": i}`.
"""

from __future__ import annotations

import bisect
import pickle
import re
from collections import Counter
from dataclasses import dataclass, replace

from ..model import (Field, PackedSchema, Schema, merge_field, pack_fields, share_cells,
                     table_rows, unpack_fields)
from .chunking import Chunk


class Merger:
    """Incremental merge for one job: each chunk's part is computed once, when it arrives, so
    an update costs one pass over the fields however many chunks are done.  Parts are kept
    packed (`pack_fields`): a job waits seconds to minutes for its answers, many jobs at once,
    and as objects their fields would be most of what the serving process holds."""

    def __init__(self, rules: Schema | PackedSchema | MergedSchema, chunks: list[Chunk]) -> None:
        """`rules`: the rule-based schema, or `split_rules(rules, chunks)` made already (e.g.
        in a worker process)."""
        start = rules if isinstance(rules, MergedSchema) else split_rules(rules, chunks)
        if len(start.parts) != max(1, len(chunks)):
            raise ValueError(f"the rules were split for {len(start.parts)} chunks, "
                             f"not {len(chunks)}")
        self._missing = start.missing_values
        self._extras = start.extras
        self._rule_parts = list(start.parts)
        self._parts = list(start.parts)
        self._rows = list(start.rows)

    def add(self, chunk: int, answer: list[Field]) -> None:
        """Fold in one chunk's LLM answer."""
        fields = _interleave(answer, unpack_fields(self._rule_parts[chunk]))
        self._parts[chunk] = pack_fields(fields)
        self._rows[chunk] = _pack_rows(fields)

    def snapshot(self) -> MergedSchema:
        """The merge as it stands (cheap: the packed parts are shared, never changed)."""
        return MergedSchema(tuple(self._parts), self._missing, self._extras, tuple(self._rows))

    def schema(self) -> Schema:
        """The merged schema so far."""
        return self.snapshot().schema()


@dataclass(frozen=True)
class MergedSchema:
    """A merge at one moment, packed: each part's fields, and (`rows`) their table rows with
    the loose keys of their names (`_pack_rows`).  `schema()` unpacks and folds it (new objects
    on each call, about half a millisecond for 80 fields); `table()` is its fields table."""

    parts: tuple[bytes, ...]
    missing_values: list[str] | None
    extras: dict
    rows: tuple[bytes, ...]

    def schema(self) -> Schema:
        seq = [f for part in self.parts for f in unpack_fields(part)]
        return Schema(fields=_fold(seq), missing_values=self.missing_values,
                      extras=dict(self.extras))

    def table(self) -> list[list[str]]:
        """The fields table of `schema()` (`field_table`), from the rows packed with the parts,
        so that a step's table costs the serving thread no unpacking nor folding of the whole
        job's fields.  Only fields whose
        names fold together (alike but for case and punctuation: a field an answer repeats from
        the next chunk) are unpacked and folded (`_fold` joins no fields of unlike keys)."""
        keys: list[str] = []
        rows: list[list[str]] = []
        ends: list[int] = []        # where each part's rows end
        for part in self.rows:
            part_keys, part_rows = pickle.loads(part)
            keys += part_keys
            rows += part_rows
            ends.append(len(rows))
        repeated = {k for k, n in Counter(keys).items() if n > 1}
        if repeated:
            at = [i for i, k in enumerate(keys) if k in repeated]
            fields: dict[int, Field] = {}
            for n in sorted({bisect.bisect_right(ends, i) for i in at}):
                start = ends[n - 1] if n else 0
                fields.update(enumerate(unpack_fields(self.parts[n]), start))
            entries = _fold_indexed([fields[i] for i in at])
            folded = dict(zip((at[j] for j, _ in entries), table_rows(f for _, f in entries)))
            rows = [folded[i] if i in folded else row
                    for i, row in enumerate(rows) if keys[i] not in repeated or i in folded]
        return share_cells(rows)


def split_rules(rules: Schema | PackedSchema, chunks: list[Chunk]) -> MergedSchema:
    """Where a merge starts: the rule fields of each chunk, marked as such, packed (a
    picklable step: the app makes it in a worker process, with the chunks, so the serving
    process never holds a job's rules as objects)."""
    if isinstance(rules, PackedSchema):
        rules = rules.unpack()
    by_chunk = _rules_by_chunk(rules, chunks)
    fields = [[_as_rule(f, i) for f in by_chunk.get(i, [])] for i in range(max(1, len(chunks)))]
    return MergedSchema(tuple(map(pack_fields, fields)), rules.missing_values, rules.extras,
                        tuple(map(_pack_rows, fields)))


def _pack_rows(fields: list[Field]) -> bytes:
    """The table rows of `fields` and the loose keys of their names, packed (see
    MergedSchema.table)."""
    return pickle.dumps(([name_key(f.name) for f in fields], table_rows(fields)),
                        protocol=pickle.HIGHEST_PROTOCOL)


def merge_schema(rules: Schema, chunks: list[Chunk], answers: dict[int, list[Field]]) -> Schema:
    """The rules schema with the LLM answers of the chunks in `answers` folded in."""
    merger = Merger(rules, chunks)
    for i, answer in answers.items():
        merger.add(i, answer)
    return merger.schema()


def name_key(name: str) -> str:
    """Loose identity of a field name: case and punctuation ignored."""
    return re.sub(r"[\W_]+", "", name).casefold() or name


def _rules_by_chunk(rules: Schema, chunks: list[Chunk]) -> dict[int, list[Field]]:
    """Rule fields grouped by the chunk they were found in (unfound ones follow their
    predecessor)."""
    home = {name: c.index for c in chunks for name in c.names}
    out: dict[int, list[Field]] = {}
    current = 0
    for f in rules.fields:
        current = home.get(f.name, current)
        out.setdefault(current, []).append(f)
    return out


def _as_rule(f: Field, chunk: int) -> Field:
    """`f` marked as the rules' field of `chunk` (its lists and constraints are shared: the
    merge makes new ones, never changes them)."""
    origin = {**(f.extras.get("origin") or {}), "parser": "rules", "chunk": chunk}
    return replace(f, extras={**f.extras, "origin": origin})


def _interleave(llm: list[Field], rule_fields: list[Field]) -> list[Field]:
    """LLM fields in their order, each completed by its rule twin; unmatched rule fields are
    kept just before the next matched one (or at the end)."""
    index = {}
    for pos, f in enumerate(rule_fields):
        index.setdefault(f.name, pos)
        index.setdefault(name_key(f.name), pos)
    out: list[Field] = []
    emitted = [False] * len(rule_fields)
    for f in llm:
        pos = index.get(f.name, index.get(name_key(f.name)))
        if pos is None or emitted[pos]:
            out.append(f)
            continue
        for p in range(pos):
            if not emitted[p]:
                out.append(rule_fields[p])
                emitted[p] = True
        emitted[pos] = True
        out.append(combine(replace(f, name=rule_fields[pos].name), rule_fields[pos]))
    out.extend(f for p, f in enumerate(rule_fields) if not emitted[p])
    return out


def _fold(fields: list[Field]) -> list[Field]:
    """Merge fields sharing a name into the first place (an LLM definition leads).  An LLM
    name that differs from an earlier one only in case or punctuation takes the earlier name.
    (Only fields of one `name_key` are ever joined.)"""
    return [f for _, f in _fold_indexed(fields)]


def _fold_indexed(fields: list[Field]) -> list[tuple[int, Field]]:
    """`_fold`, each result with the index in `fields` of the field that holds its place."""
    at: dict[str, int] = {}
    out: list[Field] = []
    first: list[int] = []
    loose: dict[str, int] | None = None       # built on the first LLM name with no exact twin
    for pos, f in enumerate(fields):
        i = at.get(f.name)
        if i is None and _is_llm(f):
            if loose is None:
                loose = {}
                for j, g in enumerate(out):
                    loose.setdefault(name_key(g.name), j)
            i = loose.get(name_key(f.name))
            if i is not None:
                f = replace(f, name=out[i].name)
        if i is None:
            at[f.name] = len(out)
            if loose is not None:
                loose.setdefault(name_key(f.name), len(out))
            out.append(f)
            first.append(pos)
        elif _is_llm(f) and not _is_llm(out[i]):
            out[i] = combine(f, out[i])
        else:
            out[i] = combine(out[i], f)
    return list(zip(first, out))


def combine(lead: Field, other: Field) -> Field:
    """`merge_field(lead, other)`, where `lead` decides whether a code is a category or a
    missing-value code."""
    out = merge_field(lead, other)
    lead_missing = {c.value for c in lead.missing_values}
    lead_cats = {c.value for c in lead.categories}
    out.categories = [c for c in out.categories if c.value not in lead_missing]
    out.missing_values = [c for c in out.missing_values if c.value not in lead_cats]
    out.extras = dict(out.extras)
    return out


def _is_llm(f: Field) -> bool:
    return (f.extras.get("origin") or {}).get("parser") == "llm"
