"""Canonical article text (pure functions, no database).

The canonical body is plain text: Unicode NFC, `\\n` line ends, no control
characters, no trailing spaces, paragraphs separated by exactly one blank line.
Every quote offset points into this text, so it is computed once, at import.
"""

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_LEADING_SPACE = re.compile(r"^[ \t\u00a0]+", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def canonicalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\t", " ")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _LEADING_SPACE.sub("", text)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


def split_title(text: str) -> tuple[str, str]:
    """A plain-text article: the first non-empty line is the title, the rest the body."""
    canonical = canonicalize(text)
    title, _, body = canonical.partition("\n")
    return title.strip(), body.strip()
