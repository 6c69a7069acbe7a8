"""Quotes: listed with filters, tagged by offsets or by their words, changed and deleted
against the version last read."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from apps.articles.models import Article
from apps.claims.actions import ActionRefused, allowed, decide
from apps.core.review import ReviewStatus
from apps.quotes.forms import QuoteForm
from apps.quotes.models import Quote, QuoteKind
from apps.quotes.tagging import (
    ALREADY_TAGGED,
    StaleVersion,
    TaggingRefused,
    create_quote,
    delete_quote,
    update_quote,
)
from apps.sources.lookup import source_label, speaker_label
from apps.sources.models import Source, Speaker

from ..access import require_tag
from ..pagination import aware, page
from ..problems import Problem, form_errors, invalid
from ..schemas import (
    QUOTE_ROW,
    DecisionIn,
    QuoteIn,
    QuoteOut,
    QuotePage,
    QuotePatch,
    quote_json,
    quote_out,
)

router = Router(tags=["quotes"])


# The tag form's field names, as the API names them in its refusals.
FIELDS = {
    "new_speaker_kind": "new_speaker.kind",
    "new_speaker_role": "new_speaker.role",
    "new_speaker_affiliation": "new_speaker.affiliation",
    "new_source_kind": "new_source.kind",
    "new_source_publisher": "new_source.publisher",
    "new_source_url": "new_source.url",
    "new_source_date": "new_source.date",
}


def _chosen(data: dict, payload, what: str, model, label) -> dict[str, str]:
    """Fill the tag form's speaker or source field from an id, a name or a new one."""
    by_id = getattr(payload, f"{what}_id")
    by_name = getattr(payload, what)
    new = getattr(payload, f"new_{what}")
    given = [name for name, value in ((f"{what}_id", by_id), (what, by_name), (f"new_{what}", new))
             if value is not None]  # fmt: skip
    if len(given) > 1:
        raise invalid(given[1], f"Give the {what} one way: {', '.join(given)} are all set.")
    renamed = {}
    if by_id is not None:
        found = model.objects.filter(pk=by_id).first()
        if found is None:
            raise invalid(f"{what}_id", f"No {what} has id {by_id}.")
        data[what] = label(found)
        renamed[what] = f"{what}_id"
    elif by_name is not None:
        data[what] = by_name
    elif new is not None:
        fields = new.dict()
        data[what] = fields.pop("name" if what == "speaker" else "title")
        data[f"new_{what}"] = "on"
        for name, value in fields.items():
            data[f"new_{what}_{name}"] = "" if value is None else str(value)
        renamed[what] = f"new_{what}.{'name' if what == 'speaker' else 'title'}"
    return renamed


def _validated(article: Article, data: dict, payload) -> QuoteForm:
    renamed = {**FIELDS}
    renamed |= _chosen(data, payload, "speaker", Speaker, speaker_label)
    renamed |= _chosen(data, payload, "source", Source, source_label)
    form = QuoteForm(data, article=article)
    if not form.is_valid():
        raise form_errors(form, renamed)
    return form


def _refused(refusal: TaggingRefused) -> Problem:
    message = str(refusal)
    if message == ALREADY_TAGGED:
        return Problem(409, message)
    return invalid("text", message)


