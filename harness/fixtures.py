"""The checkout's test fixtures (tests/fixtures), and documents made from them for tests in
more than one layer."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def fixture_path(*parts: str) -> Path:
    """Path of a file under tests/fixtures (fails loudly when missing)."""
    p = FIXTURES.joinpath(*parts)
    assert p.exists(), f"missing test fixture {p}"
    return p


def _pdfgen():
    """tests/fixtures/edge/doc_make_fixtures.py, the fixtures' small PDF writer."""
    spec = importlib.util.spec_from_file_location("doc_make_fixtures",
                                                  FIXTURES / "edge" / "doc_make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Two pages of `name: description` entries the rules read, then two pages of numbered
# questions they do not (a codebook's second half in another layout).
HALF_READ_FIELDS = [
    ("age", "Age of the respondent in completed years"),
    ("sex", "Sex of the respondent as recorded at the interview"),
    ("region", "Region of residence of the household"),
    ("hhsize", "Number of people living in the household"),
    ("income", "Monthly household income in euros before taxes"),
    ("educ", "Highest level of education the respondent completed"),
    ("employed", "Whether the respondent was in paid work last week"),
    ("tenure", "Whether the dwelling is owned or rented by the household")]
HALF_READ_QUESTIONS = [
    "How often do you read a newspaper on paper or online?",
    "Which party did you vote for at the last general election?",
    "How much do you trust the national parliament to act fairly?",
    "Did you take part in a lawful public demonstration this year?",
    "How satisfied are you with the state of the economy today?",
    "Would you describe the area where you live as urban or rural?",
    "How many hours a week do you spend caring for relatives?",
    "Have you signed a petition in the last twelve months or not?"]


def half_read_pdf(path: Path) -> Path:
    """A four-page codebook at `path` whose pages 3-4 hold no field the rules read."""
    pdfgen = _pdfgen()
    read, unread = HALF_READ_FIELDS, HALF_READ_QUESTIONS
    pages = []
    for part in (read[:4], read[4:]):
        items = [(72, 740 - 30 * k, f"{name}: {desc}") for k, (name, desc) in enumerate(part)]
        pages.append(pdfgen.text_ops(items))
    for part in (unread[:4], unread[4:]):
        items = []
        for k, question in enumerate(part):
            items += [(72, 740 - 50 * k, f"Question {unread.index(question) + 1}"),
                      (90, 725 - 50 * k, question)]
        pages.append(pdfgen.text_ops(items))
    path.write_bytes(pdfgen.pdf_bytes(pages))
    return path


# A REDCap-instrument-like questionnaire no rule reads (unreadable_instrument).
INSTRUMENT_TOPICS = ("clinic", "pharmacy", "hospital", "dentist", "therapist", "nurse",
                     "midwife", "optician", "laboratory", "physiotherapy", "vaccination",
                     "screening")
INSTRUMENT_VERBS = ("visit", "call", "contact", "consult", "attend", "phone", "email", "see")
INSTRUMENT_LABELS = ("Never", "Rarely", "Sometimes", "Often", "Always", "Weekly", "Daily",
                     "Monthly")


def unreadable_instrument(fields: int = 24, per_page: int = 6,
                          seed: int = 5) -> tuple[str, list[str]]:
    """A REDCap-instrument-like text (questions, `{1} Label` choices, `{[name] radio}`
    markers) on pages separated by form feeds: no format the rules read; and its names."""
    rng = random.Random(seed)
    blocks, names = [], []
    for i in range(fields):
        name = f"{rng.choice(INSTRUMENT_VERBS)}_{rng.choice(INSTRUMENT_TOPICS)}_{i}"
        labels = rng.sample(INSTRUMENT_LABELS, 3)
        blocks.append("\n".join([
            f"How often did you {name.split('_')[0]} the {name.split('_')[1]} "
            f"({rng.choice(INSTRUMENT_TOPICS)} related) this "
            f"{rng.choice(('year', 'season', 'term'))}?",
            " ".join(f"{{{k + 1}}} {label}" for k, label in enumerate(labels)),
            f"{{[{name}] radio Required}}", ""]))
        names.append(name)
        if (i + 1) % per_page == 0 and i + 1 < fields:
            blocks.append("\f")
    return "\n".join(blocks), names
