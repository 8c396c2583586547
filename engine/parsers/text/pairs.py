"""Fields the running text reads beside the document's own markup.

An entry may name several variables (`a_1, a_2 (type: int): …`): one field each.  A
term/definition pair the document marks up (HTML `<dl>`, Word's bold term paragraphs) bounds
its field's text where the running text's reading ran past it.
"""

from __future__ import annotations

from dataclasses import replace

from ...model import Field
from .names import expand_names

__all__ = ["one_per_name", "pairs_bound"]


def one_per_name(field: Field) -> list[Field]:
    """One field per name of an entry that names several (`a_1, a_2 (type: int): …`)."""
    names = expand_names(field.name) if "," in field.name else [field.name]
    if len(names) < 2:
        return [field]
    return [replace(field, name=n, categories=list(field.categories),
                    missing_values=list(field.missing_values),
                    constraints=dict(field.constraints), extras=dict(field.extras))
            for n in names]


def pairs_bound(fields: list[Field], defined: list[Field]) -> list[Field]:
    """A term/definition pair of the document's markup bounds its field: where the running
    text's reading of the same name runs on past the pair's definition into the next term, or
    read the definition as a single code (`2-digits ISIC codes …`), the pair's reading
    replaces it."""
    by_name = {f.name: f for f in defined if f.description}
    terms = [f.name for f in defined]
    out = []
    for f in fields:
        pair = by_name.get(f.name)
        text = " ".join((f.description or "").split())
        if pair is not None and (_runs_over(text, pair.description, terms)
                                 or _misread(f, text, pair.description)):
            f = pair
        out.append(f)
    return out


def _runs_over(text: str, definition: str, terms: list[str]) -> bool:
    """The text is the definition followed by another term and more."""
    if not text.startswith(definition) or text == definition:
        return False
    rest = text[len(definition):].strip()
    return any(t and rest.startswith(t) for t in terms)


def _misread(field: Field, text: str, definition: str) -> bool:
    """No description, and no code but one whose label is part of the definition."""
    return (not text and len(field.categories) <= 1
            and all((c.label or "") in definition for c in field.categories))
