"""Imports and a tiny parse before the first user comes (and before the workers are forked)."""

from __future__ import annotations

import tempfile
from pathlib import Path


def warm_up() -> None:
    """Import the engine's stages and the app's worker steps and run a tiny parse, so the first
    user doesn't wait for imports (about a second here), nor does any forked worker."""
    from engine import analyze, formats, profile  # noqa: F401 - imported for their effect
    from engine.formats.pdf import read  # noqa: F401
    from engine.parsers import ParseContext, candidates, parse_dictionary
    from engine.pipeline import steps  # noqa: F401
    from web import views  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm.txt"
        path.write_text("age: age in years\nsex: sex (1 = male; 0 = female)\n")
        candidates(ParseContext(path=path, filename=path.name))
        parse_dictionary(path)
