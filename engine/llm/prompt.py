"""What the LLM is asked: the system prompt, one chunk's user message, the corrective follow-up.

PROMPT_VERSION is part of every cache key: change it whenever the wording or the output shape
changes, so cached answers to the old prompt are not reused.
"""

from __future__ import annotations

from .chunking import Chunk

PROMPT_VERSION = "codebook-refine-3"

SYSTEM_PROMPT = """\
You turn one part of a data dictionary (a codebook) into field definitions.
The text may be cut from a PDF, a Word file, a spreadsheet or plain text. List every field
(variable, column, question) defined in it, in the order they appear, and nothing else:
headings, instructions and page furniture are not fields.

For each field give:
- name: the variable name exactly as written (e.g. MSSubClass, cand_sex, race_cand).
- title: a short label when the dictionary has one besides a longer description, else null.
- description: the field's description or question text, complete, without the code list.
- type: one of string, number, integer, boolean, date, datetime, time, year, yearmonth,
  duration, any. Coded fields take the type of their codes (1, 2, 3 -> integer; A11 -> string).
- unit: the unit of measurement when stated or obvious (years, USD, mL, square feet), else null.
- categories: the allowed codes, each {"value": the code exactly as it appears in the data
  ("1", "NA", "Grvl", "A11"), "label": its meaning}.
- missingValues: codes that mean the value is missing - refused, don't know, not applicable,
  no answer, unknown when used as a missing code, "-1 = missing", "NA" meaning missing - in
  the same {"value", "label"} shape. Never list such a code in categories too. A code "NA"
  that is a real category (e.g. "NA  No alley access", the country Namibia) stays a category.
- minimum, maximum: numeric bounds when stated (e.g. "Min: 0 Max: 120", "(0-1)"), else null.
- required: true when the dictionary says the field is required, else null.

Answer with JSON only: {"fields": [ ...one object per field with exactly these keys... ]}."""

CORRECTION = (
    "Your previous answer could not be used: {problem}. Answer again for the same text with "
    "complete, valid JSON only, of the form {{\"fields\": [...]}}, keeping descriptions short "
    "if the answer was too long.")


def user_message(chunk: Chunk) -> str:
    """The user message for one chunk (also what its cache key is computed from).

    It holds only the chunk's text and the rule-based names found in it, so the same text
    uploaded under another file name reuses the cached answer.
    """
    parts = []
    if chunk.names:
        parts.append("A rule-based parser found these field names in this part; use exactly "
                     "these names for those fields and add any it missed: "
                     + ", ".join(chunk.names))
    parts.append("<<<DICTIONARY\n" + chunk.text + "\nDICTIONARY>>>")
    return "\n\n".join(parts)


def messages(user: str) -> list[dict[str, str]]:
    """The chat messages of a first attempt."""
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def corrective_messages(user: str, bad_answer: str | None, problem: str) -> list[dict[str, str]]:
    """The chat messages of the one corrective retry after an unusable answer."""
    msgs = messages(user)
    if bad_answer:
        msgs.append({"role": "assistant", "content": bad_answer[:4000]})
    msgs.append({"role": "user", "content": CORRECTION.format(problem=problem)})
    return msgs
