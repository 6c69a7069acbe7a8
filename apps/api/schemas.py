"""What the API reads and writes. Output is built by the `*_out` functions from model
instances the routes load in bulk (no query per row); the Schema classes describe the
same shapes for the OpenAPI document."""

import datetime
from typing import Literal

from ninja import Field, Schema

from apps.core.review import ReviewStatus
from apps.quotes.models import QuoteKind
from apps.sources.models import Source, Speaker

QuoteKindName = Literal[tuple(QuoteKind.values)]  # type: ignore[valid-type]
SpeakerKindName = Literal[tuple(Speaker.Kind.values)]  # type: ignore[valid-type]
SourceKindName = Literal[tuple(Source.Kind.values)]  # type: ignore[valid-type]
StatusName = Literal[tuple(ReviewStatus.values)]  # type: ignore[valid-type]
PositionName = Literal["affirms", "denies", "qualifies"]


# --- shared pieces -------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class Page(Schema):
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")
    next: str | None = Field(None, description="The next page's URL; null on the last page.")


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict] | None = None


# --- articles ------------------------------------------------------------------------------


class ArticleIn(Schema):
    title: str = Field("", max_length=2000, description="Empty: the first line (or <title>).")
    body: str | None = Field(None, description="Plain text; blank lines between paragraphs.")
    html: str | None = Field(None, description="HTML instead of `body`; sanitized on the way in.")
    url: str = Field("", max_length=1000)
    published: datetime.date | None = None
    outlet: str = Field("", max_length=200)
    byline: str = Field("", max_length=300)


class BodyIn(Schema):
    body: str
    title: str | None = Field(None, description="Omit to keep the current title.")
    fingerprint: str = Field(
        description="The article's fingerprint as last read: a correction made meanwhile "
        "is never overwritten (409)."
    )


class ArticleOut(Schema):
    id: int
    title: str
    outlet: str
    url: str
    published: datetime.date | None
    byline: str
    fingerprint: str
    created: datetime.datetime
    updated: datetime.datetime
    quote_count: int | None = None


class QuoteOut(Schema):
    id: int
    article: int
    start: int
    end: int
    text: str
    prefix: str
    suffix: str
    kind: str
    cue: str
    note: str
    speaker: Ref | None
    source: Ref | None
    status: str
    orphaned: bool
    version: int
    created: datetime.datetime
    updated: datetime.datetime


class ArticleDetail(ArticleOut):
    body: str
    quotes: list[QuoteOut]


class ArticlePage(Page):
    items: list[ArticleOut]


class CorrectionOut(Schema):
    article: ArticleOut
    kept: int
    moved: list[int]
    orphaned: list[int]
    repaired: list[int]


# --- quotes --------------------------------------------------------------------------------


class NewSpeakerIn(Schema):
    name: str = Field(max_length=300)
    kind: SpeakerKindName = "person"
    role: str = Field("", max_length=300)
    affiliation: str = Field("", max_length=300, description="An organization, by name.")


class NewSourceIn(Schema):
    title: str = Field(max_length=400)
    kind: SourceKindName = "other"
    publisher: str = Field("", max_length=200)
    url: str = Field("", max_length=1000)
    date: datetime.date | None = None


class QuoteIn(Schema):
    text: str = Field(description="The quoted words exactly as in the body.")
    start: int | None = Field(None, description="Omit start and end to find the text.")
    end: int | None = None
    offsets: Literal["codepoints", "utf16"] = "codepoints"
    prefix: str = Field("", max_length=200, description="Words just before, to pick one of many.")
    suffix: str = Field("", max_length=200)
    kind: QuoteKindName = "direct"
    cue: str = Field("", max_length=100)
    note: str = Field("", max_length=5000)
    speaker_id: int | None = None
    speaker: str | None = Field(None, description="A speaker's name or alias.")
    new_speaker: NewSpeakerIn | None = None
    source_id: int | None = None
    source: str | None = Field(None, description="A source's title.")
    new_source: NewSourceIn | None = None


class QuotePatch(Schema):
    version: int = Field(description="The version as last read; 409 when it is stale.")
    text: str | None = None
    start: int | None = None
    end: int | None = None
    offsets: Literal["codepoints", "utf16"] = "codepoints"
    prefix: str | None = Field(None, max_length=200)
    suffix: str | None = Field(None, max_length=200)
    kind: QuoteKindName | None = None
    cue: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=5000)
    speaker_id: int | None = None
    speaker: str | None = Field(None, description="A name or alias; empty unsets it.")
    new_speaker: NewSpeakerIn | None = None
    source_id: int | None = None
    source: str | None = Field(None, description="A title; empty unsets it.")
    new_source: NewSourceIn | None = None


class QuotePage(Page):
    items: list[QuoteOut]


class DecisionIn(Schema):
    action: Literal["submit", "approve", "reject"]
    reason: str = Field("", max_length=2000, description="Required to reject.")


# --- suggestions ---------------------------------------------------------------------------


class SuggestionOut(Schema):
    id: int
    article: int
    start: int
    end: int
    text: str
    kind: str
    speaker_name: str
    speaker_mention: str
    cue: str
    document: str
    confidence: float
    status: str
    quote: int | None


