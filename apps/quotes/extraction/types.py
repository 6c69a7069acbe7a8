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
