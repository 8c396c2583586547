"""Vectorised validation of a dataset against a dictionary (see engine.validate)."""

from .result import (EVIDENCE_ROWS, KINDS, ROW_NUMBERING, DatasetCheck, FieldResult,
                     MissingCount, ValidationResult, Violation)
from .run import dictionary_problems, to_arrow, validate_table

__all__ = ["EVIDENCE_ROWS", "KINDS", "ROW_NUMBERING", "DatasetCheck", "FieldResult",
           "MissingCount", "ValidationResult", "Violation", "dictionary_problems", "to_arrow",
           "validate_table"]
