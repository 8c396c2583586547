"""SIMULATOR answers: a plausible structured reading of a dictionary chunk (heuristics only)."""

from __future__ import annotations

import re
from typing import Any

_MARKER = re.compile(r"\{\[(\w+)\]\s*(\w+)?([^}]*)\}?")
_REDCAP_CODE = re.compile(r"\{(-?[\w.]+)\}\s*([^{}]*)")
_NAME_LINE = re.compile(r"^\s*[`*]*([A-Za-z][\w.]{0,63})[`*]*\s*:\s*(.*)$")
_CODE_LINE = re.compile(r"^(?:\s+(\S+)\s*(?:\t+|\s{2,}|=|:)\s*(.+)|\s*(-?\d+(?:\.\d+)?)\s*[=:]\s*(.+))$")
_MISSING = re.compile(r"refused|don'?t know|not applicable|no answer|missing|\bn/?a\b", re.I)
_HINT = re.compile(r"found these field names in this part;[^:]*:\s*(.+)")


def answer_fields(text: str, hint_names: list[str]) -> list[dict[str, Any]]:
    """Fields read heuristically from `text`, in the Table Schema shape the engine asks for."""
    out: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    pending_text: list[str] = []
    pending_codes: list[tuple[str, str]] = []
    for line in text.splitlines():
        marker = _MARKER.search(line)
        if marker:
            cur = _new_field(marker.group(1), " ".join(pending_text), marker.group(3) or "")
            cur["type"] = _redcap_type(marker.group(2) or "", marker.group(3) or "")
            for code in pending_codes + _REDCAP_CODE.findall(_MARKER.sub("", line)):
                _add_code(cur, *code)
            out.append(cur)
            pending_text, pending_codes = [], []
            continue
        codes = _REDCAP_CODE.findall(line)
        if codes:
            target = pending_codes if pending_text or cur is None else None
            for code in codes:
                _add_code(cur, *code) if target is None else target.append(code)
            lead = line.split("{", 1)[0].strip()
            if lead:
                pending_text.append(lead)
            continue
        named, coded = _NAME_LINE.match(line), _CODE_LINE.match(line)
        if named and not coded:
            cur = _new_field(named.group(1), named.group(2), "")
            out.append(cur)
            pending_text, pending_codes = [], []
        elif coded and cur is not None:
            value = coded.group(1) or coded.group(3)
            _add_code(cur, value, coded.group(2) or coded.group(4))
        elif line.strip() and not line.lstrip().startswith(("{", "___")):
            pending_text.append(line.strip())
    seen = {f["name"] for f in out}
    out.extend(_new_field(n, "", "") for n in hint_names if n not in seen)
    for f in out:
        if f["categories"] and f["type"] in ("any", "string"):
            numeric = all(re.fullmatch(r"-?\d+", c["value"]) for c in f["categories"])
            f["type"] = "integer" if numeric else "string"
    return out


def _new_field(name: str, description: str, spec: str) -> dict[str, Any]:
    lo = re.search(r"Min:\s*(-?[\d.]+)", spec)
    hi = re.search(r"Max:\s*(-?[\d.]+)", spec)
    return {"name": name, "title": None, "description": description.strip() or None,
            "type": "any", "unit": None, "categories": [], "missingValues": [],
            "minimum": float(lo.group(1)) if lo else None,
            "maximum": float(hi.group(1)) if hi else None,
            "required": True if "Required" in spec else None}


def _add_code(f: dict[str, Any] | None, value: str, label: str) -> None:
    if f is None:
        return
    label = " ".join(label.split()) or None
    slot = "missingValues" if label and _MISSING.search(label) else "categories"
    if all(c["value"] != value for c in f["categories"] + f["missingValues"]):
        f[slot].append({"value": value, "label": label})


def _redcap_type(kind: str, spec: str) -> str:
    if "datetime" in spec:
        return "datetime"
    if "date" in spec:
        return "date"
    if "integer" in spec:
        return "integer"
    if "float" in spec or "number" in spec:
        return "number"
    return "string" if kind in ("text", "notes") else "any"


def chunk_of(body: dict[str, Any]) -> tuple[str, list[str]]:
    """The dictionary text and rule-based name hints of a chat request."""
    user = [m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "user"]
    content = next((u for u in user if "<<<DICTIONARY" in u), user[0] if user else "")
    m = re.search(r"<<<DICTIONARY\n(.*)\nDICTIONARY>>>", content, re.S)
    hint = _HINT.search(content)
    names = [n.strip() for n in hint.group(1).split(", ")] if hint else []
    return (m.group(1) if m else content), names
