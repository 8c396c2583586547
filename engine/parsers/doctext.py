"""Lines of a document's running text that are no dictionary text (`doclines.py`).

A dictionary's fields are written as entries: a name with its text, a table row, a list item.
Around them a document holds text that no field could account for, and that a parser that
missed nothing still leaves unread:

- markup: reST directives and their options, Markdown images, lone URLs and HTML tags;
- code: fenced or indented code blocks, reST `code-block` directives, BibTeX entries;
- citations: the text under a heading that says references, bibliography, how to cite,
  acknowledgements or licence (in English, Spanish, Portuguese, French, German);
- explanation: paragraphs of sentences in which no line starts with a name-like head (an
  identifier, `Term:`, `Term - `, a list item) and no word is written like an identifier
  (`hh_size`, `q12`, `bmiCat`).  Questions are items of a questionnaire, not explanation.

Coverage counts such a line only when a field or a recognised region explains it: text the
parser did not understand (entries with names, a table of variables it missed) still counts.
"""

from __future__ import annotations

import re

__all__ = ["not_dictionary_text"]

_DIRECTIVE = re.compile(r"^\s*\.\.\s+[\w:-]+::")
_CODE_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+(?:code-block|code|sourcecode|highlight|literalinclude|"
                             r"math|raw|parsed-literal)::", re.I)
_OPTION = re.compile(r"^\s+:[\w-]+:(?:\s|$)")
_RST_COMMENT = re.compile(r"^\s*\.\.\s+(?:_[^:]+:|\[[^\]]+\]|\|[^|]+\|)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_IMAGE = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)\s*|<img\b[^>]*>\s*|<br\s*/?>\s*)+$", re.I)
_URL_ONLY = re.compile(r"^\s*[<(]?https?://\S+[>)]?\s*$")
_TAG_ONLY = re.compile(r"^\s*(?:</?[A-Za-z][^>]*>\s*)+$|^\s*<!--.*-->\s*$")
_BIBTEX = re.compile(r"^\s*@[A-Za-z]+\s*\{")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*\S)")
_BOLD_ONLY = re.compile(r"^\s*(?:\*\*|__)([^*_]{1,60})(?:\*\*|__)\s*:?\s*$")
_UNDERLINE = re.compile(r"^\s*([=\-~^*+#`'\".:_])\1{2,}\s*$")
_CITATION_HEAD = re.compile(
    r"^[#*_=\s]*(?:\d+(?:\.\d+)*\.?\s+)?(?:references?|bibliography|citations?|how to cite|"
    r"cite as|citing|bibtex\b.*|literature cited|works cited|acknowledge?ments?|licen[cs]e|"
    r"referencias?|bibliograf[ií]a|citas?|c[oó]mo citar|refer[eê]ncias|como citar|"
    r"agradecimientos|agradecimentos|licencia|licen[çc]a|r[ée]f[ée]rences?|"
    r"bibliographie|citation|comment citer|remerciements|literatur(?:verzeichnis)?|"
    r"zitation|zitierung|quellenangaben?|danksagung|lizenz)\W*$", re.I)
# a line that starts an entry: a list item, `Term:` / `Term - ` / `Term = `, a lone name,
# a name in code marks or bold, a first word written like an identifier
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•▪◦]|\d{1,3}[.)]|[a-z][.)]|\(\w{1,3}\))\s")
_TERM = re.compile(r"^\s*(?:[`*_\[]+\S[^`*\]]{0,40}[`*_\]]+|[^\W\d][\w.\[\]/()-]*"
                   r"(?:\s+[^\W\d][\w.()-]*){0,3})\s*(?::|\s[-–—=]\s|\t)")
_LONE_NAME = re.compile(r"^\s*[`*]*[A-Za-z_][\w.$-]*[`*]*\s*$")
_NAME_HEAD = re.compile(r"^\s*(?:[-*+•]\s+|\d{1,3}[.)]\s*)?[`*\[]*[A-Za-z_][\w.$/\[\]-]*[`*\]]*"
                        r"\s*(?::|\s[-–—=]\s|\t)")
_QUOTE = re.compile(r"^\s*(?:>\s*)+")
_TAGS = re.compile(r"<[^<>]{0,200}>")
_IDENTIFIER = re.compile(r"(?<![\w/.@-])(?:[A-Za-z][A-Za-z]*_\w+|[A-Za-z]+\d\w*|"
                         r"[a-z]+[A-Z][a-z]\w*)(?![\w@/-])")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_MIN_WORDS = 12
_MIN_ENTRIES = 3            # name-like entries that make a section a list of them
_WORD = re.compile(r"[^\W_]+")


def not_dictionary_text(lines: list[str], prose: bool = True,
                        skip: frozenset[int] | set[int] = frozenset()) -> set[int]:
    """Indexes of the lines that are markup, code, citations or (when `prose`) explanation;
    lines in `skip` (table rows) are never."""
    out = _markup_and_code(lines)
    out |= _citations(lines)
    if prose:
        out |= _explanation(lines, out | set(skip))
    return out - set(skip)


# ---- markup and code -------------------------------------------------------------------------
def _markup_and_code(lines: list[str]) -> set[int]:
    out: set[int] = set()
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if _FENCE.match(line):
            end = next((k for k in range(i + 1, n) if _FENCE.match(lines[k])), n - 1)
            out.update(range(i, end + 1))
            i = end + 1
            continue
        m = _CODE_DIRECTIVE.match(line)
        if m or _BIBTEX.match(line):
            end = _block_end(lines, i, len(m.group(1)) if m else -1)
            out.update(range(i, end))
            i = end
            continue
        if _DIRECTIVE.match(line) or _RST_COMMENT.match(line) or _OPTION.match(line) \
                or _IMAGE.match(line) or _URL_ONLY.match(line) or _TAG_ONLY.match(line):
            out.add(i)
        i += 1
    return out


