"""The article page and everything an editor does on it.

Each tagging endpoint answers an htmx request with the editor region and a plain
request with the whole page, so every form also works without JavaScript. After a
save, the htmx answer also carries, out of band, the parts of the page the save
changed: the paragraphs it touched, the counts and legend entries, the quote's list
item, the suggestions it took off the list (apps/quotes/fragments.py decides which).
"""

import datetime
import hashlib
import json
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.articles.models import Article
from apps.articles.reading.highlighting import highlighted_paragraph
from apps.core.roles import can_import, can_tag, requires
from apps.core.versions import TIMEOUT, cache, derived, incremental, key
from apps.sources.models import Source

from . import (
    crediting,
    fragments,
    item_notes,
    search,
    suggesting,
    tasks,
    trails,
    verbatim,
    webannotation,
)
from .cues import guess_cue, guess_kind
from .exports import QUOTE_COLUMNS, csv_lines, quote_rows
from .forms import QuoteForm
from .history import quote_history_rows
from .models import Quote, Suggestion, verdict_filter
from .reading import read
from .tagging import (
    ALREADY_TAGGED,
    StaleVersion,
    TaggingRefused,
    correct_body,
    create_quote,
    delete_quote,
    update_quote,
)

PAGE = "quotes/article.html"


def _panel(request, article) -> dict:
    """The suggestions panel's context for taggers: the open suggestions and where the
    work on the article's text stands (finding quotes pending, failed or done), read once
    per change to the article (its quotes, its suggestions and the state of its work move
    its counter) or to the names of speakers they may name."""
    if not can_tag(request.user):
        return {"offers": [], "work": None}
    owners = (key("article", article.pk), "speakers")

    def compute():
        return suggesting.offers(article), tasks.status(article.pk, article.fingerprint)

    offers, work = derived("offers", (article.pk, article.fingerprint), compute, owners)
    return {"offers": offers, "work": work}


REGIONS = ("body", "summary", "quote-list")


def _regions(request, article, oob=False, passage=None, verdicts=None) -> dict[str, str]:
    """The highlighted text, the legend and the quote list, rendered once per change to
    what they show (the article's counter: its text, quotes, their speakers and sources)
    and read back until the next one. `passage` (start, end) is marked in the text when
    it is a span of the body, and ignored otherwise; `verdicts` limits the quote list to
    quotes with those stored verdicts (the `?verdict=` filter)."""
    tagger = can_tag(request.user)

    def render_regions():
        reading = read(article)
        reading.passage = passage
        _attach_notes(reading)
        _attach_items(reading.quotes, tagger)
        context = {"article": article, "reading": reading, "user_can_tag": tagger}
        context["oob"] = oob
        regions = {}
        for name in REGIONS:
            if name == "quote-list" and verdicts is not None:
                reading.only_verdicts(verdicts)  # the text and the legend show them all
            regions[name.replace("-", "_")] = render_to_string(f"{PAGE}#{name}", context)
        return regions

    if passage is not None or verdicts is not None:  # rendered for this request, not kept
        return render_regions()
    return derived(
        "article", (article.pk, tagger, oob), render_regions, [key("article", article.pk)]
    )


def _attach_notes(reading) -> None:
    """What the apps above add to each quote's list item (apps/quotes/item_notes.py: the
    claims app says which quotes take part in a contradiction), counted in the reading's
    state so that a save answer never leaves a changed note behind."""
    notes = item_notes.for_quotes(reading.article.pk, reading.quotes)
    for quote in reading.quotes:
        quote.notes_html = notes.get(quote.pk, "")
    reading.notes = item_notes.digest(notes)


def _attach_items(quotes, tagger) -> None:
    """Each quote's list item, rendered once per change to the quote, its speaker, its
    source or its notes: after a save only the changed items are rendered again."""

    def item_key(quote):
        stamps = (quote.updated_at, quote.verdict, quote.speaker and quote.speaker.updated_at)
        stamps += (quote.source and quote.source.updated_at, getattr(quote, "notes_html", ""))
        digest = hashlib.blake2b(repr((quote.pk, stamps, tagger)).encode(), digest_size=16)
        return "qt:quote-item:" + digest.hexdigest()

    keys = {quote.pk: item_key(quote) for quote in quotes}
    known = cache.get_many(keys.values())
    fresh = {}
    for quote in quotes:
        html = known.get(keys[quote.pk])
        if html is None:
            context = {"quote": quote, "user_can_tag": tagger}
            html = fresh[keys[quote.pk]] = render_to_string(f"{PAGE}#quote-item", context)
        quote.item_html = mark_safe(html)  # noqa: S308 - rendered by our autoescaping template
    cache.set_many(fresh, TIMEOUT)


