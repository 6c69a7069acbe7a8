"""What extraction returns: a quotation or report with its speaker and cue mentions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Extracted:
    start: int
    end: int
    text: str
    kind: str  # "direct" | "partial" | "indirect"
    speaker: Mention | None
    cue: Mention | None
    confidence: float
    speaker_name: str = ""
    # the document or role the speaker mention names ("an October 14 release"), when
    # speaker_name is its issuer ("The coalition")
    document: str = ""
