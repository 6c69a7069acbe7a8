import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.articles.models import Article
from apps.core.review import ReviewStatus
from apps.core.roles import can_review, can_tag, requires
from apps.core.versions import derived, derived_many, incremental, key
from apps.quotes import search
from apps.quotes.exports import csv_lines
from apps.quotes.models import VERDICT_FILTER_CHOICES, Quote, verdict_filter
from apps.sources.lookup import speaker_label
from apps.sources.models import Speaker
from apps.sources.views import render_options, typed_query

from . import board as boards
from . import comparison as comparisons
from .actions import REVIEWABLE, ActionRefused, allowed, decide, link_quotes, record_stance
from .exports import (
    COMPARISON_COLUMNS,
    CONTRADICTION_COLUMNS,
    claim_document,
    comparison_rows,
    contradiction_rows,
)
from .forms import ClaimForm, CompareForm, RejectForm, StanceForm, claim_label
from .models import Claim, Stance

CLAIMS_PER_PAGE = 10
QUEUE_PER_PAGE = 50
FILTER_OPTIONS = 300


def _int(value) -> int | None:
    """An id typed in a query or form: ASCII digits only ("²" is a digit to Python but
    not to int()), and short enough to fit any database's integer."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _status(request) -> str:
    status = request.GET.get("status", "")
    return status if status in boards.STATUS_FILTERS else ""


# --- the board, the claim page, the matrix --------------------------------------------


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
def board(request):
    filters = {
        "article": _int(request.GET.get("article")),
        "speaker": _int(request.GET.get("speaker")),
        "organization": _int(request.GET.get("organization")),
    }
    status = _status(request)
    verdicts, verdict_problem = verdict_filter(request.GET.get("verdict", ""))
    verdict = request.GET["verdict"] if verdicts is not None else ""
    query = request.GET.copy()
    query.pop("page", None)
    if verdicts is None:
        query.pop("verdict", None)
    requested = request.GET.get("page") or 1

    def choose_claims():
        claims = boards.claims_matching(**filters, verdicts=verdicts)
        page = Paginator(claims, CLAIMS_PER_PAGE).get_page(requested)
        return list(page.object_list), page.number, page.paginator.count

    # Which claims a page shows moves with any claim; each claim's card only with its own
    # stances and what they cite (apps.claims.owners), so a write rebuilds one card.
    chosen_claims, number, count = derived(
        "board-page", (tuple(filters.items()), status, verdicts, str(requested)[:12]),
        choose_claims, ("claims",),
    )  # fmt: skip

    def build_cards(indexes):
        board = boards.build_board([chosen_claims[i] for i in indexes], status, verdicts)
        return [
            render_to_string("claims/board.html#card", {"row": row, "status": status})
            for row in board.rows
        ]

    cards = derived_many(
        "board-card",
        [((claim.pk, status, verdicts), (key("claim", claim.pk),)) for claim in chosen_claims],
        build_cards,
    )
    page = Paginator(range(count), CLAIMS_PER_PAGE).get_page(number)  # for the page links
    table = {
        "cards": [mark_safe(card) for card in cards],  # noqa: S308 - rendered by our templates
        "claims": chosen_claims,
        "page": page,
        "status": status,
        "query": query.urlencode(),
        "user_can_review": can_review(request.user),
    }

    def render_filter_form():
        context = {
            "filters": filters,
            "status": status,
            "status_choices": boards.STATUS_FILTERS.items(),
            "verdict": verdict,
            "verdict_choices": VERDICT_FILTER_CHOICES,
            **_board_filter_options(),
        }
        return render_to_string("claims/board.html#filter-form", context)

    chosen = (tuple(filters.items()), status, verdict)
    context = {
        "table_html": render_to_string("claims/board.html#table", table, request),
        "filter_form_html": derived(
            "board-filters", chosen, render_filter_form, ("claims", "speakers")
        ),
        "status": status,
        "verdict_problem": verdict_problem,
    }
    return render(request, "claims/board.html", context)


@require_GET
def claim_detail(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = ClaimForm(instance=claim) if can_review(request.user) else None
    return _claim_page(request, claim, _status(request), form)


def _claim_rendered(claim, status: str) -> dict:
    """The claim's statements, contradictions and timeline chart, rendered once per change
    to the claim (apps.claims.owners)."""

    def render_body():
        page = boards.claim_page(claim, status)
        context = {
            "page": page,
            "status": status,
            "contradiction_rows": boards.CONTRADICTION_ROWS,
        }
        chart = {"chart": boards.claim_chart(page), "chart_title": "The line over time"}
        return {
            "body": render_to_string("claims/claim.html#body", context),
            "chart": render_to_string("claims/timeline_svg.html#chart", chart),
        }

    return derived("claim", (claim.pk, status), render_body, (key("claim", claim.pk),))


def _claim_page(request, claim, status, form, http_status=200):
    rendered = _claim_rendered(claim, status)
    context = {
        "claim": claim,
        "body_html": rendered["body"],
        "chart_html": rendered["chart"],
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


def _adding(request, claim: Claim, message: str = "", error: str = "") -> dict:
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
def claim_statements(request, pk):
    """The "Add statements" panel (GET), and linking quotes to the claim (POST): one quote
    with the position of the button pressed (`row` = "<quote id>:<position>", with that
    row's note), or every ticked quote (`quote`) with the position pressed (`position`)."""
    claim = get_object_or_404(Claim, pk=pk)
    if not can_tag(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return _statements_panel(request, claim)
    row = request.POST.get("row", "")
    if row:
        quote_id, _, position = row.partition(":")
        chosen = [_int(quote_id)]
        note = request.POST.get(f"note-{quote_id}", "")
    else:
        position = request.POST.get("position", "")
        chosen = [_int(value) for value in request.POST.getlist("quote")]
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
    if not request.htmx:
        messages.success(request, message)
        return redirect(claim)
    return _statements_panel(request, claim, message=message, whole=True)


def _statements_panel(request, claim, message="", error="", status=None, whole=False):
    """The panel alone, or (after linking) the claim's statements with it, for htmx."""
    status = status or (400 if error else 200)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return (
            redirect(claim)
            if request.method == "POST"
            else _claim_page(request, claim, _status(request), None)
        )
    if whole:
        rendered = _claim_rendered(claim, "")
        context = {"claim": claim, "body_html": rendered["body"], "chart_html": rendered["chart"]}
        context.update(_adding(request, claim, message, error))
        return render(request, "claims/claim.html#after-linking", context, status=status)
    context = {"claim": claim, **_adding(request, claim, message, error)}
    return render(request, "claims/claim.html#add", context, status=status)


@require_GET
def matrix(request):
    status = _status(request)
    claims_page = str(request.GET.get("claims") or 1)[:12]
    speakers_page = str(request.GET.get("page") or 1)[:12]

    def render_table():
        built = boards.matrix(status, claims_page, speakers_page)
        context = {
            "matrix": built,
            "status": status,
            "speaker_query": _query_without(request, "page"),
            "claim_query": _query_without(request, "claims", "page"),
        }
        return render_to_string("claims/matrix.html#table", context)

    context = {
        "table_html": derived(
            "matrix", (status, claims_page, speakers_page), render_table, ("claims",)
        ),
        "status": status,
        "status_choices": boards.STATUS_FILTERS.items(),
    }
    return render(request, "claims/matrix.html", context)


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- two sides compared ---------------------------------------------------------------

SIDES = ("left", "right")


def _chosen_sides(request) -> tuple[dict, list[str], int]:
    """The speakers named by id in `left` and `right`, what is wrong with them, and the
    HTTP status that says so (400 for an id that is not one, 404 for an unknown one)."""
    ids, problems, status = {}, [], 200
    for side in SIDES:
        value = request.GET.get(side, "").strip()
        if not value:
            continue
        pk = _int(value)
        if pk is None:
            problems.append(f"“{value[:40]}” is not a speaker id (the {side} side).")
            status = 400
        else:
            ids[side] = pk
    found = Speaker.objects.in_bulk(set(ids.values())) if ids else {}
    sides = {}
    for side, pk in ids.items():
        if pk in found:
            sides[side] = found[pk]
        else:
            problems.append(f"No speaker #{pk} (the {side} side): it was merged or deleted.")
            status = status if status != 200 else 404
    if problems:
        return sides, problems, status
    if len(sides) == 1:
        missing = "right" if "left" in sides else "left"
        problems.append(f"Choose a speaker or organization for the {missing} side too.")
    elif sides and sides["left"] == sides["right"]:
        problems.append(f"Choose two different sides: both are {sides['left'].name}.")
        status = 400
    return sides, problems, status


def _typed_sides(request):
    """The pickers' names resolved: the comparison's own address, or the form's errors."""
    form = CompareForm(request.GET)
    if form.is_valid():
        query = {
            "left": form.cleaned_data["left_name"].pk,
            "right": form.cleaned_data["right_name"].pk,
        }
        if _status(request):
            query["status"] = _status(request)
        return redirect(f"{reverse('claims:compare')}?{urlencode(query)}"), form
    return None, form


@login_required
@require_GET
def compare(request):
    """Two sides' statements claim by claim: agreeing, contradicting, or one side only."""
    if request.GET.get("format") == "csv":
        return compare_csv(request)
    status = _status(request)
    if any(f"{side}_name" in request.GET for side in SIDES):
        response, form = _typed_sides(request)
        if response is not None:
            return response
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return _compare_page(request, form, problems, 400)
    sides, problems, http_status = _chosen_sides(request)
    initial = {f"{side}_name": speaker_label(speaker) for side, speaker in sides.items()}
    form = CompareForm(initial=initial)
    if problems or len(sides) < 2:
        return _compare_page(request, form, problems, http_status)
    left, right = sides["left"], sides["right"]
    requested = str(request.GET.get("page") or 1)[:12]

    def render_body():
        context = {
            "comparison": comparisons.compare(left, right, status, requested),
            "status": status,
            "query": urlencode({"left": left.pk, "right": right.pk, "status": status}),
            "side_statements": comparisons.SIDE_STATEMENTS,
        }
        return render_to_string("claims/compare.html#body", context)

    # Rebuilt when a claim or stance changes (and what the stances cite), or a speaker,
    # alias or affiliation: the sides' members and short names.
    body = derived(
        "compare",
        (left.pk, right.pk, status, requested),
        render_body,
        ("claims", "speakers"),
    )
    return _compare_page(request, form, [], 200, body, sides)


def _compare_page(request, form, problems, http_status, body_html="", sides=None):
    context = {
        "form": form,
        "problems": problems,
        "body_html": body_html,
        "sides": sides or {},
        "status": _status(request),
        "status_choices": boards.STATUS_FILTERS.items(),
        "csv_query": _query_without(request, "page", "format"),
    }
    return render(request, "claims/compare.html", context, status=http_status)


@login_required
@require_GET
def compare_csv(request):
    """Every statement of the comparison, one row each, on every claim either side spoke to."""
    if any(f"{side}_name" in request.GET for side in SIDES):
        return HttpResponse("Give both sides as speaker ids: left=…&right=…", status=400)
    sides, problems, http_status = _chosen_sides(request)
    if len(sides) < 2 or problems:
        message = " ".join(problems) or "Choose both sides: left=…&right=… (speaker ids)."
        return HttpResponse(message, status=http_status if http_status != 200 else 400)
    built = comparisons.compare(sides["left"], sides["right"], _status(request), paginate=False)
    response = StreamingHttpResponse(
        csv_lines(COMPARISON_COLUMNS, comparison_rows(built)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"quotetrail-compare-{sides['left'].pk}-{sides['right'].pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- claims -------------------------------------------------------------------------


def _claim_list(request, form, status=200):
    claims = Claim.objects.annotate(
        stance_count=Count("stances"),
        affirm_count=Count("stances", filter=Q(stances__position=Stance.Position.AFFIRMS)),
        deny_count=Count("stances", filter=Q(stances__position=Stance.Position.DENIES)),
    ).order_by("text", "id")
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/claim_list.html", {"page": page, "form": form}, status=status)


@require_GET
def claim_list(request):
    return _claim_list(request, ClaimForm() if can_review(request.user) else None)


@requires(can_review)
@require_POST
def claim_create(request):
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
def claim_edit(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    form = ClaimForm(request.POST, instance=claim)
    if form.is_valid():
        form.save()
        messages.success(request, "Claim saved.")
        return redirect(claim)
    saved = Claim.objects.get(pk=pk)  # the form's instance now holds the refused values
    return _claim_page(request, saved, "", form, http_status=400)


@require_GET
def claim_options(request):
    query = typed_query(request).strip()
    claims = Claim.objects.all()
    if query:
        claims = claims.filter(text__icontains=query)
    claims = claims.annotate(uses=Count("stances")).order_by("-uses", "text")[:20]
    options = [(claim_label(c), f"{c.uses} stance(s)") for c in claims]
    return render_options(request, options, "claim-options")


# --- stances on a quote -----------------------------------------------------------------


def _stances_panel(request, quote, form=None, status=200, message=""):
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
def quote_stances(request, pk):
    """The stances panel of a quote: list them, and record one (editors, reviewers)."""
    quote = get_object_or_404(Quote.objects.select_related("article", "speaker"), pk=pk)
    if request.method == "GET":
        return _stances_panel(request, quote)
    if not can_tag(request.user):
        return HttpResponse("Your role does not allow this.", status=403)
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
    if not request.htmx:
        messages.success(request, message)
        return redirect(reverse("claims:quote_stances", args=[quote.pk]))
    return _stances_panel(request, quote, message=message)


@requires(can_tag)
@require_POST
def stance_delete(request, pk):
    stance = get_object_or_404(Stance.objects.select_related("quote", "claim"), pk=pk)
    quote = stance.quote
    stance.delete()
    message = f"Stance on “{stance.claim}” removed; its history is kept."
    if not request.htmx:
        messages.success(request, message)
        return redirect(reverse("claims:quote_stances", args=[quote.pk]))
    return _stances_panel(request, quote, message=message)


# --- the speaker's timeline ------------------------------------------------------------


@require_GET
def speaker_timeline(request, pk):
    speaker = get_object_or_404(Speaker.objects.select_related("affiliation"), pk=pk)

    def render_timeline():
        built = boards.timeline(speaker)
        context = {
            "speaker": speaker,
            "timeline": built,
            "contradiction_rows": boards.CONTRADICTION_ROWS,
            "chart": boards.timeline_chart(built),
        }
        return render_to_string("claims/timeline.html#timeline", context)

    # The speaker's record, and the claims its statements (and everyone's) speak to.
    owners = (key("speaker", speaker.pk), "claims")
    timeline_html = derived("timeline", speaker.pk, render_timeline, owners)
    if request.htmx:
        return HttpResponse(timeline_html)
    return render(
        request, "claims/timeline.html", {"speaker": speaker, "timeline_html": timeline_html}
    )


# --- review ------------------------------------------------------------------------------


def _queue_items(kind, statuses, user=None, verdicts=None):
    if kind == "quote":
        items = Quote.objects.select_related("article", "speaker", "source", "reviewed_by")
        if verdicts is not None:
            items = items.filter(verdict__in=verdicts)
    else:
        items = Stance.objects.with_trail().select_related("reviewed_by")
        if verdicts is not None:
            items = items.filter(quote__verdict__in=verdicts)
    items = items.filter(status__in=statuses)
    if user is not None:
        items = items.filter(created_by=user)
    return items.order_by("-updated_at", "-id")


@require_GET
def review_queue(request):
    """Reviewers: submitted work to decide. Editors: their drafts and rejected work."""
    user = request.user
    if not can_tag(user):
        return HttpResponse("Your role does not allow this.", status=403)
    reviewer = can_review(user)
    verdicts, problem = verdict_filter(request.GET.get("verdict", ""))
    if reviewer:
        statuses, owner = [ReviewStatus.SUBMITTED], None
        titles = ("Quotes to review", "Stances to review")
    else:
        statuses, owner = [ReviewStatus.REJECTED, ReviewStatus.DRAFT], user
        titles = ("Your quotes: rejected and drafts", "Your stances: rejected and drafts")
    sections = [
        (kind, title, _queue_items(kind, statuses, owner, verdicts))
        for kind, title in zip(("quote", "stance"), titles, strict=True)
    ]
    pages = [
        (kind, title, Paginator(items, QUEUE_PER_PAGE).get_page(request.GET.get(f"{kind}_page")))
        for kind, title, items in sections
    ]
    context = {
        "sections": pages,
        "reviewer": reviewer,
        "reject_form": RejectForm(),
        "verdict": request.GET.get("verdict", "") if verdicts is not None else "",
        "verdict_choices": VERDICT_FILTER_CHOICES,
        "verdict_problem": problem,
        "query": urlencode({"verdict": request.GET["verdict"]}) if verdicts is not None else "",
    }
    return render(request, "claims/review.html", context)


def _decision_row(request, kind, item, message, status=200):
    return render(
        request,
        "claims/review.html#row",
        {"kind": kind, "item": item, "message": message, "reviewer": can_review(request.user)},
        status=status,
    )


@require_POST
def review_action(request, kind, pk, action):
    if kind not in REVIEWABLE or action not in ("submit", "approve", "reject"):
        return HttpResponse("Unknown review action.", status=404)
    if not allowed(request.user, action):
        return HttpResponse("Your role does not allow this.", status=403)
    try:
        reason = request.POST.get(f"reason_{kind}_{pk}") or request.POST.get("reason", "")
        item = decide(kind, pk, action, request.user, reason)
    except ActionRefused as refusal:
        if request.htmx:
            item = REVIEWABLE[kind].objects.filter(pk=pk).first()
            if item is None:
                return HttpResponse(str(refusal), status=404)
            return _decision_row(request, kind, item, str(refusal), status=400)
        messages.error(request, str(refusal))
        return redirect(_safe_next(request) or reverse("claims:review"))
    done = {"submit": "Submitted", "approve": "Approved", "reject": "Rejected"}[action]
    if request.htmx:
        return _decision_row(request, kind, item, f"{done}.")
    messages.success(request, f"{done}.")
    return redirect(_safe_next(request) or reverse("claims:review"))


def _safe_next(request) -> str:
    """`next` when it is a path on this site (never another host, never a view name)."""
    target = request.POST.get("next", "")
    local = url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    return target if local and target.startswith("/") else ""


@require_POST
def review_bulk(request):
    """Approve, reject or submit every selected item at once (each in its own transaction)."""
    if not can_tag(request.user):
        return HttpResponse("Your role does not allow this.", status=403)
    action = request.POST.get("action", "")
    if action not in ("submit", "approve", "reject"):
        messages.error(request, "Choose an action.")
        return redirect(reverse("claims:review"))
    if not allowed(request.user, action):
        return HttpResponse("Your role does not allow this.", status=403)
    reason = request.POST.get("reason", "")
    if action == "reject" and not reason.strip():
        messages.error(request, "Say why the selected items are rejected.")
        return redirect(reverse("claims:review"))
    done, refused = 0, []
    for value in request.POST.getlist("item")[:500]:
        kind, _, pk = value.partition(":")
        if kind not in REVIEWABLE or _int(pk) is None:
            continue
        try:
            decide(kind, _int(pk), action, request.user, reason)
            done += 1
        except ActionRefused as refusal:
            refused.append(f"{kind} #{pk}: {refusal}")
    if done:
        messages.success(request, f"{done} item(s): {action} done.")
    for line in refused[:10]:
        messages.error(request, line)
    if not done and not refused:
        messages.error(request, "Select at least one item.")
    return redirect(reverse("claims:review"))


# --- exports -----------------------------------------------------------------------------


@require_GET
def contradictions_csv(request):
    status = _status(request)
    claims = list(Claim.objects.order_by("text", "id"))
    built = boards.build_board(claims, status)
    pairs = [pair for row in built.rows for pair in row.contradictions]
    response = StreamingHttpResponse(
        csv_lines(CONTRADICTION_COLUMNS, contradiction_rows(pairs)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="quotetrail-contradictions.csv"'
    return response


@require_GET
def claims_jsonld(request):
    status = _status(request)
    claims = list(Claim.objects.order_by("text", "id"))
    grouped = boards.statements_by_claim(claims, status)
    documents = [
        claim_document(claim, grouped.get(claim.pk, []), request.build_absolute_uri)
        for claim in claims
    ]
    body = {"@context": "https://schema.org", "@graph": documents}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
    response["Content-Disposition"] = 'attachment; filename="quotetrail-claims.jsonld"'
    return response
