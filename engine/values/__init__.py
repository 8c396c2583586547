"""One value grammar: what text reads as an integer, a number, a boolean, a date, a time or no
value, for the profile, the check and the starter schema alike.

    grammar   the lexicon (patterns, tokens, date spellings) and vectorised readers of it
    infer     the kind a column's distinct values read as (the profile; the starter's dates)
    conform   which values conform to a declared Table Schema type (the check)
    starter   a starter dictionary from the data (the check without a dictionary)

Decisions (where the three readings disagreed before, the reading kept is the one below):

- Blanks around a value are not part of it, for every type but text: ` 12 ` is the integer 12
  to the profile, the check and the typed reader alike (the profile called it text).
- Integers: digits with an optional sign (`+5` is an integer; the profile called it a number),
  and whole numbers written with a zero fraction (`3.0`: exports of integer columns with gaps
  write them so; the profile called them numbers, the check and the starter integers).
  Leading zeros (`007`) make a valid integer when the dictionary declares one, but inference
  reads a column holding such numbers as codes: text (ZIP codes, FIPS, IDs keep their zeros).
  Exponent notation (`1e3`) is a number, not an integer.
- Numbers: decimal point only.  `1,5` is text unless the dictionary declares `decimalChar: ","`
  (a comma is as often a thousands separator: inference does not guess).  Table Schema's
  special values (`NaN`, `INF`, `-INF`) conform to a declared number, but inference never reads
  a column as numbers on their account: `NaN` is an NA-like token, `inf` a stray value.
- Booleans: Table Schema's spellings, `true`/`True`/`TRUE` and `false`/`False`/`FALSE` (the
  profile also took `tRuE`), plus `1`/`0` (or a field's own trueValues/falseValues) when
  declared.  Inference reads a column as booleans only when it holds a boolean word; a column
  of `0`/`1` alone is integer codes.
- Dates: a declared date is ISO 8601 (`2020-02-29`) unless the field gives a format; inference
  also recognises the common spellings (`03/04/2020`, `4.3.2020`, `2020/3/4` …) and the starter
  keeps the one it found as the field's format, so that the check reads the column the way
  the profile did.  A day the month does not have (`2020-02-30`) is no date anywhere (strptime
  rolled it over to March 1st in the profile before).
- Times: `HH:MM:SS` (a fraction and an offset allowed) everywhere; the profile now reports
  time columns (it called them text).
- NA-like tokens (`NA`, `N/A`, `NULL`, `?`, `.` …): the profile sets them aside (`na_like`:
  `NA` is also Namibia); the starter declares those it finds as the missing values of a typed
  field, so the check counts them as missing rather than as wrong values.

What stays different on purpose is how much of a column a type must read: the profile
describes (the kind at least half the rows read as, with a few distinct strays reported), the
starter prescribes (a type only when 95% of the non-empty values conform, else text with
"Mixed types" in its description), and the check judges every value against the declared type.
"""

from .conform import Parsed, parse_values, type_label
from .grammar import FALSE_VALUES, NA_TOKENS, TRUE_VALUES
from .infer import detect
from .starter import infer_field, infer_schema

__all__ = ["FALSE_VALUES", "NA_TOKENS", "Parsed", "TRUE_VALUES", "detect", "infer_field",
           "infer_schema", "parse_values", "type_label"]
