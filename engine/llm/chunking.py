"""Cut a dictionary's text into LLM-sized chunks at field boundaries.

A field and its code list are never cut apart.  Every line boundary gets a score: strongly
negative inside a field (before an indented or `{1} Yes` code line, inside an open `{...}`
annotation, after a line that ends mid-sentence), positive before a line that starts with a
rule-based field's name, at blank lines and headings, and after a REDCap-style `{[name] ...}`
marker and its branching logic.  Each chunk ends at the best-scored boundary that keeps it within
the token budget; a single field longer than the budget is kept whole up to three budgets.

PDF text arrives with pages separated by form feeds.  Lines repeated at the top or bottom of most
pages (dates, "Confidential", "Page 3") are noise and are dropped, so a field that runs over a
page break reads as one piece.  Tabular text (CSV/TSV/pipe tables) repeats its header line at the
top of every chunk so the LLM knows the columns.

When the rules found few field boundaries (fewer names anchored than chunks, e.g. a document
the rules could not read at all), chunks end at page breaks and paragraph breaks instead: the
LLM still sees the whole document, cut where a reader would cut it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from .tokens import count_pieces, estimate_tokens, tokens_of

_MIN_FILL = 0.5          # a chunk is cut in the last half of its budget when a good cut is there
_MAX_OVERSIZE = 3        # a field is kept whole up to this many budgets
_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d+(\s*(of|/)\s*\d+)?\s*$", re.I)
_CODE_LINE = re.compile(
    r"""^(\s*\{-?[\w.]+\}\s*\S            # REDCap choices: {1} Yes
        |\s+\S                           # indented: code lists, continued labels
        |\s*-?\d+(\.\d+)?\s*(=|:|\)|\t)   # 1 = Male, 2: Female, 0) No
        |\s*--\s*Value\b                  # -- Value 1: typical angina
        |\s*[A-Z]\d{2,3}\s*:              # A11 : ... (Statlog)
        |\s*[,\t|]                        # a table row continuing the row above
        )""", re.X)
_ENDS_OPEN = re.compile(r"([,;/(&\-–]|\b(and|or|of|the|to|in|with|for|a|an))\s*$", re.I)
_HEADING = re.compile(r"^\s*(#{1,6}\s|[A-Z][A-Z0-9 ,&/()-]{3,}$|(?i:section|part|form|instrument)\b)")
_MARKER = re.compile(r"^\s*\{\[")
_BARE_CODE = re.compile(r"^\s*\{-?[\w.]+\}\s*$")
_INLINE_CODE = re.compile(r"\{-?[\w.]+\}\s*\S")
_DIGITS = re.compile(r"\d+")
_BRACKET = re.compile(r"[{}\[\]]")


@dataclass(frozen=True)
class Chunk:
    """One piece of the dictionary text sent to the LLM as a unit."""

    index: int
    text: str                       # what the LLM sees (with the table header when tabular)
    names: tuple[str, ...]          # rule-based field names anchored in this chunk, in order
    tokens: int                     # estimated tokens of `text`
    lines: tuple[int, int]          # first and last line of the cleaned text (0-based)


def chunk_text(text: str, names: list[str] | None = None, *, budget: int = 1500) -> list[Chunk]:
    """Chunks of `text` of at most about `budget` tokens, cut between fields."""
    lines, page_starts = _clean_pages(text)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return []
    anchors = find_anchors(lines, names or [])
    header = table_header(lines)
    budget = max(50, budget - (estimate_tokens(header) if header else 0))
    pieces = [count_pieces(ln) for ln in lines]  # found once for the lines and the chunks
    cuts = _choose_cuts(lines, anchors, budget, pieces, page_starts)
    by_line: dict[int, list[str]] = {}
    for name, (line, _strong) in anchors.items():
        by_line.setdefault(line, []).append(name)
    anchored = sorted(by_line)
    chunks = []
    for i, (a, b) in enumerate(zip([0] + cuts, cuts + [len(lines)])):
        body = "\n".join(lines[a:b]).strip("\n")
        body_pieces = sum(pieces[a:b])
        if header and a > 0:
            body = header + "\n" + body
            body_pieces += count_pieces(header)
        here = anchored[bisect.bisect_left(anchored, a):bisect.bisect_left(anchored, b)]
        names_here = tuple(n for ln in here for n in by_line[ln])
        chunks.append(Chunk(i, body, names_here, tokens_of(len(body), body_pieces), (a, b - 1)))
    return chunks


# ---- cleaning ---------------------------------------------------------------------
def clean_lines(text: str) -> list[str]:
    """Lines of `text` without trailing blanks and without repeated page headers/footers."""
    return _clean_pages(text)[0]


def _clean_pages(text: str) -> tuple[list[str], set[int]]:
    """(`clean_lines(text)`, the indexes of the lines that begin a page after the first)."""
    pages = [p.replace("\r\n", "\n").replace("\r", "\n").split("\n") for p in text.split("\f")]
    pages = [[ln.rstrip() for ln in p] for p in pages]
    paged = len(pages) >= 3                 # page noise is told by three pages or more
    noise = _page_noise(pages) if paged else set()
    out: list[str] = []
    starts: set[int] = set()
    for p in pages:
        if out:
            starts.add(len(out))
        for j, ln in enumerate(p):
            edge = paged and (j < 6 or j >= len(p) - 3)
            if edge and (_norm(ln) in noise or (_PAGE_NUMBER.match(ln) and ln.strip())):
                continue
            out.append(ln)
    return out, starts


def _page_noise(pages: list[list[str]]) -> set[str]:
    """Normalised lines seen at the top or bottom of at least half the pages (never a REDCap
    field marker: `{[visit_2] ...}` and `{[visit_3] ...}` are alike only once normalised)."""
    seen: Counter[str] = Counter()
    for p in pages:
        body = [ln for ln in p if ln.strip() and not _MARKER.match(ln)]
        seen.update({_norm(ln) for ln in body[:5] + body[-3:]})
    need = max(3, len(pages) // 2)
    return {k for k, n in seen.items() if n >= need and k}


def _norm(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).lower()


# ---- anchors --------------------------------------------------------------------------
def find_anchors(lines: list[str], names: list[str]) -> dict[str, tuple[int, bool]]:
    """Line (and whether it starts with / brackets the name) of each name, in document order."""
    low = "\n".join(lines).lower()
    starts = list(itertools.accumulate((len(ln) + 1 for ln in lines), initial=0))
    anchors: dict[str, tuple[int, bool]] = {}
    pos = 0
    for name in names:
        if not name or name in anchors:
            continue
        hit = _find_name(low, starts, name.lower(), pos)
        if hit is not None:
            anchors[name] = hit
            pos = hit[0]
    return anchors


_STRONG_PREFIX = re.compile(r"[\s|*#>\-`'\"“(\d.]*")
_WEAK_WINDOW = 400  # lines after a weak match in which a strong one is still preferred


def _find_name(low: str, starts: list[int], name: str, line: int) -> tuple[int, bool] | None:
    """First strong occurrence of `name` from `line` on (a line starting with it, or `[name]`),
    else its first whole-word occurrence."""
    first_weak = None
    at = low.find(name, starts[line])
    while at >= 0:
        i = bisect.bisect_right(starts, at) - 1
        if first_weak is not None and i > first_weak + _WEAK_WINDOW:
            break
        before = low[at - 1] if at > 0 else "\n"
        after = low[at + len(name)] if at + len(name) < len(low) else "\n"
        whole = not (_word(name[0]) and _word(before)) and not (_word(name[-1]) and _word(after))
        if whole:
            if (before == "[" and after == "]") or _STRONG_PREFIX.fullmatch(low[starts[i]:at]):
                return i, True
            if first_weak is None:
                first_weak = i
        at = low.find(name, at + 1)
    return None if first_weak is None else (first_weak, False)


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def table_header(lines: list[str]) -> str | None:
    """The header line of tabular text (CSV/TSV/pipe table), repeated atop every chunk."""
    body = [ln for ln in lines[:40] if ln.strip()]
    if len(body) < 3:
        return None
    for sep in ("\t", "|", ","):
        n = body[0].count(sep)
        # rows may end early (trailing empty cells are trimmed), so two separators will do
        if n >= 2 and sum(ln.count(sep) >= 2 for ln in body[1:]) >= 0.8 * (len(body) - 1):
            if sep == "|" and len(body) > 1 and set(body[1].replace("|", "").strip()) <= set("-: "):
                return body[0] + "\n" + body[1]
            return body[0]
    return None


# ---- cutting --------------------------------------------------------------------------
def cut_scores(lines: list[str], anchors: dict[str, tuple[int, bool]],
               page_starts: set[int] | None = None) -> list[float]:
    """Score of cutting before each line (index 0 unused): high is a clean field boundary.

    A cut between `prev` and `cur` is scored by what `prev` looks like and by the first
    non-blank line at or after `cur` (the target); each line's looks are found once.  When
    the rules found few field boundaries, page breaks (`page_starts`) score as high as a
    line starting with a field's name (paragraph breaks score as always)."""
    n = len(lines)
    strong_at = {ln for ln, strong in anchors.values() if strong}
    marker_at = {ln for ln in strong_at if _MARKER.match(lines[ln])}
    nxt = _next_nonblank(lines)
    depth = _open_depth(lines)
    blank = [not ln.strip() for ln in lines]
    looks = [_BLANK_LOOKS if b else _looks(ln) for ln, b in zip(lines, blank)]
    scores = [0.0] * n
    last_anchor, blank_since_anchor = -1, True
    for j in range(1, n):
        p = j - 1
        if p in strong_at:
            last_anchor, blank_since_anchor = p, False
        if blank[p]:
            blank_since_anchor = True
        k = nxt[j]
        before_anchor = k in strong_at
        s = looks[k][0] if k < n else 0
        if before_anchor and k not in marker_at:
            s += 6              # a line that starts with a field's name
        _, stuck, wraps, open_end, marker_end = looks[p]
        if depth[p] > 0 or stuck:
            s -= 10             # inside a `{...}` annotation, or after a code with no label yet
        if wraps and not before_anchor:
            s -= 5              # a code's label may wrap onto the next line
        if open_end:
            s -= 4              # mid-sentence
        if blank[p] or blank[j]:
            s += 3              # paragraph break
        if marker_end and last_anchor in marker_at:
            s += 5              # after a `{[name] ...}` marker or its branching logic
        if (not before_anchor and last_anchor >= 0 and last_anchor not in marker_at
                and not blank_since_anchor):
            s -= 3              # still in the paragraph that a `name:` line opened
        if page_starts and j in page_starts:
            s += 6              # a page break
        scores[j] = float(s)
    return scores


