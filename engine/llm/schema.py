"""The LLM's answer: a JSON Schema for strict structured output, its pydantic twin, and Fields.

The JSON Schema is written by hand because strict mode wants every property listed in
`required`, `additionalProperties: false` everywhere and nullable values spelled as
`["string", "null"]`.  The pydantic models are lenient on purpose: servers that only know
`json_object` answer in roughly that shape (numbers for codes, strings for bounds, a bare list),
and what can be read sensibly is accepted.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field as PField, ValidationError, field_validator

from ..model import Category, Field

LLM_TYPES = ("string", "number", "integer", "boolean", "date", "datetime", "time", "year",
             "yearmonth", "duration", "any")
_TYPE_SYNONYMS = {
    "str": "string", "text": "string", "char": "string", "categorical": "string",
    "float": "number", "double": "number", "numeric": "number", "decimal": "number",
    "int": "integer", "count": "integer", "bool": "boolean", "timestamp": "datetime",
}

_CODE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value", "label"],
    "properties": {
        "value": {"type": "string", "description": "the code exactly as written in the data"},
        "label": {"type": ["string", "null"]},
    },
}
FIELD_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "title", "description", "type", "unit", "categories",
                 "missingValues", "minimum", "maximum", "required"],
    "properties": {
        "name": {"type": "string"},
        "title": {"type": ["string", "null"]},
        "description": {"type": ["string", "null"]},
        "type": {"type": "string", "enum": list(LLM_TYPES)},
        "unit": {"type": ["string", "null"]},
        "categories": {"type": "array", "items": _CODE_SCHEMA},
        "missingValues": {"type": "array", "items": _CODE_SCHEMA},
        "minimum": {"type": ["number", "null"]},
        "maximum": {"type": ["number", "null"]},
        "required": {"type": ["boolean", "null"]},
    },
}
RESULT_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fields"],
    "properties": {"fields": {"type": "array", "items": FIELD_JSON_SCHEMA}},
}


def response_format(mode: str) -> dict[str, Any] | None:
    """The `response_format` request parameter for 'json_schema', 'json_object' or 'none'."""
    if mode == "json_schema":
        return {"type": "json_schema",
                "json_schema": {"name": "codebook_fields", "strict": True,
                                "schema": RESULT_JSON_SCHEMA}}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


class LLMCode(BaseModel):
    """One code: value as written in the data, and its label."""

    model_config = ConfigDict(extra="ignore")
    value: str
    label: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value_text(cls, v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return "" if v is None else str(v).strip()

    @field_validator("label", mode="before")
    @classmethod
    def _label_text(cls, v: Any) -> str | None:
        return None if v in (None, "") else str(v).strip()


class LLMField(BaseModel):
    """One field as the LLM describes it (Table Schema shape, flattened)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    name: str
    title: str | None = None
    description: str | None = None
    type: str = "any"
    unit: str | None = None
    categories: list[LLMCode] = PField(default_factory=list)
    missing_values: list[LLMCode] = PField(default_factory=list, alias="missingValues")
    minimum: float | None = None
    maximum: float | None = None
    required: bool | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v: Any) -> str:
        text = "" if v is None else str(v).strip().strip("`'\"[]{}")
        if not text:
            raise ValueError("a field without a name")
        return text

    @field_validator("title", "description", "unit", mode="before")
    @classmethod
    def _opt_text(cls, v: Any) -> str | None:
        return None if v in (None, "") else str(v).strip() or None

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> str:
        t = str(v or "any").strip().lower()
        t = _TYPE_SYNONYMS.get(t, t)
        return t if t in LLM_TYPES else "any"

    @field_validator("categories", "missing_values", mode="before")
    @classmethod
    def _codes(cls, v: Any) -> list[Any]:
        if v is None:
            return []
        if isinstance(v, dict):  # {"1": "Yes", "2": "No"}
            return [{"value": k, "label": lab} for k, lab in v.items()]
        return [c if isinstance(c, dict) else {"value": c} for c in v]

    @field_validator("minimum", "maximum", mode="before")
    @classmethod
    def _bound(cls, v: Any) -> float | None:
        try:
            return None if v in (None, "") else float(v)
        except (TypeError, ValueError):
            return None


class LLMResult(BaseModel):
    """The whole answer for one chunk."""

    model_config = ConfigDict(extra="ignore")
    fields: list[LLMField] = PField(default_factory=list)


class OutputError(ValueError):
    """The model's answer is not usable JSON of the expected shape."""


def parse_output(content: str | None, *, truncated: bool = False) -> LLMResult:
    """Validate the model's message content; OutputError says what was wrong with it."""
    if truncated:
        raise OutputError("the answer was cut off (the model hit its output limit)")
    if not content or not content.strip():
        raise OutputError("the answer was empty")
    try:
        data = json.loads(_strip_fences(content))
    except json.JSONDecodeError as exc:
        raise OutputError(f"the answer is not valid JSON ({exc.msg} at character {exc.pos})")
    if isinstance(data, list):
        data = {"fields": data}
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise OutputError('the answer has no "fields" list')
    try:
        return LLMResult.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise OutputError(f"the answer does not match the schema ({where}: {first['msg']})")


def _strip_fences(text: str) -> str:
    """Remove a Markdown code fence some models wrap JSON in."""
    t = text.strip()
    if t.startswith("```"):
        t = t.split("\n", 1)[1] if "\n" in t else ""
        if t.rstrip().endswith("```"):
            t = t.rstrip()[:-3]
    return t


def to_field(f: LLMField, chunk: int) -> Field:
    """An engine Field from the LLM's description, marked as produced by chunk `chunk`."""
    constraints: dict[str, Any] = {}
    for key in ("minimum", "maximum"):
        v = getattr(f, key)
        if v is not None:
            constraints[key] = int(v) if float(v).is_integer() else v
    if f.required:
        constraints["required"] = True
    missing = [Category(c.value, c.label) for c in f.missing_values if c.value != ""]
    missing_values = {c.value for c in missing}
    cats = [Category(c.value, c.label) for c in f.categories
            if c.value != "" and c.value not in missing_values]
    return Field(name=f.name, title=f.title, description=f.description, type=f.type,
                 unit=f.unit, categories=cats, constraints=constraints,
                 missing_values=missing, extras={"origin": {"parser": "llm", "chunk": chunk}})


def fields_to_json(fields: list[LLMField]) -> str:
    """The validated fields as compact JSON (what the cache stores)."""
    return json.dumps([f.model_dump(by_alias=True) for f in fields], separators=(",", ":"))


def fields_from_json(text: str) -> list[LLMField]:
    """Read back what `fields_to_json` wrote."""
    return LLMResult.model_validate({"fields": json.loads(text)}).fields