class SuggestionPage(Page):
    items: list[SuggestionOut]


# --- speakers and sources ------------------------------------------------------------------


class SpeakerIn(Schema):
    name: str = Field(max_length=200)
    kind: SpeakerKindName = "person"
    role: str = Field("", max_length=300)
    affiliation_id: int | None = None
    aliases: list[str] = Field(default_factory=list, max_length=100)


class SpeakerOut(Schema):
    id: int
    name: str
    kind: str
    role: str
    affiliation: Ref | None
    aliases: list[str]


class SpeakerPage(Page):
    items: list[SpeakerOut]


class SourceIn(Schema):
    title: str = Field(max_length=300)
    kind: SourceKindName = "other"
    publisher: str = Field("", max_length=200)
    url: str = Field("", max_length=1000)
    date: datetime.date | None = None
    original_article_id: int | None = Field(None, description="The original's article.")


class SourceOut(Schema):
    id: int
    title: str
    kind: str
    publisher: str
    url: str
    date: datetime.date | None
    original_article: int | None


class SourcePage(Page):
    items: list[SourceOut]


# --- claims, stances, contradictions -------------------------------------------------------


class ClaimIn(Schema):
    text: str = Field(max_length=300)
    description: str = Field("", max_length=5000)


class ClaimOut(Schema):
    id: int
    text: str
    description: str


class ClaimPage(Page):
    items: list[ClaimOut]


class StanceIn(Schema):
    quote_id: int
    claim_id: int
    position: PositionName
    note: str = Field("", max_length=2000)


class StanceOut(Schema):
    id: int
    quote: int
    claim: int
    position: str
    note: str
    status: str
    speaker: Ref | None


class StancePage(Page):
    items: list[StanceOut]


class Side(Schema):
    stance: int
    quote: int
    article: int
    text: str
    speaker: Ref | None
    status: str


class ContradictionOut(Schema):
    claim: ClaimOut
    kind: Literal["internal", "external"]
    affirming: Side
    denying: Side


class ContradictionPage(Page):
    items: list[ContradictionOut]


# --- output builders -----------------------------------------------------------------------


def ref(obj, label: str = "name") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, label)}


def article_out(article, quote_count: int | None = None) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published,
        "byline": article.byline,
        "fingerprint": article.fingerprint,
        "created": article.created_at,
        "updated": article.updated_at,
        "quote_count": quote_count,
    }


# The columns a quote's JSON is made of: a list reads them as rows (`.values()`), without
# building model instances; a single quote reads the same names from its instance.
QUOTE_ROW = (
    *("id", "article_id", "start", "end", "exact", "prefix", "suffix", "kind", "cue"),
    *("note", "status", "orphaned", "version", "created_at", "updated_at"),
    *("speaker_id", "speaker__name", "source_id", "source__title"),
)


def _row_of(instance, names) -> dict:
    row = {}
    for name in names:
        value = instance
        for part in name.split("__"):
            value = None if value is None else getattr(value, part)
        row[name] = value
    return row


def quote_json(row: dict) -> dict:
    """A quote as the API writes it, from a row of QUOTE_ROW."""
    speaker, source = row["speaker_id"], row["source_id"]
    return {
        "id": row["id"],
        "article": row["article_id"],
        "start": row["start"],
        "end": row["end"],
        "text": row["exact"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        "kind": row["kind"],
        "cue": row["cue"],
        "note": row["note"],
        "speaker": None if speaker is None else {"id": speaker, "name": row["speaker__name"]},
        "source": None if source is None else {"id": source, "name": row["source__title"]},
        "status": row["status"],
        "orphaned": row["orphaned"],
        "version": row["version"],
        "created": row["created_at"],
        "updated": row["updated_at"],
    }


def quote_out(quote) -> dict:
    return quote_json(_row_of(quote, QUOTE_ROW))


def suggestion_out(suggestion) -> dict:
    return {
        "id": suggestion.pk,
        "article": suggestion.article_id,
        "start": suggestion.start,
        "end": suggestion.end,
        "text": suggestion.exact,
        "kind": suggestion.kind,
        "speaker_name": suggestion.speaker_name,
        "speaker_mention": suggestion.speaker_mention,
        "cue": suggestion.cue,
        "document": suggestion.document,
        "confidence": suggestion.confidence,
        "status": suggestion.status,
        "quote": suggestion.quote_id,
    }


def speaker_out(speaker) -> dict:
    return {
        "id": speaker.pk,
        "name": speaker.name,
        "kind": speaker.kind,
        "role": speaker.role,
        "affiliation": ref(speaker.affiliation),
        "aliases": [alias.alias for alias in speaker.aliases.all()],
    }


def source_out(source) -> dict:
    return {
        "id": source.pk,
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher,
        "url": source.url,
        "date": source.date,
        "original_article": source.article_id,
    }


def claim_out(claim) -> dict:
    return {"id": claim.pk, "text": claim.text, "description": claim.description}


def stance_out(stance) -> dict:
    return {
        "id": stance.pk,
        "quote": stance.quote_id,
        "claim": stance.claim_id,
        "position": stance.position,
        "note": stance.note,
        "status": stance.status,
        "speaker": ref(stance.quote.speaker),
    }
