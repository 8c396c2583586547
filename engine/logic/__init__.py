"""Cross-field conditions: REDCap branching logic and FHIR enableWhen, parsed and evaluated.

A condition is parsed once into a small expression tree (a tokenizer and a recursive-descent
parser; nothing is ever passed to `eval`), then evaluated over whole columns at once: every
operand becomes a vector (text, number, blank), so a million rows cost a few array operations.

REDCap grammar (case-insensitive keywords)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (op sum)?            op: = == <> != < <= > >=
    sum     := product (("+"|"-") product)*
    product := unary (("*"|"/") unary)*
    unary   := "-" unary | atom
    atom    := [field] | [field(code)] | [event][field] | 'text' | "text" | number
             | "(" expr ")" | function "(" expr ("," expr)* ")"

Semantics follow REDCap: `=`/`<>` compare as numbers when both sides are numbers, else as
text; `<`, `>` on a blank or non-number are false; `[x] = ''` is true where x is blank;
`[race(3)]` is the checkbox column `race___3`.
"""

from .evaluate import Lookup, evaluate
from .fhir import parse_enable_when
from .redcap import parse_redcap, tokenize
from .tree import (Arith, BoolOp, Call, Compare, Exists, Lit, LogicSyntaxError,
                   LogicUnavailable, Not, Ref, refs)

__all__ = ["Arith", "BoolOp", "Call", "Compare", "Exists", "Lit", "LogicSyntaxError",
           "LogicUnavailable", "Lookup", "Not", "Ref", "evaluate", "parse_enable_when",
           "parse_redcap", "refs", "tokenize"]
