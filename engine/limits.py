"""Bounds on what one input file may expand to, checked before the bytes are expanded.

The app and the CLI call `configure(settings)` once at start-up (before worker processes are
forked, which inherit it); library use without it reads the settings from the environment on
first use.  Readers ask `current()` and raise `exceeded(...)`, whose message says what was too
big, names the setting and how to raise it.  Tests change bounds with `override(...)`.
"""

from __future__ import annotations

import csv
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Iterator

from .errors import LimitExceeded
from .settings import SETTINGS_TABLE, Settings

_VARS = {attr: var for var, attr, *_ in SETTINGS_TABLE}
_SIZES = {attr for _, attr, kind, *_ in SETTINGS_TABLE if kind == "size"}
_UNITS = {"max_cells": "cells", "max_dictionary_cells": "cells", "max_columns": "columns",
          "max_nesting": "levels", "max_yaml_nodes": "values", "max_logic_depth": "levels"}


@dataclass(frozen=True)
class Limits:
    """The bounds (see SETTINGS_TABLE for their meaning)."""

    max_unzipped_size: int = Settings.max_unzipped_size
    max_cells: int = Settings.max_cells
    max_dictionary_cells: int = Settings.max_dictionary_cells
    max_columns: int = Settings.max_columns
    max_line_length: int = Settings.max_line_length
    max_nesting: int = Settings.max_nesting
    max_yaml_nodes: int = Settings.max_yaml_nodes
    max_logic_depth: int = Settings.max_logic_depth

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})


_current: Limits | None = None


def configure(settings: Settings) -> Limits:
    """Use these settings' bounds from now on (in this process and the ones it forks)."""
    global _current
    _current = Limits.from_settings(settings)
    _widen_csv(_current)
    return _current


def current() -> Limits:
    """The bounds in force."""
    if _current is None:
        return configure(Settings.from_env())
    return _current


@contextmanager
def override(**changes: int) -> Iterator[Limits]:
    """Other bounds for the length of a `with` block (tests)."""
    global _current
    before = current()
    _current = replace(before, **changes)
    _widen_csv(_current)
    try:
        yield _current
    finally:
        _current = before


def _widen_csv(limits: Limits) -> None:
    """The csv module refuses fields over 128 KiB; lines up to the bound are allowed."""
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_line_length))


def setting_name(attr: str) -> str:
    """The environment variable of a bound: `max_cells` -> `CODEBOOK_MAX_CELLS`."""
    return _VARS[attr]


def limit_text(attr: str, value: int | None = None) -> str:
    """A bound's value as people read it: `5,000,000 cells`, `256 MB`."""
    value = getattr(current(), attr) if value is None else value
    return size_text(value) if attr in _SIZES else f"{value:,} {_UNITS.get(attr, '')}".strip()


def size_text(n: int) -> str:
    """Bytes as people write them: `256 MB`, `8 MiB` (a whole number of either), `2.15 GB`."""
    units = (("GB", 10**9), ("GiB", 1 << 30), ("MB", 10**6), ("MiB", 1 << 20), ("KB", 10**3),
             ("KiB", 1 << 10))
    for unit, step in units:
        if n >= step and n % step == 0:
            return f"{n // step} {unit}"
    for unit, step in units[::2]:
        if n >= step:
            return f"{n / step:.3g} {unit}"
    return f"{n} bytes"


def exceeded(filename: str, what: str, attr: str, advice: str = "") -> LimitExceeded:
    """The error for `filename` going beyond the bound `attr`: what, the bound, what to do."""
    var = setting_name(attr)
    advice = f" {advice}" if advice else ""
    return LimitExceeded(
        f"{filename}: {what}, beyond the limit of {limit_text(attr)} set by {var}.{advice} "
        f"If the file is genuine, raise {var} and try again.")


class CellBudget:
    """Cells of one file, counted before they are made; raises once the bound is passed."""

    def __init__(self, filename: str, attr: str = "max_dictionary_cells") -> None:
        self.filename = filename
        self.attr = attr
        self.limit = getattr(current(), attr)
        self.used = 0

    def take(self, n: int, where: str = "") -> None:
        """Count `n` more cells (of `where`, for the message)."""
        self.used += n
        if self.used > self.limit:
            place = f" (reading {where})" if where else ""
            raise exceeded(self.filename, f"too many cells{place}", self.attr,
                           "Upload only the sheet or table you need.")


def check_columns(filename: str, n: int, where: str = "") -> None:
    """Refuse a table wider than the bound before it is read."""
    limit = current().max_columns
    if n > limit:
        place = f" {where}" if where else ""
        raise exceeded(filename, f"{n:,} columns{place}", "max_columns",
                       "Select the columns you need, or split the file.")
