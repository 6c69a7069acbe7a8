"""The suggestions panel of the article page: accepting or dismissing what the
extractor found, one at a time or all above a confidence, and the work that finds them.

Like the tagging endpoints (views.py), each answers htmx with the parts of the page it
changed and a plain form with a message and a redirect to the article.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from apps.articles.models import Article
from apps.core.http import done
from apps.core.roles import can_import, can_tag, requires

from . import suggesting, tasks
from .editor import Editor
from .models import Suggestion
from .page import answer_save, render_page, suggestions_html
from .tagging import TaggingRefused


def _refused(request, article, message):
    """400: the panel says why; a plain form gets the message as an error."""
    if not request.htmx:
        messages.error(request, message)
        return redirect(article)
    return render_page(request, article, Editor.idle(refresh=True), status=400, notice=message)


@requires(can_tag)
@require_POST
def suggestion_decide(request, pk, decision):
    """Accept (the suggestion becomes a draft quote) or dismiss (remembered)."""
    if decision not in ("accept", "dismiss"):
        raise Http404("Unknown decision.")
    suggestion = get_object_or_404(Suggestion.objects.select_related("article"), pk=pk)
    article = suggestion.article
    quote, change = None, None
    try:
        if decision == "accept":
            quote, change = suggesting.accept(pk, request.user)
            article = quote.article  # as saved
            message = "Tagged as a draft quote; edit it from its highlight."
        else:
            suggesting.dismiss(pk, request.user)
            message = "Suggestion dismissed."
    except TaggingRefused as refusal:
        return _refused(request, article, str(refusal))

    def answer():
        suggestions = {"decided": pk}
        if change is not None and change.new_speaker is not None:
            suggestions["new_speaker"] = quote.speaker.name
        saved = quote.pk if quote is not None else None
        return answer_save(
            request, article, Editor.idle(), saved=saved, suggestions=suggestions, notice=message
        )

    return done(request, message, answer, article)


@requires(can_tag)
@require_POST
def suggestions_accept_all(request, pk):
    article = get_object_or_404(Article, pk=pk)
    try:
        threshold = float(request.POST.get("threshold", "0.8"))
    except ValueError:
        threshold = -1
    if not 0 <= threshold <= 1:
        return _refused(request, article, "The confidence must be a number between 0 and 1.")
    accepted, problems = suggesting.accept_all(article, threshold, request.user)
    message = f"Accepted {accepted} suggestion(s) at or above {threshold:.2f}."
    if problems:
        message += f" {len(problems)} could not be accepted: " + "; ".join(problems[:3])

    def answer():
        return render_page(request, article, Editor.idle(refresh=True), notice=message)

    return done(request, message, answer, article)


@requires(can_tag)
@require_GET
def suggestions_panel(request, pk):
    """The suggestions panel alone: what it polls while quotes are being found."""
    article = get_object_or_404(Article.objects.defer("body"), pk=pk)
    if not request.htmx:
        return redirect(article)
    return HttpResponse(suggestions_html(request, article))


@requires(can_import)
@require_POST
def work_retry(request, pk):
    """Queue again the work on the article's text that failed (finding quotes, indexing)."""
    article = get_object_or_404(Article.objects.defer("body"), pk=pk)
    queued = tasks.try_again(article)
    message = (
        "Finding quotes again: the suggestions appear here when it is done."
        if queued
        else "Nothing to try again: this text's work is done."
    )

    def answer():
        return HttpResponse(suggestions_html(request, article, message))

    return done(request, message, answer, article)