@router.get("/quotes", response=QuotePage, summary="List quotes, oldest first")
def list_quotes(
    request,
    article: int | None = None,
    speaker: int | None = None,
    source: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    updated_since: datetime.datetime | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """Filters combine; `updated_since` (ISO 8601) is how a system keeps a copy in step."""
    quotes = Quote.objects.values(*QUOTE_ROW)
    if kind is not None:
        if kind not in QuoteKind.values:
            raise invalid("kind", f"One of {', '.join(QuoteKind.values)}.")
        quotes = quotes.filter(kind=kind)
    if status is not None:
        if status not in ReviewStatus.values:
            raise invalid("status", f"One of {', '.join(ReviewStatus.values)}.")
        quotes = quotes.filter(status=status)
    for name, value in (("article", article), ("speaker", speaker), ("source", source)):
        if value is not None:
            quotes = quotes.filter(**{f"{name}_id": value})
    if updated_since is not None:
        quotes = quotes.filter(updated_at__gte=aware(updated_since))
    return page(request, quotes, cursor, limit, quote_json)


@router.get("/quotes/{int:quote_id}", response=QuoteOut, summary="A quote")
def get_quote(request, quote_id: int):
    return quote_out(
        get_object_or_404(Quote.objects.select_related("speaker", "source"), pk=quote_id)
    )


@router.post("/articles/{int:article_id}/quotes", response={201: QuoteOut}, summary="Tag a quote")
def tag_quote(request, article_id: int, payload: QuoteIn):
    """By offsets (`start`, `end`: code points, or UTF-16 units with `offsets=utf16`) or
    by the exact words alone, found in the body as the keyboard does; `prefix` or
    `suffix` picks one of several occurrences. The speaker and source by id, by name,
    or new."""
    require_tag(request)
    article = get_object_or_404(Article, pk=article_id)
    data = {
        "text": payload.text,
        "offsets": payload.offsets,
        "prefix": payload.prefix,
        "suffix": payload.suffix,
        "kind": payload.kind,
        "cue": payload.cue,
        "note": payload.note,
    }
    if (payload.start is None) != (payload.end is None):
        raise invalid("end" if payload.end is None else "start", "Give start and end together.")
    if payload.start is not None:
        data.update(start=str(payload.start), end=str(payload.end))
    form = _validated(article, data, payload)
    try:
        quote = create_quote(article, form.change(), request.user)
    except TaggingRefused as refusal:
        raise _refused(refusal) from None
    return Status(201, quote_out(quote))


def _stale(current: Quote | None) -> Problem:
    if current is None:
        return Problem(404, "This quote no longer exists.")
    return Problem(
        409,
        f"This quote was changed by someone else (now version {current.version}); "
        "read it again and reapply your change.",
        current=quote_out(current),
    )


def _current(quote_id: int) -> Quote | None:
    return Quote.objects.select_related("speaker", "source").filter(pk=quote_id).first()


@router.patch("/quotes/{int:quote_id}", response=QuoteOut, summary="Change a quote")
def change_quote(request, quote_id: int, payload: QuotePatch):
    """Only the fields sent change. Sending `text` without offsets finds the words again;
    an empty `speaker` or `source` unsets it."""
    require_tag(request)
    quote = get_object_or_404(
        Quote.objects.select_related("article", "speaker", "source"), pk=quote_id
    )
    if quote.version != payload.version:
        raise _stale(_current(quote_id))
    data = {k: "" if v is None else str(v) for k, v in QuoteForm.for_quote(quote).initial.items()}
    sent = payload.dict(exclude_unset=True)
    if "text" in sent and "start" not in sent and "end" not in sent:
        data.update(start="", end="", prefix="", suffix="")
    if ("start" in sent) != ("end" in sent):
        raise invalid("end" if "end" not in sent else "start", "Give start and end together.")
    for name in ("text", "start", "end", "offsets", "prefix", "suffix", "kind", "cue", "note"):
        if name in sent:
            data[name] = "" if sent[name] is None else str(sent[name])
    if "speaker_id" in sent or "speaker" in sent or "new_speaker" in sent:
        data["speaker"] = ""
    if "source_id" in sent or "source" in sent or "new_source" in sent:
        data["source"] = ""
    form = _validated(quote.article, data, payload)
    try:
        saved = update_quote(quote.pk, payload.version, form.change())
    except StaleVersion:
        raise _stale(_current(quote_id)) from None
    except TaggingRefused as refusal:
        raise _refused(refusal) from None
    return quote_out(_current(saved.pk))


@router.delete("/quotes/{int:quote_id}", response={204: None}, summary="Delete a quote")
def remove_quote(request, quote_id: int, version: int):
    """`version` is the version as last read: a quote changed since is not deleted (409)."""
    require_tag(request)
    get_object_or_404(Quote, pk=quote_id)
    try:
        delete_quote(quote_id, version)
    except StaleVersion as stale:
        raise _stale(stale.current) from None
    return HttpResponse(status=204)


def review(request, kind: str, pk: int, payload: DecisionIn):
    """Submit, approve or reject a quote or a stance, as the review queue does."""
    if not allowed(request.user, payload.action):
        who = "reviewers" if payload.action in ("approve", "reject") else "editors and reviewers"
        raise Problem(403, f"Your role does not allow you to {payload.action} ({who} do).")
    if payload.action == "reject" and not payload.reason.strip():
        raise invalid("reason", "Say why it is rejected.")
    try:
        return decide(kind, pk, payload.action, request.user, payload.reason.strip())
    except ActionRefused as refusal:
        raise Problem(409, str(refusal)) from None


@router.post("/quotes/{int:quote_id}/review", response=QuoteOut, summary="Review a quote")
def review_quote(request, quote_id: int, payload: DecisionIn):
    get_object_or_404(Quote, pk=quote_id)
    review(request, "quote", quote_id, payload)
    return quote_out(_current(quote_id))
