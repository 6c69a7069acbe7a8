"""Text-quote selectors: describe a span so it can be found again (pure, no database).

A span is [start, end) in Python code points of the article body. Alongside
it Quotetrail keeps the exact text and a little context on each side, so a
quote survives a corrected body and a browser's UTF-16 offsets can be
checked against the text the user actually selected.
"""

import unicodedata
from dataclasses import dataclass

CONTEXT = 32


@dataclass(frozen=True, slots=True)
class Selector:
    exact: str
    prefix: str
    suffix: str


def selector_for(body: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    if not (0 <= start < end <= len(body)):
        raise ValueError(f"span [{start}, {end}) is outside the body (length {len(body)})")
    return Selector(
        exact=body[start:end],
        prefix=body[max(0, start - context) : start],
        suffix=body[end : end + context],
    )


def _context_score(body: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of context agree around a candidate match."""
    score = 0
    before = body[:start]
    for a, b in zip(reversed(before), reversed(prefix), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(body[end:], suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def resolve(body: str, selector: Selector, hint: int | None = None) -> tuple[int, int] | None:
    """Where the selector's exact text is in the body, or None.

    With several occurrences the one whose surrounding text best matches the
    selector's prefix and suffix wins; ties go to the one nearest the hint.
    """
    exact = selector.exact
    if not exact:
        return None
    candidates = []
    position = body.find(exact)
    while position != -1:
        candidates.append(position)
        position = body.find(exact, position + 1)
    if not candidates:
        return None

    def rank(start: int):
        score = _context_score(body, start, start + len(exact), selector.prefix, selector.suffix)
        distance = abs(start - hint) if hint is not None else 0
        return (-score, distance, start)

    best = min(candidates, key=rank)
    return best, best + len(exact)


class SpanRefused(ValueError):
    """A selection that cannot become a quote; the message is for the editor."""


def utf16_to_index(text: str, offset: int) -> int | None:
    """The code-point index of a UTF-16 offset (as browsers count), or None.

    None when the offset is negative, past the end, or falls between the two
    halves of a surrogate pair (inside an emoji, for instance).
    """
    if offset < 0:
        return None
    encoded = text.encode("utf-16-le", "surrogatepass")
    if offset * 2 > len(encoded):
        return None
    try:
        return len(encoded[: offset * 2].decode("utf-16-le"))
    except UnicodeDecodeError:
        return None


def _snap_to_characters(body: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span so it neither starts nor ends inside a base+combining sequence."""
    while start > 0 and unicodedata.combining(body[start]):
        start -= 1
    while end < len(body) and unicodedata.combining(body[end]):
        end += 1
    return start, end


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def confirm_span(
    body: str,
    text: str,
    start: int | None,
    end: int | None,
    prefix: str = "",
    suffix: str = "",
) -> tuple[int, int]:
    """The code-point span of a selection, confirmed against the body.

    `start`/`end` are the client's offsets (in code points, or None when
    unknown); `text` is what the client says it selected. The offsets are
    trusted only if the body holds exactly `text` there; otherwise the text is
    looked up, best-matching context first, then nearest the claimed position.
    Surrounding white space is trimmed and the span never splits a character
    from its combining marks. Raises SpanRefused with a message for the editor.
    """
    if not text or not text.strip():
        raise SpanRefused("Select some text first: the selection is empty.")
    if start is not None and end is not None and not 0 <= start < end <= len(body):
        raise SpanRefused(f"The selection {start}–{end} is outside this article (0–{len(body)}).")
    if start is None or end is None or body[start:end] != text:
        found = resolve(body, Selector(text, prefix, suffix), hint=start) or resolve(
            body, Selector(text.strip(), prefix, suffix), hint=start
        )
        if found is None:
            raise SpanRefused(
                "The selected text does not match this article; reload the page and select again."
            )
        start, end = found
    start, end = _trim(body, start, end)
    start, end = _snap_to_characters(body, start, end)
    return start, end
