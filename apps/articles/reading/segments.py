"""Split a text at every span boundary (pure functions, no database).

Quotes nest and overlap, so the reader cannot wrap each one in its own
element. Instead the body is cut at every boundary and each piece is rendered
once with the set of spans covering it; any arrangement of spans then gives
valid HTML whose text is exactly the body.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    keys: tuple  # keys of the spans covering [start, end), in the order given


def segments(length: int, spans: Iterable[tuple[int, int, Hashable]]) -> list[Segment]:
    """Cover [0, length) with consecutive segments; each lists the spans over it.

    Spans are (start, end, key) with 0 <= start < end <= length; a bad span is
    a ValueError, because the database never holds one.
    """
    spans = list(spans)
    order = {}
    starts: dict[int, list] = {}
    ends: dict[int, list] = {}
    cuts = {0, length}
    for index, (start, end, key) in enumerate(spans):
        if not (0 <= start < end <= length):
            raise ValueError(f"span {key!r} [{start}, {end}) is outside [0, {length})")
        order[key] = index
        starts.setdefault(start, []).append(key)
        ends.setdefault(end, []).append(key)
        cuts.add(start)
        cuts.add(end)
    result: list[Segment] = []
    active: set = set()
    bounds = sorted(cuts)
    for left, right in pairwise(bounds):
        active.difference_update(ends.get(left, ()))
        active.update(starts.get(left, ()))
        result.append(Segment(left, right, tuple(sorted(active, key=order.__getitem__))))
    return result
