"""Suggestions: the quotations the extractor found, to accept or dismiss."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from apps.articles.models import Article
from apps.quotes import suggesting
from apps.quotes.models import Quote, Suggestion
from apps.quotes.tagging import TaggingRefused

from ..access import require_tag
from ..pagination import page
from ..problems import Problem
from ..schemas import QuoteOut, SuggestionOut, SuggestionPage, quote_out, suggestion_out

router = Router(tags=["suggestions"])


@router.get("/suggestions", response=SuggestionPage, summary="An article's open suggestions")
def list_suggestions(request, article: int, cursor: str | None = None, limit: int | None = None):
    """What an editor still has to look at: open, and not already tagged."""
    found = get_object_or_404(Article, pk=article)
    return page(request, Suggestion.objects.open_for(found), cursor, limit, suggestion_out)


def _decided(refusal: TaggingRefused) -> Problem:
    return Problem(409, str(refusal))


@router.post(
    "/suggestions/{int:suggestion_id}/accept",
    response={201: QuoteOut},
    summary="Accept a suggestion",
)
def accept(request, suggestion_id: int):
    """It becomes a draft quote, attributed to the known speaker (or a new one)."""
    require_tag(request)
    get_object_or_404(Suggestion, pk=suggestion_id)
    try:
        quote, _ = suggesting.accept(suggestion_id, request.user)
    except TaggingRefused as refusal:
        raise _decided(refusal) from None
    return Status(
        201, quote_out(Quote.objects.select_related("speaker", "source").get(pk=quote.pk))
    )


@router.post(
    "/suggestions/{int:suggestion_id}/dismiss",
    response=SuggestionOut,
    summary="Dismiss a suggestion",
)
def dismiss(request, suggestion_id: int):
    """Remembered: extracting the article again does not bring it back."""
    require_tag(request)
    get_object_or_404(Suggestion, pk=suggestion_id)
    try:
        return suggestion_out(suggesting.dismiss(suggestion_id, request.user))
    except TaggingRefused as refusal:
        raise _decided(refusal) from None
