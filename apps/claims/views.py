"""The claims' pages: the board, a claim's page with its "Add statements" panel, the
list of claims, a quote's stances and a speaker's timeline. The matrix and the
comparison are in comparison_views.py, review in review_views.py, downloads in
export_views.py."""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.articles.models import Article
from apps.core.http import HtmxHttpRequest, done, number, query_without, refuse
from apps.core.partials import kept, kept_many, kept_together
from apps.core.roles import can_review, can_tag, requires
from apps.core.versions import derived, incremental, key
from apps.quotes import search
from apps.quotes.models import VERDICT_FILTER_CHOICES, Quote, verdict_filter
from apps.sources.models import Speaker
from apps.sources.views import render_options, typed_query

from . import board as boards
from .actions import ActionRefused, link_quotes, record_stance
from .forms import ClaimForm, StanceForm, claim_label
from .models import Claim, Stance

CLAIMS_PER_PAGE = 10
FILTER_OPTIONS = 300


def status_of(request: HtmxHttpRequest) -> str:
    """The status filter asked for, or "" (every status)."""
    status = request.GET.get("status", "")
    return status if status in boards.STATUS_FILTERS else ""


# --- the board and the claim page ----------------------------------------------------


def _board_filter_options() -> dict:
    """The filter lists (bounded): articles and speakers with stances, organizations."""
    articles = (
        Article.objects.filter(quotes__stances__isnull=False)
        .distinct()
        .order_by("-published", "title")
        .values_list("id", "title")[:FILTER_OPTIONS]
    )
    speakers = (
        Speaker.objects.filter(quotes__stances__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("id", "name")[:FILTER_OPTIONS]
    )
    organizations = (
        Speaker.objects.filter(kind=Speaker.Kind.ORGANIZATION)
        .order_by("name")
        .values_list("id", "name")[:FILTER_OPTIONS]
    )
    return {
        "articles": list(articles),
        "speakers": list(speakers),
        "organizations": list(organizations),
    }


@require_GET
def board(request: HtmxHttpRequest):
    filters = {
        "article": number(request.GET.get("article")),
        "speaker": number(request.GET.get("speaker")),
        "organization": number(request.GET.get("organization")),
    }
    status = status_of(request)
    verdicts, verdict_problem = verdict_filter(request.GET.get("verdict", ""))
    verdict = request.GET["verdict"] if verdicts is not None else ""
    requested = request.GET.get("page") or 1
    # The page links carry the filters: not the page, nor a verdict filter left out.
    dropped = ("page",) if verdicts is not None else ("page", "verdict")

    def choose_claims():
        claims = boards.claims_matching(**filters, verdicts=verdicts)
        page = Paginator(claims, CLAIMS_PER_PAGE).get_page(requested)
        return list(page.object_list), page.number, page.paginator.count

    # Which claims a page shows moves with any claim; each claim's card only with its own
    # stances and what they cite (apps.claims.owners), so a write rebuilds one card.
    chosen_claims, page_number, count = derived(
        "board-page", (tuple(filters.items()), status, verdicts, str(requested)[:12]),
        choose_claims, ("claims",),
    )  # fmt: skip

    def cards(indexes):
        built = boards.build_board([chosen_claims[i] for i in indexes], status, verdicts)
        return [{"row": row, "status": status} for row in built.rows]

    def filter_form():
        return {
            "filters": filters,
            "status": status,
            "status_choices": boards.STATUS_FILTERS.items(),
            "verdict": verdict,
            "verdict_choices": VERDICT_FILTER_CHOICES,
            **_board_filter_options(),
        }

    entries = [((claim.pk, status, verdicts), (key("claim", claim.pk),)) for claim in chosen_claims]
    table = {
        "cards": kept_many("claims/board.html#card", entries, cards, name="board-card"),
        "claims": chosen_claims,
        "page": Paginator(range(count), CLAIMS_PER_PAGE).get_page(page_number),  # its links
        "status": status,
        "query": query_without(request, *dropped),
        "user_can_review": can_review(request.user),
    }
    chosen = (tuple(filters.items()), status, verdict)
    context = {
        # The table holds the user's review links and buttons: rendered for each request.
        "table_html": render_to_string("claims/board.html#table", table, request),
        "filter_form_html": kept(
            "claims/board.html#filter-form",
            filter_form,
            parts=chosen,
            owners=("claims", "speakers"),
            name="board-filters",
        ),
        "status": status,
        "verdict_problem": verdict_problem,
    }
    return render(request, "claims/board.html", context)


@require_GET
def claim_detail(request: HtmxHttpRequest, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = ClaimForm(instance=claim) if can_review(request.user) else None
    return _claim_page(request, claim, status_of(request), form)


CLAIM_PARTS = {"body": "claims/claim.html#body", "chart": "claims/timeline_svg.html#chart"}


def _claim_parts(claim, status: str) -> dict:
    """The claim's statements and contradictions, and its timeline chart, drawn from one
    reading of the claim and kept together until the claim changes (apps.claims.owners)."""

    def contexts():
        page = boards.claim_page(claim, status)
        body = {"page": page, "status": status, "contradiction_rows": boards.CONTRADICTION_ROWS}
        chart = {"chart": boards.claim_chart(page), "chart_title": "The line over time"}
        return {"body": body, "chart": chart}

    owners = (key("claim", claim.pk),)
    parts = kept_together(
        CLAIM_PARTS, contexts, parts=(claim.pk, status), owners=owners, name="claim"
    )
    return {"body_html": parts["body"], "chart_html": parts["chart"]}


def _claim_page(request: HtmxHttpRequest, claim, status, form, http_status=200):
    context = {
        "claim": claim,
        **_claim_parts(claim, status),
        "status": status,
        "status_choices": boards.STATUS_FILTERS.items(),
        "form": form,
        **(_adding(request, claim) if can_tag(request.user) else {}),
    }
    return render(request, "claims/claim.html", context, status=http_status)


# --- adding statements to a claim -------------------------------------------------------

CANDIDATES = 15  # likely statements offered for a claim
FOUND = 25  # search results offered for a claim


def candidates(claim: Claim) -> list[int]:
    """Quotes whose words match the claim's, not yet linked to it, best first. Kept per
    claim and brought up to date from the quotes changed since (the `quotes` journal)."""
    linked = None  # the quotes it already has: read only when ranking

    def rank(only=None):
        nonlocal linked
        if linked is None:
            stances = Stance.objects.filter(claim_id=claim.pk).order_by()
            linked = set(stances.values_list("quote_id", flat=True))
        return search.related_quotes(claim.text, linked, CANDIDATES, only)

    def recheck(rows, changed):
        if len(changed) > search.RECHECK_LIMIT:
            return None
        return search.merge_ranked(rows, rank(changed), changed, CANDIDATES)

    rows = incremental("candidates", claim.pk, rank, recheck, (key("claim", claim.pk),), "quotes")
    return [pk for _, pk in rows[:CANDIDATES]]


def _adding(request: HtmxHttpRequest, claim: Claim, message: str = "", error: str = "") -> dict:
    """The context of the "Add statements" panel: search results for what was typed, or
    the claim's likely statements; the quotes already linked say their position."""
    query = search.normalise(request.GET.get("q", "") if request.method == "GET" else "")
    query = query or search.normalise(request.POST.get("q", ""))
    ids = search.search_quotes(query).ids[:FOUND] if query else candidates(claim)
    quotes = Quote.objects.select_related("article", "speaker", "source").defer("article__body")
    found = {quote.pk: quote for quote in quotes.filter(pk__in=ids)}
    stances = Stance.objects.filter(claim_id=claim.pk, quote_id__in=ids).order_by()
    positions = dict(stances.values_list("quote_id", "position"))
    rows = [(found[pk], positions.get(pk)) for pk in ids if pk in found]
    return {
        "adding": {
            "q": query,
            "rows": rows,
            "positions": Stance.Position.choices,
            "message": message,
            "error": error,
        }
    }


@require_http_methods(["GET", "POST"])
def claim_statements(request: HtmxHttpRequest, pk):
    """The "Add statements" panel (GET), and linking quotes to the claim (POST): one quote
    with the position of the button pressed (`row` = "<quote id>:<position>", with that
    row's note), or every ticked quote (`quote`) with the position pressed (`position`)."""
    claim = get_object_or_404(Claim, pk=pk)
    if not can_tag(request.user):
        refuse()
    if request.method == "GET":
        return _statements_panel(request, claim)
    row = request.POST.get("row", "")
    if row:
        quote_id, _, position = row.partition(":")
        chosen = [number(quote_id)]
        note = request.POST.get(f"note-{quote_id}", "")
    else:
        position = request.POST.get("position", "")
        chosen = [number(value) for value in request.POST.getlist("quote")]
        note = request.POST.get("note", "")
    note = " ".join(note.split())[:2000]
    if position not in Stance.Position.values:
        return _statements_panel(request, claim, error="Choose affirms, denies or qualifies.")
    if not chosen or None in chosen:
        return _statements_panel(request, claim, error="Tick at least one quote to link.")
    quotes = list(Quote.objects.filter(pk__in=chosen).order_by("pk"))
    if len(quotes) != len(set(chosen)):
        return _statements_panel(
            request, claim, error="A quote was deleted meanwhile; nothing was linked.", status=409
        )
    recorded = link_quotes(claim, quotes, position, note, request.user)
    label = Stance.Position(position).label.lower()
    message = f"{recorded} statement{'s' if recorded != 1 else ''} recorded as {label}."
    return done(
        request,
        message,
        lambda: _statements_panel(request, claim, message=message, whole=True),
        claim,
    )


def _statements_panel(
    request: HtmxHttpRequest, claim, message="", error="", status=None, whole=False
):
    """The panel alone, or (after linking) the claim's statements with it, for htmx."""
    status = status or (400 if error else 200)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return (
            redirect(claim)
            if request.method == "POST"
            else _claim_page(request, claim, status_of(request), None)
        )
    if whole:
        context = {"claim": claim, **_claim_parts(claim, "")}
        context.update(_adding(request, claim, message, error))
        return render(request, "claims/claim.html#after-linking", context, status=status)
    context = {"claim": claim, **_adding(request, claim, message, error)}
    return render(request, "claims/claim.html#add", context, status=status)


# --- claims -------------------------------------------------------------------------


def _claim_list(request: HtmxHttpRequest, form, status=200):
    claims = Claim.objects.annotate(
        stance_count=Count("stances"),
        affirm_count=Count("stances", filter=Q(stances__position=Stance.Position.AFFIRMS)),
        deny_count=Count("stances", filter=Q(stances__position=Stance.Position.DENIES)),
    ).order_by("text", "id")
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/claim_list.html", {"page": page, "form": form}, status=status)


@require_GET
def claim_list(request: HtmxHttpRequest):
    return _claim_list(request, ClaimForm() if can_review(request.user) else None)


@requires(can_review)
@require_POST
def claim_create(request: HtmxHttpRequest):
    form = ClaimForm(request.POST)
    if form.is_valid():
        claim = form.save(commit=False)
        claim.created_by = request.user
        claim.save()
        messages.success(request, f"Claim created: {claim.text}")
        return redirect(claim)
    return _claim_list(request, form, status=400)


@requires(can_review)
@require_POST
def claim_edit(request: HtmxHttpRequest, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = ClaimForm(request.POST, instance=claim)
    if form.is_valid():
        form.save()
        messages.success(request, "Claim saved.")
        return redirect(claim)
    saved = Claim.objects.get(pk=pk)  # the form's instance now holds the refused values
    return _claim_page(request, saved, "", form, http_status=400)


@require_GET
def claim_options(request: HtmxHttpRequest):
    query = typed_query(request).strip()
    claims = Claim.objects.all()
    if query:
        claims = claims.filter(text__icontains=query)
    claims = claims.annotate(uses=Count("stances")).order_by("-uses", "text")[:20]
    options = [(claim_label(c), f"{c.uses} stance(s)") for c in claims]
    return render_options(request, options, "claim-options")


# --- stances on a quote -----------------------------------------------------------------


def _stances_panel(request: HtmxHttpRequest, quote, form=None, status=200, message=""):
    stances = list(quote.stances.select_related("claim").order_by("claim__text"))
    may_create = can_review(request.user)
    context = {
        "quote": quote,
        "stances": stances,
        "form": form or StanceForm(may_create_claims=may_create),
        "message": message,
    }
    template = "claims/quote_stances.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def quote_stances(request: HtmxHttpRequest, pk):
    """The stances panel of a quote: list them, and record one (editors, reviewers)."""
    quote = get_object_or_404(Quote.objects.select_related("article", "speaker"), pk=pk)
    if request.method == "GET":
        return _stances_panel(request, quote)
    if not can_tag(request.user):
        refuse()
    form = StanceForm(request.POST, may_create_claims=can_review(request.user))
    if not form.is_valid():
        return _stances_panel(request, quote, form, status=400)
    data = form.cleaned_data
    try:
        stance, created = record_stance(
            quote,
            data["claim_obj"],
            data.get("claim_text", ""),
            data["position"],
            (data.get("note") or "").strip(),
            request.user,
        )
    except ActionRefused as refusal:
        form.add_error("claim", str(refusal))
        return _stances_panel(request, quote, form, status=400)
    verb = "recorded" if created else "updated"
    message = f"Stance {verb}: {stance.get_position_display().lower()} “{stance.claim}”."
    return _stances_done(request, quote, message)


@requires(can_tag)
@require_POST
def stance_delete(request: HtmxHttpRequest, pk):
    stance = get_object_or_404(Stance.objects.select_related("quote", "claim"), pk=pk)
    quote = stance.quote
    stance.delete()
    message = f"Stance on “{stance.claim}” removed; its history is kept."
    return _stances_done(request, quote, message)


def _stances_done(request: HtmxHttpRequest, quote, message: str):
    """htmx gets the panel with the message; a plain form, the quote's stances page."""
    panel = functools.partial(_stances_panel, request, quote, message=message)
    return done(request, message, panel, reverse("claims:quote_stances", args=[quote.pk]))


# --- the speaker's timeline ------------------------------------------------------------


@require_GET
def speaker_timeline(request: HtmxHttpRequest, pk):
    speaker = get_object_or_404(Speaker.objects.select_related("affiliation"), pk=pk)

    def timeline():
        built = boards.timeline(speaker)
        return {
            "speaker": speaker,
            "timeline": built,
            "contradiction_rows": boards.CONTRADICTION_ROWS,
            "chart": boards.timeline_chart(built),
        }

    # The speaker's record, and the claims its statements (and everyone's) speak to.
    owners = (key("speaker", speaker.pk), "claims")
    timeline_html = kept(
        "claims/timeline.html#timeline", timeline, parts=speaker.pk, owners=owners, name="timeline"
    )
    if request.htmx:
        return HttpResponse(timeline_html)
    return render(
        request, "claims/timeline.html", {"speaker": speaker, "timeline_html": timeline_html}
    )