_BLANK_LOOKS = (0, False, False, False, False)  # a blank line is never a target


def _looks(line: str) -> tuple[int, bool, bool, bool, bool]:
    """What a line says about cutting around it: (score of a cut before it as the target,
    anchors aside; it is a code with no label yet; a code's label may wrap after it; it ends
    mid-sentence; it may close a `{[name] ...}` marker or its branching logic)."""
    code = _CODE_LINE.match(line) is not None
    brace = "{" in line
    inline = brace and _INLINE_CODE.search(line) is not None
    ahead = 0
    if code:
        ahead -= 10             # a code list continues
    if line[:1].islower():
        ahead -= 6
    lead = line.lstrip()
    if lead.startswith(("{", "___")):
        ahead -= 6              # a REDCap marker or answer line belongs to the text above
    if (lead[:1] == "#" or lead[:1].isalpha()) and _HEADING.match(line):
        ahead += 3              # (a heading starts with `#` or a letter after its indent)
    stuck = brace and _BARE_CODE.match(line) is not None
    wraps = inline or code and not line[:1].isspace()
    # an open end is a mark, or a word of at most 4 letters ending in one of these, before
    # trailing blanks: the search can start there
    end = len(line.rstrip())
    last = line[end - 1:end]
    open_end = bool(last) and (last in ",;/(&-–" or last in "adefhnorADEFHNOR"
                               and _ENDS_OPEN.search(line, max(0, end - 4)) is not None)
    marker_end = lead.startswith(("{", "[")) and not code and not inline
    return ahead, stuck, wraps, open_end, marker_end


