"""Text-quote selectors: describe a span so it can be found again (pure, no database).

A span is [start, end) in Python code points of the article body. Alongside
it Quotetrail keeps the exact text and a little context on each side, so a
quote survives a corrected body and a browser's UTF-16 offsets can be
checked against the text the user actually selected.
"""

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
