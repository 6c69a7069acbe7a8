"""Suggestions: what the extractor finds, kept per article until an editor decides.

Extraction runs when an article is imported or its body corrected, as a background
task queued when that write commits (apps/quotes/tasks.py). An editor
accepts a suggestion (it becomes a draft quote, speaker matched or created) or
dismisses it; both decisions are kept, so extracting again never brings back
what was already decided. Nothing becomes a quote without an editor's action.
"""

import calendar
import logging
from dataclasses import dataclass

from django.utils import timezone

from apps.articles.models import Article
from apps.core.versions import bump, collecting
from apps.core.versions import key as version_key
from apps.sources.lookup import match_speakers
from apps.sources.models import Source, Speaker

from .extraction import extract
from .models import Quote, Suggestion
from .tagging import NewSpeaker, QuoteChange, TaggingRefused, create_quote

logger = logging.getLogger(__name__)

ORGANIZATION_WORDS = (
    "ministry", "department", "agency", "council", "committee", "coalition", "government",
    "office", "party", "union", "association", "police", "army", "bbc", "campaign",
    "house", "senate", "congress", "court", "commission", "university", "company",
    "group", "organization", "organisation", "institute", "investigation", "report",
)  # fmt: skip
PERSON_ROLES = (
    "mayor", "spokesman", "spokeswoman", "spokesperson", "minister", "president", "coach",
    "captain", "official", "officer", "secretary", "senator", "governor", "chief", "director",
    "judge", "lawyer", "witness", "driver", "resident", "general", "colonel", "leader",
)  # fmt: skip


def find(body: str) -> dict:
    """What the extractor finds in the text, by span: the slow part of a refresh, which
    the task runs before it takes any lock."""
    return {(e.start, e.end): e for e in extract(body)}


def refresh_suggestions(article: Article, found: dict | None = None) -> int:
    """Extract again; keep decisions, replace what is still open. Returns open count.

    `found` is what `find` returned for the article's current body (found here when
    None). Refreshing twice with the same findings writes nothing the second time."""

    if found is None:
        found = find(article.body)
    existing = {(s.start, s.end): s for s in Suggestion.objects.filter(article=article)}
    stale = [
        s.pk
        for key, s in existing.items()
        if key not in found and s.status == Suggestion.Status.OPEN
    ]
    Suggestion.objects.filter(pk__in=stale).delete()
    fresh, changed = [], []
    for key, item in found.items():
        fields = {
            "exact": item.text,
            "kind": item.kind,
            "speaker_name": (item.speaker_name or (item.speaker.text if item.speaker else ""))[
                :300
            ],
            "speaker_mention": (item.speaker.text if item.speaker else "")[:300],
            "cue": (item.cue.text if item.cue else "")[:100],
            "document": item.document[:300],
            "confidence": min(1.0, max(0.0, float(item.confidence))),
        }
        current = existing.get(key)
        if current is None:
            fresh.append(Suggestion(article=article, start=item.start, end=item.end, **fields))
        elif current.status == Suggestion.Status.OPEN:
            for name, value in fields.items():
                setattr(current, name, value)
            changed.append(current)
    Suggestion.objects.bulk_create(fresh)
    if changed:
        Suggestion.objects.bulk_update(changed, list(fields))
    if stale or fresh or changed:  # bulk writes send no signals: the article's page moves here
        bump({version_key("article", article.pk)})
    return Suggestion.objects.open_for(article).count()


@dataclass
class Offer:
    """A suggestion as the panel shows it, with the speaker it would be attributed to."""

    suggestion: Suggestion
    speaker: Speaker | None  # a known speaker, or None (a new one is created on accept)


OFFERS_SHOWN = 200  # the article page lists at most this many open suggestions


def offers(article: Article, limit: int = OFFERS_SHOWN) -> list[Offer]:
    suggestions = list(Suggestion.objects.open_for(article)[:limit])
    known = match_speakers({s.speaker_name for s in suggestions if s.speaker_name})
    return [Offer(s, known.get(s.speaker_name)) for s in suggestions]


def _looks_like_organization(name: str) -> bool:
    """A guess for speakers created from suggestions; editors can change the kind."""
    words = name.lower().replace(",", " ").split()
    if any(word in PERSON_ROLES for word in words):
        return False
    return any(word in ORGANIZATION_WORDS for word in words) or (bool(words) and words[0] == "the")