def _choose_cuts(lines: list[str], anchors: dict[str, tuple[int, bool]], budget: int,
                 pieces: list[int], page_starts: set[int] | None = None) -> list[int]:
    """Line indexes where chunks start (after the first), each chunk within the budget;
    `pieces` are each line's `count_pieces`.  With fewer anchored names than chunks, page
    breaks and paragraph ends are the boundaries (see cut_scores)."""
    cum = [0]
    for ln, n in zip(lines, pieces):
        cum.append(cum[-1] + tokens_of(len(ln), n) + 1)
    sparse = len({line for line, _ in anchors.values()}) < cum[-1] / budget
    scores = cut_scores(lines, anchors, page_starts if sparse else None)
    cuts: list[int] = []
    start = 0
    # (a last line longer than the budget on its own is a chunk of its own: nothing to cut)
    while cum[-1] - cum[start] > budget and start + 1 < len(lines):
        j = _best_cut(scores, cum, start, budget)
        cuts.append(j)
        start = j
    return cuts


def _best_cut(scores: list[float], cum: list[int], start: int, budget: int) -> int:
    """The best line to start the next chunk at, for a chunk beginning at `start`."""
    n = len(scores)
    # cum only grows, so each pool is a range of lines found by bisection (a scan to the end
    # of the text for every cut made chunking quadratic)
    base = cum[start]
    end_within = min(n, bisect.bisect_right(cum, base + budget))
    begin_full = max(start + 1, bisect.bisect_left(cum, base + _MIN_FILL * budget))
    within = range(start + 1, end_within)
    full = range(begin_full, end_within)
    for pool in (full, within):
        good = [j for j in pool if scores[j] >= 0]
        if good:
            return max(good, key=lambda j: (scores[j], j))
    over = range(max(start + 1, end_within),
                 min(n, bisect.bisect_right(cum, base + _MAX_OVERSIZE * budget)))
    for floor in (5, 0):
        good = [j for j in over if scores[j] >= floor]
        if good:
            return good[0]
    pool = over or within or [start + 1]
    return max(pool, key=lambda j: (scores[j], j))


def _next_nonblank(lines: list[str]) -> list[int]:
    """For each line, the index of the first non-blank line at or after it (len if none)."""
    out = [len(lines)] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        out[i] = i if lines[i].strip() else out[i + 1]
    return out


def _open_depth(lines: list[str]) -> list[int]:
    """Unclosed `{`/`[` nesting at the end of each line (reset by blank lines)."""
    out, depth = [], 0
    for ln in lines:
        if not ln.strip():
            depth = 0
        elif "{" in ln or "[" in ln or "}" in ln or "]" in ln:
            for ch in _BRACKET.findall(ln):
                if ch in "{[":
                    depth += 1
                else:
                    depth = max(0, depth - 1)
        out.append(depth)
    return out
