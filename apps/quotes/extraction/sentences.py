"""Sentence splitting: at . ! ? outside quotations and at line breaks, not after
abbreviations or initials."""

from __future__ import annotations

import bisect
import re

from .lexicon import ABBREVIATIONS, ALL_MARKS
from .marks import Quote, find_quotes, paragraphs

_SENT_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)")


def sentence_starts(text: str, paras: list[tuple[int, int]], quotes: list[Quote]) -> list[int]:
    """Start offsets of sentences (sorted)."""
    inside = [(q.start, q.end) for q in quotes]
    starts = []
    qi = 0
    for p_start, p_end in paras:
        starts.append(p_start)
        for m in _SENT_END.finditer(text, p_start, p_end):
            end = m.end()
            while qi < len(inside) and inside[qi][1] <= m.start():
                qi += 1
            # a stop inside a quotation is not a sentence end (unless it closes it)
            if any(s < m.start() and end < e for s, e in inside[qi : qi + 3]):
                continue
            if text[m.start()] == "." and _is_abbreviation(text, m.start()):
                continue
            nxt = end
            while nxt < p_end and text[nxt].isspace():
                nxt += 1
            if nxt >= p_end:
                continue
            ch = text[nxt]
            if ch.isupper() or ch.isdigit() or ch in ALL_MARKS or ch in "‘'(":
                starts.append(nxt)
    return sorted(set(starts))


def _is_abbreviation(text: str, dot: int) -> bool:
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "John F. Kennedy"
    if "." in word and len(word) <= 5:
        return True  # "U.S", "D.C"
    return word.lower() in ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every sentence of ``text``, as ``extract`` splits them: never
    across a paragraph, nor at a stop inside a quotation."""
    paras = paragraphs(text)
    starts = sentence_starts(text, paras, find_quotes(text, paras))
    para_starts = [p[0] for p in paras]
    spans = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        p = bisect.bisect_right(para_starts, start) - 1
        spans.append((start, min(end, paras[p][1]) if p >= 0 else end))
    return spans
