"""Offline token estimates (no tokenizer download).

Chat models' BPE tokenizers average about 4 characters per token on English prose, but
codebooks are dense with digits, codes and punctuation, which split into more tokens.  The
estimate is therefore the larger of `chars / 4` and the count of words plus punctuation marks
(each digit run, word and symbol counted once).  On the 90-page REDCap PDF this gives about
34,000 tokens, in line with the 35,000 measured by the old tool.
"""

from __future__ import annotations

import functools
import math
import re

_PIECES = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def estimate_tokens(text: str) -> int:
    """Estimated tokens of `text` for a GPT-style tokenizer (an upper-leaning guess)."""
    if not text:
        return 0
    return tokens_of(len(text), count_pieces(text))


def count_pieces(text: str) -> int:
    """Words, digit runs and other marks in `text`.  No piece spans a blank or a newline, so
    the pieces of lines joined by newlines are the sum of the lines' pieces."""
    return len(_PIECES.findall(text))


def tokens_of(chars: int, pieces: int) -> int:
    """`estimate_tokens` of a text of `chars` characters and `pieces` pieces."""
    return max(math.ceil(chars / 4), math.ceil(pieces * 0.8))


def estimate_messages_tokens(messages: list[dict[str, str]]) -> int:
    """Estimated prompt tokens of a chat request (4 tokens of framing per message)."""
    return sum(_remembered(m.get("content") or "") + 4 for m in messages) + 2


@functools.lru_cache(maxsize=64)
def _remembered(text: str) -> int:
    """estimate_tokens for message contents: every call repeats the same long system prompt,
    counted once."""
    return estimate_tokens(text)
