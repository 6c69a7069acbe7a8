"""Guesses that pre-fill the tag form: the cue verb and the kind of a quote
(pure functions, no database). An editor always confirms them.

The verbs of saying and the sentences are the extractor's own: the inflected cue
verbs of ``apps.quotes.extraction.lexicon`` (a verb inside another quotation does
not count) and its sentence splitter, which knows abbreviations such as "Lt." and
does not end a sentence inside a quotation."""

import bisect

from apps.quotes.extraction import quotation_spans
from apps.quotes.extraction.lexicon import CUE_BASE, CUE_RE, SPEECH_BASES, is_false_cue
from apps.quotes.extraction.sentences import sentence_spans

OPENING_QUOTES = "\"“‘'«„"
CLOSING_QUOTES = "\"”’'»"
WINDOW = 160


def _sentence(body: str, pos: int) -> tuple[int, int]:
    spans = sentence_spans(body)
    k = bisect.bisect_right([s for s, _ in spans], pos) - 1
    return spans[k] if k >= 0 else (0, len(body))


def _cues(body: str, lo: int, hi: int) -> list[str]:
    """Cue verbs in body[lo:hi], lower-cased, outside quotations."""
    inside = quotation_spans(body)
    return [
        m.group(1).lower()
        for m in CUE_RE.finditer(body, lo, hi)
        if not is_false_cue(body, m) and not any(a <= m.start() < b for a, b in inside)
    ]


def _cue_after(body: str, start: int, end: int) -> str:
    if body[start:end].rstrip(CLOSING_QUOTES).endswith((".", "!", "?")):
        return ""  # the quote closes its sentence; what follows is another one
    _, s_end = _sentence(body, max(start, end - 1))
    found = _cues(body, end, max(end, min(s_end, end + WINDOW)))
    return found[0] if found else ""


def _cue_before(body: str, start: int) -> str:
    s_start, _ = _sentence(body, start)
    found = _cues(body, max(s_start, start - WINDOW), start)
    return found[-1] if found else ""


def guess_cue(body: str, start: int, end: int) -> str:
    """The verb of saying nearest the quote, within its sentence.

    A direct quotation usually has its cue after it ("…," he said); partial
    and indirect ones before ("said it does not …"), so that side is tried first.
    """
    if guess_kind(body, start, end) == "direct" and not body[:start].rstrip().endswith(":"):
        return _cue_after(body, start, end) or _cue_before(body, start)
    return _cue_before(body, start) or _cue_after(body, start, end)


def _introduces(word: str) -> bool:
    """'said', 'insisted', 'told', 'that': a word after which a quotation is the whole content."""
    return word == "that" or CUE_BASE.get(word, "") in SPEECH_BASES


def guess_kind(body: str, start: int, end: int) -> str:
    """direct, partial or indirect, from the quotation marks and what precedes them."""
    text = body[start:end]
    if not text or text[0] not in OPENING_QUOTES:
        return "indirect"
    before = body[max(0, start - 40) : start].rstrip()
    # A quotation opening mid-sentence ("said it does not “make deals…”") is partial.
    if before and (before[-1].isalnum() or before[-1] in ",;") and not before.endswith(":"):
        tail = before.split()[-1].lower().strip(",;")
        if not _introduces(tail):
            return "partial"
    return "direct"
