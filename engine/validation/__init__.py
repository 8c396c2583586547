"""Validate a dataset against its dictionary: the public entry points.

    result = validate_table(table, schema)          # matches columns itself
    result = validate_table(table, schema, matching) # or with a (user-corrected) matching
    result.fields[i].violations, result.checks, result.summary()

Checks per field, vectorised over whole columns (Arrow kernels and numpy, no per-row Python):
type conformance, minimum/maximum (and the exclusive forms), the code list (`categories` or
`constraints.enum`), required, unique, pattern, minLength/maxLength, and cross-field logic
(REDCap branching logic, FHIR enableWhen).  Missing-value codes (the field's
`missing_values`, then the schema's, by default the empty cell) are counted apart, per code,
and are not violations.  Dataset checks: minimum row count, duplicate rows, completeness,
required fields without a column.  Row numbers are 1-based data rows (row 1 = the first row
after the header).  What a value of each type may look like is engine.values' (conform.py).
"""

from .result import (EVIDENCE_ROWS, KINDS, ROW_NUMBERING, DatasetCheck, FieldResult,
                     MissingCount, ValidationResult, Violation)
from .run import dictionary_problems, to_arrow, validate_table

__all__ = ["EVIDENCE_ROWS", "KINDS", "ROW_NUMBERING", "DatasetCheck", "FieldResult",
           "MissingCount", "ValidationResult", "Violation", "dictionary_problems", "to_arrow",
           "validate_table"]
