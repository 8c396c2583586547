"""A long PDF codebook for the parse benchmark, generated deterministically (never committed).

    .venv/bin/python bench/pdf_codebook.py OUT.pdf [--pages 100]
    .venv/bin/python bench/pdf_codebook.py --quick      # 3 pages into a temp folder, checked

The last line says what was written:

    pdf_codebook pages=N source=chromium|fixtures bytes=B

An HTML survey codebook (a cover, methods prose, then modules: a heading, a paragraph and a
ruled table of variables with labels, types, code lists or ranges, and notes) is printed to PDF
by headless Chromium and cut to exactly `pages` pages with pypdfium2.  Without Chromium the
repository's PDF fixtures (a Word table export, Chrome-printed REDCap pages, prose and survey
codebooks) are concatenated with pypdfium2 to the same length instead.  `source` says which.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FALLBACK_PDFS = [
    FIXTURES / "nyc-taxi-yellow" / "data_dictionary_trip_records_yellow.pdf",
    FIXTURES / "wild" / "gov-table-pdf-cms-inpatient" / "data_dictionary.pdf",
    FIXTURES / "wild" / "prose-pdf-alberta-wildfire" / "data_dictionary.pdf",
    FIXTURES / "wild" / "survey-codebook-pdf-candour" / "codebook.pdf",
    FIXTURES / "redcap-codebook-pdf-takotsubo" / "Codebook_Takotsubo_pages_1_2_5.pdf",
]
_SEED = 19
_VARIABLES_PER_PAGE = 9          # enough rows that the printout runs past the pages wanted

_TOPICS = ["household", "employment", "income", "health", "education", "housing", "transport",
           "food", "childcare", "migration", "energy", "internet", "savings", "insurance",
           "pension", "disability", "voting", "volunteering", "leisure", "safety"]
_THINGS = ["hours worked", "monthly rent", "number of rooms", "distance to school",
           "main source of water", "type of dwelling", "years at address", "household size",
           "age of respondent", "weekly food spending", "commute time", "visits to a doctor",
           "days of sick leave", "highest degree", "number of children", "main fuel",
           "monthly income", "savings balance", "internet access", "vehicle ownership"]
_SCALES = [["Yes", "No"], ["Never", "Sometimes", "Often", "Always"],
           ["Very poor", "Poor", "Fair", "Good", "Very good"],
           ["Employed", "Unemployed", "Not in labour force"],
           ["Owned", "Rented", "Provided free", "Other"]]
_MISSING = [("-9", "Refused"), ("-8", "Don't know"), ("-7", "Not applicable")]
_PROSE = ("The survey interviews one adult in each sampled household. Questions are asked in "
          "the order shown; routing skips questions that do not apply, and skipped questions "
          "carry the code for not applicable. Weights correct for unequal selection "
          "probabilities and non-response, and are calibrated to population totals by region, "
          "age group and sex. Estimates for small groups should be read with care.")

_CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; margin: 0; }
h1 { font-size: 20pt; } h2 { font-size: 13pt; margin-top: 18pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
th, td { border: 0.75pt solid #000; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { background: #dde4ee; }
tr { break-inside: avoid; }
"""