def _render_page(
    request, article, editor=None, status=200, headers=None, notice="", passage=None, verdict=""
):
    """The article page, or for htmx just the editor region (plus refreshed regions)."""
    editor = editor or {"mode": "idle"}
    if request.htmx:
        context = {"article": article, "editor": editor}
        html = render_to_string(f"{PAGE}#editor", context, request=request)
        if editor.get("refresh"):
            html += "".join(_regions(request, article, oob=True).values())
            oob = {"article": article, "notice": notice, "oob": True, **_panel(request, article)}
            html += render_to_string(f"{PAGE}#suggestions", oob, request=request)
        response = HttpResponse(html, status=status)
    else:
        verdicts, problem = verdict_filter(verdict)
        context = {
            "article": article,
            "regions": _regions(request, article, passage=passage, verdicts=verdicts),
            "verdict_problem": problem,
            "editor": editor,
            **_panel(request, article),
            # The sources this article is the original text of (one indexed query).
            "original_of": list(Source.objects.filter(article=article).only("pk", "title")),
        }
        response = render(request, PAGE, context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _answer_save(request, article, editor, *, old=None, saved=None, suggestions=None, notice=""):
    """A save's htmx answer: the editor region and, out of band, what the save changed on
    the page. `old` is the quote as the page showed it (None for a new one), `saved` the
    saved quote's id (None after a deletion), `suggestions` what the save did that may
    change the suggestions panel (see fragments.suggestions_plan)."""
    after = read(article)
    _attach_notes(after)
    before = fragments.reading_before(after, old, saved)
    before.notes = after.notes  # the page showed other notes if the save changed them
    parts = fragments.plan(before, after, request.headers.get(fragments.STATE_HEADER))
    if not any(part.part == "suggestions" for part in parts):
        parts += fragments.suggestions_plan(
            article, limit=suggesting.OFFERS_SHOWN, notice=bool(notice), **(suggestions or {})
        )
    html = render_to_string(
        f"{PAGE}#editor", {"article": article, "editor": editor}, request=request
    )
    regions = {}
    for part in parts:
        html += _fragment_html(request, after, part, notice, regions)
    return HttpResponse(html)


def _fragment_html(request, reading, fragment, notice, regions) -> str:
    """One fragment of the page, placed out of band as `fragment.swap` says."""
    article = reading.article
    if fragment.swap == "delete":
        return format_html('<div id="{}" hx-swap-oob="delete"></div>', fragment.element_id)
    if fragment.part in REGIONS:
        if not regions:
            regions.update(_regions(request, article, oob=True))
        return regions[fragment.part.replace("-", "_")]
    if fragment.part == "suggestions":
        context = {"article": article, "notice": notice, "oob": True, **_panel(request, article)}
        return render_to_string(f"{PAGE}#suggestions", context, request=request)
    tagger = can_tag(request.user)
    if fragment.part == "paragraph":
        html = highlighted_paragraph(article.body, reading.marks, fragment.key)
    else:
        context = {
            "article": article,
            "reading": reading,
            "user_can_tag": tagger,
            "notice": notice,
            "count": fragment.key,
            "swap_oob": fragment.swap == "true",
        }
        if fragment.part in ("legend-entry", "group"):
            context["group"] = next(g for g in reading.groups if g.key == fragment.key)
            _attach_items(context["group"].quotes, tagger)
        if fragment.part == "quote-item":
            context["quote"] = next(q for q in reading.quotes if q.pk == fragment.key)
        html = render_to_string(f"{PAGE}#{fragment.part}", context)
    if fragment.swap == "true":
        return html  # the element carries hx-swap-oob itself
    return format_html('<div hx-swap-oob="{}">{}</div>', fragment.swap, html)


def _saved(request, quote, message, event, change, old=None):
    article = quote.article  # as saved: a correction may have committed while the save waited
    if not request.htmx:
        messages.success(request, message)
        return redirect(f"{article.get_absolute_url()}#q-{quote.pk}")
    suggestions = {
        "tagged": ((quote.start, quote.end),),
        "untagged": ((old.start, old.end),) if old is not None else (),
        "new_speaker": quote.speaker.name if change.new_speaker is not None else "",
    }
    editor = {"mode": "idle", "message": message}
    response = _answer_save(
        request, article, editor, old=old, saved=quote.pk, suggestions=suggestions
    )
    response["HX-Trigger-After-Settle"] = json.dumps({event: {"id": quote.pk}})
    return response


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
    return _render_page(request, article, passage=passage, verdict=verdict)


@requires(can_tag)
@require_GET
def editor_idle(request, pk):
    """The editor region at rest (used by Cancel)."""
    article = get_object_or_404(Article, pk=pk)
    return _render_page(request, article)


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
    editor = {"mode": "new", "form": form, "problem": problem}
    if "start" in initial:
        # Said now, not only when Save is refused: the editor may want that quote instead.
        tagged = Quote.objects.on_span(article, initial["start"], initial["end"]).first()
        if tagged:
            editor.update(tagged=tagged, warning=ALREADY_TAGGED)
    return _render_page(request, article, editor, status=400 if problem else 200)


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
    return _render_page(request, article, {"mode": "new", "form": form}, status=400)


@requires(can_tag)
@require_GET
def quote_edit(request, pk):
    quote = get_object_or_404(
        Quote.objects.select_related("article", "speaker", "source", "reviewed_by"), pk=pk
    )
    editor = {
        "mode": "edit",
        "quote": quote,
        "form": QuoteForm.for_quote(quote),
        "history": quote_history_rows(quote.pk),
        "check": _verbatim_check(quote),
        "trail": _trail_line(quote),
    }
    return _render_page(request, quote.article, editor)


def _trail_line(quote) -> dict | None:
    """ "Also in N articles, first in <outlet> on <date>" for the quote's panel, with the
    misattribution warning; None for a paraphrase, a quote of fewer than six words or
    one found in its own article only."""
    if quote.kind == Quote.Kind.INDIRECT or quote.orphaned:  # an orphan's span is stale
        return None
    trail = trails.trail_for_quote(quote)
    if trail.common or trail.articles < 2:
        return None
    span = (quote.article_id, quote.start, quote.end)
    conflicts = crediting.misattribution(crediting.kept_credits(span, trail))
    others = max(trail.whole - 1, 0)  # the quote's own article holds its words whole
    first = trail.first_whole if others else trail.first
    return {
        "trail": trail,
        "others": others,
        "partial": trail.partial,
        "first": first,
        "conflicts": conflicts,
    }


PASSAGE_SHOWN = 300  # characters of the original passage shown in the quote's panel


def _verbatim_check(quote) -> dict | None:
    """What the quote's panel says of its words against the original text, when its
    source is an article in the archive: the verdict (apps/quotes/verbatim.py) and the
    passage, linked to the source article with the passage marked. One query (the
    source article's text); none for a paraphrase, whose words are the writer's, or a
    quote without such a source."""
    source = quote.source
    if quote.kind == Quote.Kind.INDIRECT or source is None or source.article_id is None:
        return None
    if source.article_id == quote.article_id:
        return None  # its own article: nothing to check against
    original = Article.objects.filter(pk=source.article_id).values_list("body", flat=True)
    original = original.first()
    if original is None:
        return None
    verdict = verbatim.check(quote.exact, original)
    url = reverse("quotes:article", args=[source.article_id])
    check = {"verdict": verdict, "source": source, "url": url}
    if verdict.found:
        check["url"] = f"{url}?passage={verdict.start}-{verdict.end}#passage"
        passage = original[verdict.start : verdict.end]
        if len(passage) > PASSAGE_SHOWN:
            passage = passage[: PASSAGE_SHOWN - 1].rstrip() + "…"
        check["passage"] = passage
    if verdict.kind == verbatim.ALTERED:
        check["pieces"] = verbatim.marked_up(quote.exact, original, verdict)
        check["summary"] = _changes_summary(verdict.changes)
    return check


def _changes_summary(changes) -> str:
    """The unmarked changes in words: "1 word replaced, 3 words omitted without an
    ellipsis", counting the original's words replaced or omitted and the words added."""

    def words(count, what):
        return f"{count} word{'s' if count != 1 else ''} {what}"

    replaced = sum(len(op.original_words) for op in changes if op.op == "replace")
    omitted = sum(len(op.original_words) for op in changes if op.op == "delete")
    added = sum(len(op.quote_words) for op in changes if op.op == "insert")
    said = []
    if replaced:
        said.append(words(replaced, "replaced"))
    if omitted:
        said.append(words(omitted, "omitted without an ellipsis"))
    if added:
        said.append(words(added, "added without brackets"))
    return ", ".join(said)


def _conflict(request, quote_id, article, form, current, action):
    """409: show what the colleague changed and let the editor choose."""
    editor = {
        "mode": "conflict",
        "form": form,
        "current": current,
        "action": action,
        "quote_id": quote_id,
        "history": quote_history_rows(quote_id)[:3],
    }
    return _render_page(request, article, editor, status=409)


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
    editor = {
        "mode": "edit",
        "quote": quote,
        "form": form,
        "history": quote_history_rows(pk),
        "check": _verbatim_check(quote),
    }
    return _render_page(request, article, editor, status=400)


@requires(can_tag)
@require_http_methods(["GET", "POST"])
def quote_delete(request, pk):
    quote = get_object_or_404(Quote.objects.select_related("article", "speaker", "source"), pk=pk)
    article = quote.article
    if request.method == "GET":
        return _render_page(request, article, {"mode": "delete", "quote": quote})
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        deleted = delete_quote(pk, version)
    except StaleVersion as stale:
        form = QuoteForm.for_quote(quote)
        return _conflict(request, pk, article, form, stale.current, "delete")
    message = "Quote deleted; its history is kept."
    if not request.htmx:
        messages.success(request, message)
        return redirect(article)
    editor = {"mode": "idle", "message": message}
    untagged = {"untagged": ((quote.start, quote.end),)}
    article = deleted.article  # as read when the delete locked the quote
    response = _answer_save(request, article, editor, old=quote, suggestions=untagged)
    response["HX-Trigger-After-Settle"] = json.dumps({"quotetrail:deleted": {"id": pk}})
    return response


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


@requires(can_import)
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    """Correct an article's title or body; every quote is re-anchored."""
    article = get_object_or_404(Article, pk=pk)
    context = {
        "article": article,
        "title": article.title,
        "body": article.body,
        "fingerprint": article.fingerprint,
    }
    if request.method == "GET":
        return render(request, "quotes/article_edit.html", context)
    title = request.POST.get("title", "")
    body = request.POST.get("body", "")
    context.update(title=title, body=body)
    try:
        result = correct_body(article.pk, request.POST.get("fingerprint", ""), title, body)
    except StaleVersion:
        article.refresh_from_db()
        context.update(
            error="Someone else changed this article while you were editing. "
            "Their version is below; your text is kept in the box so you can copy it.",
            stale=True,
            theirs=article.body,
            fingerprint=article.fingerprint,
        )
        return render(request, "quotes/article_edit.html", context, status=409)
    except TaggingRefused as refusal:
        context["error"] = str(refusal)
        return render(request, "quotes/article_edit.html", context, status=400)
    summary = f"Article corrected: {result.kept + len(result.moved)} quote(s) in place"
    if result.repaired:
        summary += f", {len(result.repaired)} repaired"
    if result.orphaned:
        summary += f", {len(result.orphaned)} no longer found (listed under “Needs repair”)"
    messages.success(request, summary + ".")
    return redirect(article)


@require_GET
def article_annotations(request, pk):
    """The article's quotes as a W3C Web Annotation collection (JSON-LD download)."""
    article = get_object_or_404(Article, pk=pk)
    document = webannotation.collection(
        article,
        Quote.objects.for_article(article).prefetch_related("stances__claim"),
        request.build_absolute_uri,
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    )
    response["Content-Disposition"] = f'attachment; filename="article-{article.pk}-quotes.jsonld"'
    return response


@require_GET
def quotes_csv(request):
    """Every quote (or one article's) as CSV."""
    quotes = Quote.objects.select_related("article", "speaker__affiliation", "source").order_by(
        "article_id", "start", "id"
    )
    article = request.GET.get("article", "")
    if article.isascii() and article.isdigit() and len(article) < 19:  # not "²", fits a bigint
        quotes = quotes.filter(article_id=int(article))
    response = StreamingHttpResponse(
        csv_lines(QUOTE_COLUMNS, quote_rows(quotes.iterator(chunk_size=2000))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="quotetrail-quotes.csv"'
    return response


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
        if not request.htmx:
            messages.error(request, str(refusal))
            return redirect(article)
        editor = {"mode": "idle", "refresh": True}
        return _render_page(request, article, editor, status=400, notice=str(refusal))
    if not request.htmx:
        messages.success(request, message)
        return redirect(article)
    suggestions = {"decided": pk}
    if change is not None and change.new_speaker is not None:
        suggestions["new_speaker"] = quote.speaker.name
    return _answer_save(
        request,
        article,
        {"mode": "idle"},
        saved=quote.pk if quote is not None else None,
        suggestions=suggestions,
        notice=message,
    )


@requires(can_tag)
@require_POST
def suggestions_accept_all(request, pk):
    article = get_object_or_404(Article, pk=pk)
    try:
        threshold = float(request.POST.get("threshold", "0.8"))
    except ValueError:
        threshold = -1
    if not 0 <= threshold <= 1:
        message = "The confidence must be a number between 0 and 1."
        if not request.htmx:
            messages.error(request, message)
            return redirect(article)
        return _render_page(
            request, article, {"mode": "idle", "refresh": True}, status=400, notice=message
        )
    accepted, problems = suggesting.accept_all(article, threshold, request.user)
    message = f"Accepted {accepted} suggestion(s) at or above {threshold:.2f}."
    if problems:
        message += f" {len(problems)} could not be accepted: " + "; ".join(problems[:3])
    if not request.htmx:
        messages.success(request, message)
        return redirect(article)
    return _render_page(request, article, {"mode": "idle", "refresh": True}, notice=message)


@requires(can_tag)
@require_GET
def suggestions_panel(request, pk):
    """The suggestions panel alone: what it polls while quotes are being found."""
    article = get_object_or_404(Article.objects.defer("body"), pk=pk)
    if not request.htmx:
        return redirect(article)
    context = {"article": article, **_panel(request, article)}
    return HttpResponse(render_to_string(f"{PAGE}#suggestions", context, request=request))


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
    if not request.htmx:
        messages.success(request, message)
        return redirect(article)
    context = {"article": article, "notice": message, **_panel(request, article)}
    return HttpResponse(render_to_string(f"{PAGE}#suggestions", context, request=request))


SEARCH_PER_PAGE = 25


def _search_filters(request) -> search.Filters:
    def number(name):
        value = request.GET.get(name, "")
        # ASCII only: "²" and "①" are digits to str.isdigit() but not to int().
        return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None

    def day(name):
        try:
            return datetime.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return search.Filters(
        kind=request.GET.get("kind", ""),
        speaker=number("speaker"),
        organization=number("organization"),
        date_from=day("from"),
        date_to=day("to"),
        status=request.GET.get("status", ""),
    )


@require_GET
def search_page(request):
    """Quotes, speakers and articles matching the words typed, with filters."""
    query = search.normalise(request.GET.get("q", ""))
    filters = _search_filters(request)
    params = request.GET.copy()
    params.pop("page", None)
    requested = str(request.GET.get("page") or 1)[:12]
    searched = query or filters != search.Filters()
    found_html = None
    if searched:
        quotes = search.search_quotes(query, filters)
        shown = Paginator(quotes.ids, SEARCH_PER_PAGE).get_page(requested)
        shown_ids = tuple(shown.object_list)

        def render_found():
            page = Paginator(quotes, SEARCH_PER_PAGE).get_page(shown.number)
            first_page = page.number == 1
            context = {
                "page": page,
                "capped": quotes.capped,
                "query": params.urlencode(),
                "q": query,
                "highlight": search.Highlighter(query),
                "speakers": search.search_speakers(query) if first_page else [],
                "articles": search.search_articles(query) if first_page else [],
            }
            return render_to_string("quotes/search.html#found", context)

        # Speakers, articles and the page of quotes, rendered again only when one of
        # the quotes shown changes, or what search reads besides quotes does.
        found_html = incremental(
            "search-page",
            (query, filters, shown.number, shown_ids, len(quotes), quotes.capped),
            render_found,
            lambda html, changed: None if changed.intersection(shown_ids) else html,
            search.OWNERS,
            "quotes",
        )
    context = {
        "q": query,
        "truncated": len(request.GET.get("q", "")) > search.MAX_QUERY,
        "filters": filters,
        "found_html": found_html,
        "kinds": Quote.Kind.choices,
        "statuses": Quote.Status.choices,
    }
    return render(request, "quotes/search.html", context)


@require_GET
def search_live(request):
    """The few best matches, shown under the search box as one types."""
    query = search.normalise(request.GET.get("q", ""))
    context = {"q": query, "highlight": search.Highlighter(query)}
    if len(query) >= 2:
        context.update(
            quotes=list(search.search_quotes(query)[:5]),
            speakers=search.search_speakers(query, limit=4),
            articles=search.search_articles(query, limit=3),
        )
    return render(request, "quotes/search.html#live", context)
