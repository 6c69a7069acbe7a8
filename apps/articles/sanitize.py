"""Imported HTML to canonical plain text. The only module that touches bleach.

bleach (html5lib) parses whatever arrives and re-serialises it with a small
allow-list of tags and no attributes at all, so event handlers, `style`,
`href`, `hx-*` and every other attribute are gone before anything else reads
it. The well-formed result is then walked once to turn block elements into
paragraphs; the contents of script-like elements are dropped, not kept as text.
"""

import re
from html.parser import HTMLParser

import bleach

from .reading.text import canonicalize

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "td", "th", "tr", "ul",
    }
)  # fmt: skip
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em",
        "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
        "sub", "sup", "time", "u", "var", "br",
    }
)  # fmt: skip
# Kept through bleach only so that their contents can be dropped afterwards.
DROPPED_TAGS = frozenset(
    {"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "head"}
)
_ALLOWED = BLOCK_TAGS | INLINE_TAGS | DROPPED_TAGS | {"title", "body", "html"}


class _TextWalker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title_parts: list[str] = []
        self.first_heading: str | None = None
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._dropped_depth = 0
        self._in_title = False
        self._in_pre = 0
        self._heading_parts: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in DROPPED_TAGS and tag != "head":
            self._dropped_depth += 1
        elif tag == "br":
            self._current.append("\n")
        elif tag in BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._in_pre += 1
            if tag == "h1" and self.first_heading is None:
                self._heading_parts = []

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self._current.append("\n")
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in DROPPED_TAGS and tag != "head":
            self._dropped_depth = max(0, self._dropped_depth - 1)
        elif tag in BLOCK_TAGS:
            if tag == "h1" and self._heading_parts is not None:
                self.first_heading = _collapse("".join(self._heading_parts))
                self._heading_parts = None
            self._flush()
            if tag == "pre":
                self._in_pre = max(0, self._in_pre - 1)

    def handle_data(self, data):
        if self._dropped_depth:
            return
        if self._in_title:
            self.title_parts.append(data)
            return
        self._current.append(data)
        if self._heading_parts is not None:
            self._heading_parts.append(data)

    def _flush(self):
        text = "".join(self._current)
        self._current = []
        if not self._in_pre:
            text = "\n".join(_collapse(line) for line in text.split("\n"))
        if text.strip():
            self.paragraphs.append(text.strip())

    def close(self):
        super().close()
        self._flush()


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _collapse(text: str) -> str:
    """HTML whitespace rules: runs of ASCII white space are one space (no-break spaces stay)."""
    return _HTML_SPACE.sub(" ", text).strip(" ")


def html_to_text(html: str) -> tuple[str, str]:
    """(title, canonical body) of an HTML document; the title may be empty."""
    cleaned = bleach.clean(
        html, tags=_ALLOWED, attributes={}, protocols=[], strip=True, strip_comments=True
    )
    walker = _TextWalker()
    walker.feed(cleaned)
    walker.close()
    title = _collapse("".join(walker.title_parts))
    paragraphs = walker.paragraphs
    heading = walker.first_heading
    if heading and paragraphs and paragraphs[0] == heading and (not title or heading in title):
        # The visible headline repeats the document title: keep it once, as the title.
        title = heading
        paragraphs = paragraphs[1:]
    elif not title and heading:
        title = heading
        if paragraphs and paragraphs[0] == heading:
            paragraphs = paragraphs[1:]
    return title, canonicalize("\n\n".join(paragraphs))