# The kinds of source a document named in the text may be ("an October 14 release").
DOCUMENT_KINDS = {
    "release": [Source.Kind.PRESS_RELEASE],
    "statement": [Source.Kind.STATEMENT, Source.Kind.PRESS_RELEASE],
    "response": [Source.Kind.STATEMENT],
    "report": [Source.Kind.INVESTIGATION, Source.Kind.NEWS_REPORT],
    "letter": [Source.Kind.OTHER, Source.Kind.STATEMENT],
    "memo": [Source.Kind.OTHER],
    "filing": [Source.Kind.OTHER],
    "email": [Source.Kind.STATEMENT, Source.Kind.OTHER],
}
_MONTHS = [name.lower() for name in calendar.month_name[1:]]


def document_source(suggestion: Suggestion, speaker: Speaker | None) -> Source | None:
    """The one known source the suggestion's document is: of the document's kind, issued
    by the speaker (its publisher is the speaker, or the speaker's organisation, or the
    title names it) and, when the document gives a date ("an October 14 release"), of
    that date. None when no source or several fit."""
    words = suggestion.document.lower().replace(",", " ").split()
    kinds = next((DOCUMENT_KINDS[w] for w in reversed(words) if w in DOCUMENT_KINDS), None)
    if not kinds:
        return None
    issuers = {suggestion.speaker_name.lower().removeprefix("the ").strip()}
    for who in (speaker, speaker.affiliation if speaker else None):
        if who is not None:
            issuers.add(who.name.lower())
            issuers.update(
                a.lower().removeprefix("the ") for a in who.aliases.values_list("alias", flat=True)
            )
    issuers.discard("")
    fitting = [
        source
        for source in Source.objects.filter(kind__in=kinds)
        if source.publisher.lower() in issuers
        or any(issuer in source.title.lower() for issuer in issuers)
    ]
    month = next((_MONTHS.index(w) + 1 for w in words if w in _MONTHS), None)
    day = next((int(w) for w in words if w.isdigit() and int(w) <= 31), None)
    if month is not None:
        fitting = [
            s
            for s in fitting
            if s.date is not None and s.date.month == month and day in (None, s.date.day)
        ]
    return fitting[0] if len(fitting) == 1 else None


def _change_for(suggestion: Suggestion, speaker: Speaker | None) -> QuoteChange:
    change = QuoteChange(
        start=suggestion.start, end=suggestion.end, kind=suggestion.kind, cue=suggestion.cue
    )
    if suggestion.document:
        change.source = document_source(suggestion, speaker)
    if speaker is not None:
        change.speaker = speaker
    elif suggestion.speaker_name:
        name = suggestion.speaker_name.strip()
        change.new_speaker = NewSpeaker(
            name=name[:200],
            kind=Speaker.Kind.ORGANIZATION
            if _looks_like_organization(name)
            else Speaker.Kind.PERSON,
        )
    return change


@collecting()
def accept(suggestion_id: int, user) -> tuple[Quote, QuoteChange]:
    """Make the suggestion a draft quote, attributed to a known or new speaker; the change
    it was made from says whether the speaker was created."""
    suggestion = (
        Suggestion.objects.select_for_update()
        .select_related("article")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None:  # a correction of the text replaced it a moment ago
        raise TaggingRefused("This suggestion is gone: the text was corrected; reload.")
    if suggestion.status != Suggestion.Status.OPEN:
        raise TaggingRefused("This suggestion was already decided.")
    article = suggestion.article
    if article.body[suggestion.start : suggestion.end] != suggestion.exact:
        raise TaggingRefused("The article changed since this suggestion was made; reload.")
    speaker = match_speakers([suggestion.speaker_name]).get(suggestion.speaker_name)
    change = _change_for(suggestion, speaker)
    quote = create_quote(article, change, user)
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.quote = quote
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return quote, change


@collecting()
def dismiss(suggestion_id: int, user) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id).first()
    if suggestion is None:
        raise TaggingRefused("This suggestion is gone: the text was corrected; reload.")
    if suggestion.status != Suggestion.Status.OPEN:
        raise TaggingRefused("This suggestion was already decided.")
    suggestion.status = Suggestion.Status.DISMISSED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return suggestion


def accept_all(article: Article, threshold: float, user) -> tuple[int, list[str]]:
    """Accept every open suggestion at or above the confidence, each in its own transaction."""
    accepted, problems = 0, []
    for suggestion in Suggestion.objects.open_for(article).filter(confidence__gte=threshold):
        try:
            accept(suggestion.pk, user)
            accepted += 1
        except TaggingRefused as refusal:
            problems.append(f"“{suggestion.exact[:50]}”: {refusal}")
    return accepted, problems
