"""The article body as HTML with highlighted spans, paragraph by paragraph.

The output's text content is exactly the body (rendered with `white-space:
pre-wrap`), so a browser selection inside it maps straight back to body
offsets. Body text is always escaped; the only markup is ours.

Each paragraph is an inline `<span class="para" id="p-N">` holding the blank
line after it, so the paragraphs together hold the whole body and one of them
can be replaced on its own after a save (`highlighted_paragraph` renders
exactly what `highlighted_body` puts inside it). A highlight that runs over a
paragraph break is cut there, as it is cut wherever another span begins or ends.
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


def highlighted_body(body: str, marks: Iterable[Mark]) -> SafeString:
    starts = paragraph_starts(body)
    per_paragraph: list[list[Mark]] = [[] for _ in starts]
    for mark in marks:
        for index in paragraphs_of(starts, mark.start, mark.end):
            per_paragraph[index].append(mark)
    return mark_safe(  # noqa: S308 - escaped by _highlight
        "".join(
            f'<span class="para" id="p-{index}">{_highlight(body, starts, index, found)}</span>'
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


def _highlight(body: str, starts: list[int], index: int, marks: list[Mark]) -> str:
    """Paragraph `index` with these marks (those touching it, in the order given)."""
    first = starts[index]
    last = starts[index + 1] if index + 1 < len(starts) else len(body)
    by_key = {mark.key: mark for mark in marks}
    clipped = ((max(m.start, first) - first, min(m.end, last) - first, m.key) for m in marks)
    parts: list[str] = []
    for piece in segments(last - first, clipped):
        start, end = piece.start + first, piece.end + first
        text = escape(body[start:end])
        if not piece.keys:
            parts.append(text)
            continue
        covering = [by_key[key] for key in piece.keys]
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
            f'data-q="{" ".join(str(k) for k in piece.keys)}"',
            f'data-inner="{inner.key}"',
        ]
        if starting:
            described = " ".join(f"qi-{m.key}" for m in starting)
            attrs.append(f'tabindex="0" aria-describedby="{described}"')
        if ending:
            attrs.append(f'data-badge="{escape(" ".join(dict.fromkeys(m.badge for m in ending)))}"')
        parts.append(f"<mark {' '.join(attrs)}>{text}</mark>")
    return "".join(parts)
