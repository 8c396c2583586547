"""Field metadata a Data Package keeps beside `schema.fields`, in a list of its own.

Some publishers give `schema.fields` only names and types and describe the fields in a
non-standard list of objects in the same resource (or the package), keyed by name under any
key: `"bcodmo:parameters": [{"bcodmo:name": "depth", "bcodmo:description": "<p>Depth</p>",
"bcodmo:units": "meters"}]`.  Such a list is found by its values (one key's values are the
schema's field names), and its description, title and unit keys by their words (any key
holding sentences describes when no key says so).  HTML is stripped.
"""

from __future__ import annotations

from typing import Any, Iterator

from ...model import Field
from ._common import plain, roles

_ROLES = ("title", "description", "unit")
# unit values that say there is no unit
_NO_UNIT = {"unitless", "dimensionless", "none", "n/a", "na", "-", "no units", "no unit", "1"}
_MIN_ROLE_SCORE = 45
_MAX_DEPTH = 2


def merge_side_lists(fields: list[Field], resource: dict, package: dict | None) -> None:
    """Fill the fields' missing description, title and unit from a side list of the resource
    (else of the package)."""
    names = {f.name.casefold(): f for f in fields}
    for holder in (resource, package):
        if not isinstance(holder, dict):
            continue
        found = _best_list(holder, names)
        if found is not None:
            _apply(found[0], found[1], names)
            return


def fill_from_extras(f: Field) -> None:
    """A field's own non-standard keys that say its unit, title or description
    (`"units": "m"`, `"bcodmo:description"`) fill what the standard keys leave empty."""
    for key, value in list(f.extras.items()):
        text = plain(_text(value))
        words = {r: s for r, s in roles(key).items() if r in _ROLES and s >= _MIN_ROLE_SCORE}
        if not text or not words:
            continue
        role = max(words, key=words.get)
        if role == "unit" and not f.unit and text.lower() not in _NO_UNIT:
            f.unit = text
        elif role == "title" and not f.title:
            f.title = text
        elif role == "description" and not f.description:
            f.description = text


def _object_lists(obj: dict, depth: int = 0) -> Iterator[list[dict]]:
    """Lists of objects inside `obj`, not under `schema` or `resources` (the standard parts)."""
    for key, value in obj.items():
        if key in ("schema", "resources", "fields"):
            continue
        if isinstance(value, list):
            items = [v for v in value if isinstance(v, dict)]
            if items:
                yield items
        elif isinstance(value, dict) and depth < _MAX_DEPTH:
            yield from _object_lists(value, depth + 1)


def _best_list(holder: dict, names: dict[str, Field]) -> tuple[list[dict], str] | None:
    """(list, name key) whose name key's values match most field names: at least half of
    the shorter of the list and the fields."""
    best: tuple[int, list[dict], str] | None = None
    for items in _object_lists(holder):
        keys = dict.fromkeys(k for d in items for k, v in d.items() if isinstance(v, str))
        for k in keys:
            hits = sum(1 for d in items if str(d.get(k, "")).strip().casefold() in names)
            if hits * 2 >= min(len(items), len(names)) and hits and (
                    best is None or hits > best[0]):
                best = (hits, items, k)
    return (best[1], best[2]) if best else None


def _apply(items: list[dict], name_key: str, names: dict[str, Field]) -> None:
    """Copy the role keys' texts onto the fields they name, where the field has none."""
    keys = _role_keys(items, name_key)
    for d in items:
        f = names.get(str(d.get(name_key, "")).strip().casefold())
        if f is None:
            continue
        for role, key in keys.items():
            value = plain(_text(d.get(key)))
            if not value:
                continue
            if role == "unit" and not f.unit:
                f.unit = None if value.lower() in _NO_UNIT else value
            elif role == "title" and not f.title:
                f.title = value
            elif role == "description" and not f.description:
                f.description = value


def _role_keys(items: list[dict], name_key: str) -> dict[str, str]:
    """role -> key by the keys' words; else the key most often holding sentences describes."""
    keys = [k for k in dict.fromkeys(k for d in items for k in d) if k != name_key]
    out: dict[str, str] = {}
    scored = sorted(((s, i, r, k) for i, k in enumerate(keys) for r, s in roles(k).items()
                     if r in _ROLES and s >= _MIN_ROLE_SCORE), key=lambda p: (-p[0], p[1]))
    for _, _, role, key in scored:
        if role not in out and key not in out.values():
            out[role] = key
    if "description" not in out:
        spaced = {k: sum(" " in (_text(d.get(k)) or "") for d in items) for k in keys
                  if k not in out.values()}
        best = max(spaced, key=spaced.get, default=None)
        if best is not None and spaced[best] * 2 >= len(items):
            out["description"] = best
    return out


def _text(value: Any) -> str | None:
    """A string value (numbers too); other values are no text."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None