def codebook_html(pages: int) -> str:
    """The codebook as one HTML page (the same text for the same `pages`)."""
    rng = random.Random(_SEED)
    out = [f"<!doctype html><html><head><meta charset='utf-8'><style>{_CSS}</style></head>",
           "<body><h1>National Household Survey 2023: Codebook</h1>",
           f"<p>{_PROSE}</p>" * 3, "<h2>Methods</h2>", f"<p>{_PROSE}</p>" * 6]
    variables = pages * _VARIABLES_PER_PAGE
    module = 0
    while variables > 0:
        module += 1
        topic = _TOPICS[(module - 1) % len(_TOPICS)]
        out.append(f"<h2>Module {module}: {topic.title()}</h2><p>{_PROSE[:rng.randrange(120, 400)]}</p>")
        out.append("<table><tr><th>Variable</th><th>Label</th><th>Type</th>"
                   "<th>Values</th><th>Notes</th></tr>")
        for k in range(1, rng.randrange(8, 20)):
            out.append(_row(rng, module, topic, k))
            variables -= 1
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def _row(rng: random.Random, module: int, topic: str, k: int) -> str:
    """One variable's table row."""
    thing = rng.choice(_THINGS)
    name = f"{topic[:3].upper()}{module:02d}_{k:02d}"
    kind = rng.random()
    if kind < 0.5:
        labels = rng.choice(_SCALES)
        codes = [f"{i} = {lab}" for i, lab in enumerate(labels, start=1)]
        values, vtype = "<br>".join(codes + [f"{c} = {lab}" for c, lab in _MISSING[:2]]), "numeric"
    elif kind < 0.8:
        hi = rng.choice([24, 99, 168, 5000, 99999])
        values, vtype = f"0-{hi}; -9 = Refused", "numeric"
    elif kind < 0.9:
        values, vtype = "YYYY-MM-DD", "date"
    else:
        values, vtype = "Free text", "string"
    note = _PROSE[:rng.randrange(0, 160)] if rng.random() < 0.4 else ""
    label = f"{thing.capitalize()} ({topic})"
    cells = [name, label, vtype, values, note]
    return "<tr>" + "".join(f"<td>{c if '<br>' in c else html.escape(c)}</td>" for c in cells) + "</tr>"


def chromium() -> str | None:
    """The headless Chromium (or Chrome) on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_codebook(out: Path, pages: int = 100) -> str:
    """Write the `pages`-page codebook PDF to `out`; return how it was made."""
    browser = chromium()
    if browser:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "codebook.html"
            printed = Path(tmp) / "codebook.pdf"
            page.write_text(codebook_html(pages), encoding="utf-8")
            # Chromium puts its singleton socket under TMPDIR, and a Unix socket's path must
            # fit in 108 bytes: a deep TMPDIR (a test's) made it abort, so a short one here
            with tempfile.TemporaryDirectory(prefix="cb-", dir=_short_tmp()) as short:
                subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                                "--no-pdf-header-footer", f"--print-to-pdf={printed}",
                                page.as_uri()], check=True, capture_output=True, timeout=300,
                               env={**os.environ, "TMPDIR": short})
            _first_pages([printed], out, pages)
        return "chromium"
    _first_pages(FALLBACK_PDFS, out, pages)
    return "fixtures"


def _short_tmp() -> str | None:
    """The temporary directory when its path is short, else /tmp (None: the default)."""
    tmp = tempfile.gettempdir()
    return tmp if len(tmp) <= 40 or not os.path.isdir("/tmp") else "/tmp"


def _first_pages(sources: list[Path], out: Path, pages: int) -> None:
    """The first `pages` pages of the sources, taken in turn (again from the first when
    they run out), saved to `out`."""
    import pypdfium2 as pdfium

    docs = [pdfium.PdfDocument(str(p)) for p in sources]
    try:
        new = pdfium.PdfDocument.new()
        while len(new) < pages:
            for doc in docs:
                take = min(len(doc), pages - len(new))
                if take:
                    new.import_pages(doc, list(range(take)))
        out.parent.mkdir(parents=True, exist_ok=True)
        new.save(str(out))
        new.close()
    finally:
        for doc in docs:
            doc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, nargs="?", help="the PDF to write (a temp file with --quick)")
    ap.add_argument("--pages", type=int, default=None, help="pages (100; 3 with --quick)")
    ap.add_argument("--quick", action="store_true", help="smoke run: a few pages, then deleted")
    args = ap.parse_args(argv)
    pages = args.pages or (3 if args.quick else 100)
    if args.out is None and not args.quick:
        ap.error("the output PDF is required (or --quick)")
    with tempfile.TemporaryDirectory(prefix="codebook-pdf-") as tmp:
        out = args.out or Path(tmp) / "codebook.pdf"
        source = write_codebook(out, pages)
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(out))
        written = len(doc)
        doc.close()
        print(f"pdf_codebook pages={written} source={source} bytes={out.stat().st_size}")
    return 0 if written == pages else 1


if __name__ == "__main__":
    sys.exit(main())
