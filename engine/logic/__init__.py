"""Cross-field conditions: REDCap branching logic and FHIR enableWhen, parsed and evaluated.

A condition is parsed once into a small expression tree (a tokenizer and a recursive-descent
parser; nothing is ever passed to `eval`), then evaluated over whole columns at once: every
operand becomes a vector (text, number, blank), so a million rows cost a few array operations.

The REDCap grammar and its semantics are written out in `engine.logic.redcap`.
"""

from .evaluate import Lookup, evaluate
from .fhir import parse_enable_when
from .redcap import parse_redcap, tokenize
from .tree import (Arith, BoolOp, Call, Compare, Exists, Lit, LogicSyntaxError,
                   LogicUnavailable, Not, Ref, refs)

__all__ = ["Arith", "BoolOp", "Call", "Compare", "Exists", "Lit", "LogicSyntaxError",
           "LogicUnavailable", "Lookup", "Not", "Ref", "evaluate", "parse_enable_when",
           "parse_redcap", "refs", "tokenize"]
