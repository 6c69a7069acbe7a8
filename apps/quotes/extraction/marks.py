"""Paragraphs and quotation marks: which double marks pair up into quotations."""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass

from .lexicon import BREAKS, CLOSE_MARKS, OPEN_MARKS, STRAIGHT
from .types import Mention


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    para: int
    continues: bool = False  # the quotation goes on in the next paragraph
    continued: bool = False  # the quotation began in an earlier paragraph
    kind: str = ""
    speaker: Mention | None = None
    cue: Mention | None = None
    confidence: float = 0.0
    own_cue: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for i, ch in enumerate(text):
        if ch in BREAKS:
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


_MARK_RE = re.compile(r"''|[“”„«»\"]")


def find_quotes(text: str, paras: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []
    pending: Quote | None = None  # a quotation left open at the end of the previous paragraph
    in_run = False  # the previous paragraph's open quotation goes on in this one
    for p_index, (p_start, p_end) in enumerate(paras):
        first = p_start
        while first < p_end and text[first].isspace():
            first += 1
        reopens = first < p_end and (
            text[first] in OPEN_MARKS + STRAIGHT or text.startswith("''", first)
        )
        was_in_run = in_run
        in_run = False
        if pending is not None:
            if reopens:
                pending.continues = True
                quotes.append(pending)
                in_run = True
            elif was_in_run:
                quotes.append(pending)  # the last paragraph of a run that never closes
            pending = None
        inside_at: int | None = None
        inside_straight = False
        nested = False  # a curly quotation inside a straight one
        for mark in _MARK_RE.finditer(text, p_start, p_end):
            i, ch = mark.start(), mark.group()
            straight = ch in (STRAIGHT, "''")
            if inside_at is None:
                if ch in OPEN_MARKS or (straight and _can_open(text, mark.end(), p_end)):
                    inside_at, inside_straight, nested = i, straight, False
                continue
            if ch in OPEN_MARKS:
                if inside_straight and not nested:
                    nested = True
                else:
                    inside_at, inside_straight = i, False  # the previous one never closed
            elif nested and ch in CLOSE_MARKS:
                nested = False
            elif ch in CLOSE_MARKS or (straight and (inside_straight or ch == STRAIGHT)):
                if any(c.isalnum() for c in text[inside_at + 1 : i]):
                    quotes.append(Quote(inside_at, mark.end(), p_index))
                inside_at = None
        if inside_at is not None:
            end = p_end
            while end > inside_at + 1 and text[end - 1].isspace():
                end -= 1
            if any(c.isalnum() for c in text[inside_at + 1 : end]):
                pending = Quote(inside_at, end, p_index)
    if pending is not None and in_run:
        quotes.append(pending)
    # "(CROSSTALK.)": stage directions are not quotations
    quotes = [
        q
        for q in quotes
        if not re.fullmatch(r"[\s\"“”„«»'’.,]*\([^()]*\)[\s\"“”„«»'’.,]*", text[q.start : q.end])
    ]
    # Mark the paragraphs that continue an open quotation.
    for previous, current in itertools.pairwise(quotes):
        if previous.continues and current.para == previous.para + 1:
            current.continued = True
    continued_paras = {r.para for r in quotes if r.continued}
    for q in quotes:
        if q.continues and q.para + 1 not in continued_paras:
            q.continues = False
    return sorted(quotes, key=lambda q: q.start)


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every quotation in ``text``, marks included, one per paragraph.

    The quotation-mark step of ``extract`` alone (no attribution). Never raises.
    """
    try:
        return [(q.start, q.end) for q in find_quotes(text, paragraphs(text))]
    except Exception:
        logging.getLogger(__name__).exception(
            "Finding quotation marks failed on a %d-character text", len(text)
        )
        return []


def _can_open(text: str, after: int, p_end: int) -> bool:
    nxt = text[after] if after < p_end else ""
    return bool(nxt) and not nxt.isspace()