def _block_end(lines: list[str], i: int, indent: int) -> int:
    """The line after a code directive's block (its lines indented deeper than `indent`,
    blank lines inside), or after a BibTeX entry (`indent` -1: until its braces close)."""
    if indent < 0:
        depth, k = 0, i
        while k < len(lines):
            depth += lines[k].count("{") - lines[k].count("}")
            k += 1
            if depth <= 0:
                break
        return k
    k = i + 1
    while k < len(lines):
        line = lines[k]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        k += 1
    return k


# ---- citations -------------------------------------------------------------------------------
def _citations(lines: list[str]) -> set[int]:
    """The lines under a references / how-to-cite / licence heading, to the next heading
    or directive (a table)."""
    out: set[int] = set()
    inside = False
    for i, line in enumerate(lines):
        title = _heading_text(lines, i)
        if title is not None:
            inside = _CITATION_HEAD.match(title) is not None
        elif inside and (_DIRECTIVE.match(line) and not _CODE_DIRECTIVE.match(line)
                         or _LONE_NAME.match(line)):
            inside = False              # a table, or the next entry of a list
        if inside:
            out.add(i)
    return out


def _heading_text(lines: list[str], i: int) -> str | None:
    """The title when line `i` is a heading: `# Title`, a title underlined (reST, setext), a
    paragraph that is one bold phrase (`**Reference**`), a short line ending with a colon."""
    line = lines[i]
    m = _MD_HEADING.match(line) or _BOLD_ONLY.match(line)
    if m:
        return m.group(1).strip(" #*:")
    text = line.strip()
    if not text or _UNDERLINE.match(line) or len(text) > 60:
        return None
    if i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1]):
        return text
    if len(text.split()) <= 4 and _CITATION_HEAD.match(text):
        return text                     # `References` alone on its line
    before = i == 0 or not lines[i - 1].strip() or _UNDERLINE.match(lines[i - 1])
    if before and text.endswith(":") and len(text.split()) <= 4:
        return text.rstrip(":")
    return None


# ---- explanation -----------------------------------------------------------------------------
def _explanation(lines: list[str], done: set[int]) -> set[int]:
    """Explanation, section by section (the text under a heading): a section with fewer than
    _MIN_ENTRIES name-like entries is explanation but for its entries, questions, rows and
    identifiers (the heading with it); in a section of entries, the paragraphs that explain
    (`_explaining`)."""
    out: set[int] = set()
    for heading, section in _sections(lines, done):
        texts = [_plain(lines[k]) for k in section]
        entries = sum(1 for a, b in zip(texts, texts[1:] + [""])
                      if _NAME_HEAD.match(a) or _LONE_NAME.match(a) and b)
        if entries >= _MIN_ENTRIES:
            for block in _blocks(section):
                out.update(_explaining(block, [_plain(lines[k]) for k in block]))
            continue
        kept = {k for k, t in zip(section, texts) if _kept(t)}
        out.update(k for k in section if k not in kept)
        if heading is not None and not kept:
            out.add(heading)
    return out


def _sections(lines: list[str], done: set[int]) -> list[tuple[int | None, list[int]]]:
    """(heading line or None, the other lines under it not yet set apart)."""
    out: list[tuple[int | None, list[int]]] = [(None, [])]
    for i, line in enumerate(lines):
        if i in done or _UNDERLINE.match(line):
            continue
        if _heading_text(lines, i) is not None:
            out.append((i, []))
        elif line.strip():
            out[-1][1].append(i)
    return out


def _blocks(section: list[int]) -> list[list[int]]:
    """Runs of consecutive line indexes (paragraphs)."""
    out: list[list[int]] = []
    for k in section:
        if out and out[-1][-1] == k - 1:
            out[-1].append(k)
        else:
            out.append([k])
    return out


def _kept(text: str) -> bool:
    """A line that counts in a section of explanation: an entry with a name, a question, a
    row, a line laid out in columns, a word written like an identifier."""
    return (_NAME_HEAD.match(text) is not None or text.rstrip().endswith("?") or "|" in text
            or _COLUMN_GAP.search(text) is not None or _IDENTIFIER.search(text) is not None)


def _explaining(block: list[int], texts: list[str]) -> list[int]:
    """The lines of one paragraph that explain: sentences, long enough, no identifiers, not
    entries, not the text that follows a name-like head (an entry's description runs on)."""
    prose = []
    named = False
    for k, text in zip(block, texts):
        if _NAME_HEAD.match(text) or _LONE_NAME.match(text):
            named = True
        elif not named and not _entry(text) and not _kept(text):
            prose.append((k, text))
    joined = " ".join(t for _, t in prose)
    sentences = len(_SENTENCE_END.findall(joined + " "))
    if not sentences or len(_WORD.findall(joined)) < _MIN_WORDS and sentences < 2:
        return []
    return [k for k, _ in prose]


def _plain(line: str) -> str:
    """A line without blockquote marks and HTML tags."""
    return _TAGS.sub(" ", _QUOTE.sub("", line)).strip()


def _entry(line: str) -> bool:
    """Whether a line starts an entry (a list item, a term and its text) or is laid out in
    columns, or is a table row."""
    return (_LIST_ITEM.match(line) is not None or _TERM.match(line) is not None
            or _COLUMN_GAP.search(line) is not None or "|" in line)
