"""The article page and tagging on it: a quote's form, its saves and its deletion.

Each tagging endpoint answers an htmx request with the editor region and a plain
request with the whole page, so every form also works without JavaScript. After a
save, the htmx answer also carries, out of band, the parts of the page the save
changed (apps/quotes/page.py). The suggestions panel's endpoints are in
suggestion_views.py, the correction of an article's text in correction_views.py.
"""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from apps.articles.models import Article
from apps.core.http import done, number
from apps.core.roles import can_tag, requires

from .cues import guess_cue, guess_kind
from .editor import Editor
from .forms import QuoteForm
from .history import quote_history_rows
from .models import Quote
from .page import answer_save, render_page
from .quote_panel import trail_line, verbatim_check
from .tagging import StaleVersion, TaggingRefused, create_quote, delete_quote, update_quote


def _saved(request, quote, message, event, change, old=None):
    article = quote.article  # as saved: a correction may have committed while the save waited

    def answer():
        suggestions = {
            "tagged": ((quote.start, quote.end),),
            "untagged": ((old.start, old.end),) if old is not None else (),
            "new_speaker": quote.speaker.name if change.new_speaker is not None else "",
        }
        response = answer_save(
            request, article, Editor.idle(message), old=old, saved=quote.pk, suggestions=suggestions
        )
        return trigger_client_event(response, event, {"id": quote.pk}, after="settle")

    return done(request, message, answer, f"{article.get_absolute_url()}#q-{quote.pk}")


PASSAGE = re.compile(r"([0-9]{1,9})-([0-9]{1,9})")


def _passage(value: str) -> tuple[int, int] | None:
    """`?passage=START-END`, code point offsets into the body, as a pair; anything else is
    ignored (the page is shown without it), as is a pair outside the body when rendered."""
    match = PASSAGE.fullmatch(value)
    if match is None:
        return None
    start, end = int(match[1]), int(match[2])
    return (start, end) if start < end else None


@require_GET
def article_page(request, pk):
    """The article; `?passage=START-END` marks that span of its text (the original of a
    quotation checked against it, linked from the quote's panel); `?verdict=altered`,
    `not_found` or `flagged` lists only such quotes in the side panel (an unknown value is
    ignored, and the page says so)."""
    article = get_object_or_404(Article.objects.defer("body"), pk=pk)  # loaded if re-rendered
    passage = _passage(request.GET.get("passage", ""))
    verdict = request.GET.get("verdict", "")
    return render_page(request, article, passage=passage, verdict=verdict)


@requires(can_tag)
@require_GET
def editor_idle(request, pk):
    """The editor region at rest (used by Cancel)."""
    article = get_object_or_404(Article, pk=pk)
    return render_page(request, article)


def _initial_from_selection(article, params) -> tuple[dict, str]:
    """Prefill the tag form from a selection sent as query parameters."""
    form = QuoteForm(
        {
            **{
                k: params.get(k, "")
                for k in ("text", "start", "end", "offsets", "prefix", "suffix")
            },
            "kind": "direct",
        },
        article=article,
    )
    form.is_valid()
    span = form.cleaned_data.get("span")
    if not span:
        return {"text": params.get("text", "")[:2000]}, "; ".join(form.errors.get("text", []))
    start, end = span
    return {
        "text": article.body[start:end],
        "start": start,
        "end": end,
        "offsets": "codepoints",
        "prefix": form.cleaned_data.get("prefix") or "",
        "suffix": form.cleaned_data.get("suffix") or "",
        "kind": guess_kind(article.body, start, end),
        "cue": guess_cue(article.body, start, end),
    }, ""


@requires(can_tag)
@require_GET
def quote_new(request, pk):
    article = get_object_or_404(Article, pk=pk)
    initial, problem = {}, ""
    if request.GET.get("text"):
        initial, problem = _initial_from_selection(article, request.GET)
    form = QuoteForm(initial=initial, article=article)
    tagged = None
    if "start" in initial:
        # Said now, not only when Save is refused: the editor may want that quote instead.
        tagged = Quote.objects.on_span(article, initial["start"], initial["end"]).first()
    editor = Editor.new(form, problem, tagged=tagged)
    return render_page(request, article, editor, status=400 if problem else 200)


@requires(can_tag)
@require_POST
def quote_create(request, pk):
    article = get_object_or_404(Article, pk=pk)
    form = QuoteForm(request.POST, article=article)
    if form.is_valid():
        change = form.change()
        try:
            quote = create_quote(article, change, request.user)
        except TaggingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _saved(request, quote, "Quote tagged.", "quotetrail:saved", change)
    return render_page(request, article, Editor.new(form), status=400)


@requires(can_tag)
@require_GET
def quote_edit(request, pk):
    quote = get_object_or_404(
        Quote.objects.select_related("article", "speaker", "source", "reviewed_by"), pk=pk
    )
    editor = Editor.edit(
        quote,
        QuoteForm.for_quote(quote),
        history=quote_history_rows(quote.pk),
        check=verbatim_check(quote),
        trail=trail_line(quote),
    )
    return render_page(request, quote.article, editor)


def _conflict(request, quote_id, article, form, current, action):
    """409: show what the colleague changed and let the editor choose."""
    history = quote_history_rows(quote_id)[:3]
    editor = Editor.conflict(form, current, action, quote_id, history)
    return render_page(request, article, editor, status=409)


@requires(can_tag)
@require_POST
def quote_update(request, pk):
    quote = get_object_or_404(Quote.objects.select_related("article", "speaker", "source"), pk=pk)
    article = quote.article
    form = QuoteForm(request.POST, article=article)
    if form.is_valid():
        change = form.change()
        try:
            saved = update_quote(quote.pk, form.cleaned_data.get("version"), change)
        except StaleVersion as stale:
            return _conflict(request, pk, article, form, stale.current, "update")
        except TaggingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _saved(request, saved, "Quote saved.", "quotetrail:saved", change, old=quote)
    history, check = quote_history_rows(pk), verbatim_check(quote)
    editor = Editor.edit(quote, form, history=history, check=check)
    return render_page(request, article, editor, status=400)


@requires(can_tag)
@require_http_methods(["GET", "POST"])
def quote_delete(request, pk):
    quote = get_object_or_404(Quote.objects.select_related("article", "speaker", "source"), pk=pk)
    article = quote.article
    if request.method == "GET":
        return render_page(request, article, Editor.delete(quote))
    try:
        deleted = delete_quote(pk, number(request.POST.get("version")))
    except StaleVersion as stale:
        form = QuoteForm.for_quote(quote)
        return _conflict(request, pk, article, form, stale.current, "delete")
    message = "Quote deleted; its history is kept."

    def answer():
        untagged = {"untagged": ((quote.start, quote.end),)}
        # The article as read when the delete locked the quote.
        response = answer_save(
            request, deleted.article, Editor.idle(message), old=quote, suggestions=untagged
        )
        return trigger_client_event(response, "quotetrail:deleted", {"id": pk}, after="settle")

    return done(request, message, answer, article)


@require_GET
def quote_history(request, pk):
    """Who changed what and when; kept after a quote is deleted."""
    rows = quote_history_rows(pk)
    if not rows:
        raise Http404("No history for this quote.")
    article = Article.objects.filter(pk=rows[0].record.article_id).first()
    return render(
        request, "quotes/history.html", {"rows": rows, "article": article, "quote_id": pk}
    )
