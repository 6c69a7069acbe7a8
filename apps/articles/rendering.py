"""The article body as HTML with highlighted spans.

The output's text content is exactly the body (rendered with `white-space:
pre-wrap`), so a browser selection inside it maps straight back to body
offsets. Body text is always escaped; the only markup is ours.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .segments import segments


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    key: int  # the quote's id
    css: str  # colour and kind classes of the highlight
    badge: str  # shown after the span's last character, e.g. the speaker's legend number


def highlighted_body(body: str, marks: list[Mark]) -> SafeString:
    by_key = {mark.key: mark for mark in marks}
    parts: list[str] = []
    for segment in segments(len(body), ((m.start, m.end, m.key) for m in marks)):
        text = escape(body[segment.start : segment.end])
        if not segment.keys:
            parts.append(text)
            continue
        covering = [by_key[key] for key in segment.keys]
        # The innermost (shortest) span gives the segment its colour.
        inner = min(covering, key=lambda m: (m.end - m.start, m.key))
        starting = [m for m in covering if m.start == segment.start]
        ending = [m for m in covering if m.end == segment.end]
        for mark in starting:
            parts.append(f'<span class="anchor" id="q-{mark.key}"></span>')
        classes = ["hl", inner.css]
        if len(covering) > 1:
            classes.append("hl-nested")
        attrs = [
            f'class="{" ".join(classes)}"',
            f'data-q="{" ".join(str(k) for k in segment.keys)}"',
            f'data-inner="{inner.key}"',
        ]
        if starting:
            described = " ".join(f"qi-{m.key}" for m in starting)
            attrs.append(f'tabindex="0" aria-describedby="{described}"')
        if ending:
            attrs.append(f'data-badge="{escape(" ".join(dict.fromkeys(m.badge for m in ending)))}"')
        parts.append(f"<mark {' '.join(attrs)}>{text}</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - body text escaped above, attributes are ours
