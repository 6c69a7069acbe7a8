"""Guesses that pre-fill the tag form: the cue verb and the kind of a quote
(pure functions, no database). An editor always confirms them."""

import re

CUE_VERBS = (
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "wrote",
    "writes", "explained", "explains", "claimed", "claims", "admitted", "admits",
    "acknowledged", "acknowledges", "insisted", "insists", "argued", "argues", "noted",
    "notes", "asked", "asks", "replied", "replies", "responded", "responds", "warned",
    "warns", "announced", "announces", "declared", "declares", "denied", "denies",
    "confirmed", "confirms", "rejected", "rejects", "tweeted", "tweets", "posted",
    "continued", "recalled", "suggested", "suggests", "described", "reveals", "revealed",
    "reported", "reports", "according to", "reportedly", "pointed to", "saying",
)  # fmt: skip
_CUE = re.compile(r"\b(" + "|".join(re.escape(v) for v in CUE_VERBS) + r")\b", re.IGNORECASE)
OPENING_QUOTES = "\"“‘'«„"
CLOSING_QUOTES = "\"”’'»"
WINDOW = 160
# A sentence ends at . ! ? followed by a capital, unless it closes an initial or a title.
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\bCol)(?<!\bGen)(?<!\bGov)(?<!\bSen)(?<!\bRep)(?<!\bMr)(?<!\bMs)"
    r"(?<!\bMrs)(?<!\bDr)(?<!\bSt)[.!?][\"”’]?\s+(?=[A-Z\"“])"
)
_INTRODUCERS = {"said", "says", "told", "added", "saying", "asked", "that", "stated", "wrote"}


def _cue_after(body: str, start: int, end: int) -> str:
    if body[start:end].rstrip(CLOSING_QUOTES).endswith((".", "!", "?")):
        return ""  # the quote closes its sentence; what follows is another one
    after = body[end : end + WINDOW].split("\n", 1)[0]
    stop = _SENTENCE_END.search(after)
    match = _CUE.search(after[: stop.start()] if stop else after)
    return match.group(1).lower() if match else ""


def _cue_before(body: str, start: int) -> str:
    before = body[max(0, start - WINDOW) : start]
    stops = list(_SENTENCE_END.finditer(before))
    if stops:
        before = before[stops[-1].end() :]
    before = before.rsplit("\n", 1)[-1]
    matches = list(_CUE.finditer(before))
    return matches[-1].group(1).lower() if matches else ""


def guess_cue(body: str, start: int, end: int) -> str:
    """The verb of saying nearest the quote, within its sentence.

    A direct quotation usually has its cue after it ("…," he said); partial
    and indirect ones before ("said it does not …"), so that side is tried first.
    """
    if guess_kind(body, start, end) == "direct" and not body[:start].rstrip().endswith(":"):
        return _cue_after(body, start, end) or _cue_before(body, start)
    return _cue_before(body, start) or _cue_after(body, start, end)


def guess_kind(body: str, start: int, end: int) -> str:
    """direct, partial or indirect, from the quotation marks and what precedes them."""
    text = body[start:end]
    if not text or text[0] not in OPENING_QUOTES:
        return "indirect"
    before = body[max(0, start - 40) : start].rstrip()
    # A quotation opening mid-sentence ("said it does not “make deals…”") is partial.
    if before and (before[-1].isalnum() or before[-1] in ",;") and not before.endswith(":"):
        tail = before.split()[-1].lower().strip(",;")
        if tail not in _INTRODUCERS:
            return "partial"
    return "direct"
