"""The article body as HTML with highlighted spans, paragraph by paragraph.

The output's text content is exactly the body (rendered with `white-space:
pre-wrap`), so a browser selection inside it maps straight back to body
offsets. Body text is always escaped; the only markup is ours.

Each paragraph is an inline `<span class="para" id="p-N">` holding the blank
line after it, so the paragraphs together hold the whole body and one of them
can be replaced on its own after a save (`highlighted_paragraph` renders
exactly what `highlighted_body` puts inside it). A highlight that runs over a
paragraph break is cut there, as it is cut wherever another span begins or ends.

A page may also show one passage of the body (the original of a quotation checked
against it): each piece of the passage is wrapped in `<mark class="passage">`, around
any highlights inside it, and its first piece carries `id="passage"` so that a link to
`#passage` scrolls to it.
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .segments import segments
from .text import PARAGRAPH_BREAK


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    key: int  # the quote's id
    css: str  # colour and kind classes of the highlight
    badge: str  # shown after the span's last character, e.g. the speaker's legend number


def paragraph_starts(body: str) -> list[int]:
    """Where each paragraph begins: at 0 and after every blank line. A paragraph runs to
    where the next one begins."""
    starts = [0]
    for match in PARAGRAPH_BREAK.finditer(body):
        if match.end() < len(body):
            starts.append(match.end())
    return starts


def paragraphs_of(starts: list[int], start: int, end: int) -> range:
    """The paragraphs that the span [start, end) touches."""
    return range(bisect_right(starts, start) - 1, bisect_right(starts, end - 1))


PASSAGE = "passage"  # the passage's key among the spans cut into segments


def valid_passage(body: str, passage) -> tuple[int, int] | None:
    """`passage` as (start, end) when it is a span of the body, else None."""
    if passage is None:
        return None
    start, end = passage
    return (start, end) if 0 <= start < end <= len(body) else None


def highlighted_body(
    body: str, marks: Iterable[Mark], passage: tuple[int, int] | None = None
) -> SafeString:
    """The body with these highlights, and `passage` (start, end) marked when it is a
    span of the body (anything else is ignored)."""
    starts = paragraph_starts(body)
    passage = valid_passage(body, passage)
    per_paragraph: list[list[Mark]] = [[] for _ in starts]
    for mark in marks:
        for index in paragraphs_of(starts, mark.start, mark.end):
            per_paragraph[index].append(mark)
    shown = set(paragraphs_of(starts, *passage)) if passage else set()
    return mark_safe(  # noqa: S308 - escaped by _highlight
        "".join(
            f'<span class="para" id="p-{index}">'
            f"{_highlight(body, starts, index, found, passage if index in shown else None)}"
            "</span>"
            for index, found in enumerate(per_paragraph)
        )
    )


def highlighted_paragraph(
    body: str, marks: Iterable[Mark], index: int, starts: list[int] | None = None
) -> SafeString:
    """What `highlighted_body` puts inside paragraph `index` (its <span id="p-N">)."""
    starts = paragraph_starts(body) if starts is None else starts
    found = [mark for mark in marks if index in paragraphs_of(starts, mark.start, mark.end)]
    return mark_safe(_highlight(body, starts, index, found))  # noqa: S308 - escaped there


def _highlight(
    body: str,
    starts: list[int],
    index: int,
    marks: list[Mark],
    passage: tuple[int, int] | None = None,
) -> str:
    """Paragraph `index` with these marks (those touching it, in the order given) and the
    part of `passage` in it."""
    first = starts[index]
    last = starts[index + 1] if index + 1 < len(starts) else len(body)
    by_key = {mark.key: mark for mark in marks}
    spans = [(m.start, m.end, m.key) for m in marks]
    if passage is not None:
        spans.append((*passage, PASSAGE))
    clipped = ((max(s, first) - first, min(e, last) - first, k) for s, e, k in spans)
    parts: list[str] = []
    for piece in segments(last - first, clipped):
        start, end = piece.start + first, piece.end + first
        keys = tuple(key for key in piece.keys if key != PASSAGE)
        if len(keys) < len(piece.keys):
            where = ' id="passage"' if start == passage[0] else ""
            parts.append(f'<mark class="passage"{where}>')
        parts.append(_piece(body, start, end, keys, by_key))
        if len(keys) < len(piece.keys):
            parts.append("</mark>")
    return "".join(parts)


def _piece(body: str, start: int, end: int, keys: tuple, by_key: dict[int, Mark]) -> str:
    """body[start:end], highlighted by the marks `keys` names."""
    text = escape(body[start:end])
    if not keys:
        return text
    parts: list[str] = []
    covering = [by_key[key] for key in keys]
    # The innermost (shortest) span gives the segment its colour.
    inner = min(covering, key=lambda m: (m.end - m.start, m.key))
    starting = [m for m in covering if m.start == start]
    ending = [m for m in covering if m.end == end]
    for mark in starting:
        parts.append(f'<span class="anchor" id="q-{mark.key}"></span>')
    classes = ["hl", inner.css]
    if len(covering) > 1:
        classes.append("hl-nested")
    attrs = [
        f'class="{" ".join(classes)}"',
        f'data-q="{" ".join(str(k) for k in keys)}"',
        f'data-inner="{inner.key}"',
    ]
    if starting:
        described = " ".join(f"qi-{m.key}" for m in starting)
        attrs.append(f'tabindex="0" aria-describedby="{described}"')
    if ending:
        attrs.append(f'data-badge="{escape(" ".join(dict.fromkeys(m.badge for m in ending)))}"')
    parts.append(f"<mark {' '.join(attrs)}>{text}</mark>")
    return "".join(parts)
