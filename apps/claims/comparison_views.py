"""Claims across speakers: the matrix (every speaker against every claim) and two sides
compared claim by claim, on the page and as CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from apps.core.http import HtmxHttpRequest, number, query_of, query_without
from apps.core.partials import kept
from apps.quotes.exports import csv_lines
from apps.sources.lookup import speaker_label
from apps.sources.models import Speaker

from . import board as boards
from . import comparison as comparisons
from .exports import COMPARISON_COLUMNS, comparison_rows
from .forms import CompareForm
from .views import status_of

SIDES = ("left", "right")


@require_GET
def matrix(request: HtmxHttpRequest):
    status = status_of(request)
    claims_page = str(request.GET.get("claims") or 1)[:12]
    speakers_page = str(request.GET.get("page") or 1)[:12]

    def table():
        # The page links carry only what the table is kept under, never the rest of this
        # request's query: the HTML is shared by everyone who asks for the same page.
        claims = claims_page if claims_page != "1" else ""
        return {
            "matrix": boards.matrix(status, claims_page, speakers_page),
            "status": status,
            "speaker_query": query_of({"status": status, "claims": claims}),
            "claim_query": query_of({"status": status}),
        }

    context = {
        "table_html": kept(
            "claims/matrix.html#table",
            table,
            parts=(status, claims_page, speakers_page),
            owners=("claims",),
            name="matrix-table",  # its links changed: nothing kept under "matrix" is read
        ),
        "status": status,
        "status_choices": boards.STATUS_FILTERS.items(),
    }
    return render(request, "claims/matrix.html", context)


def _chosen_sides(request: HtmxHttpRequest) -> tuple[dict, list[str], int]:
    """The speakers named by id in `left` and `right`, what is wrong with them, and the
    HTTP status that says so (400 for an id that is not one, 404 for an unknown one)."""
    ids, problems, status = {}, [], 200
    for side in SIDES:
        value = request.GET.get(side, "").strip()
        if not value:
            continue
        pk = number(value)
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


def _typed_sides(request: HtmxHttpRequest):
    """The pickers' names resolved: the comparison's own address, or the form's errors."""
    form = CompareForm(request.GET)
    if form.is_valid():
        query = {
            "left": form.cleaned_data["left_name"].pk,
            "right": form.cleaned_data["right_name"].pk,
        }
        if status_of(request):
            query["status"] = status_of(request)
        return redirect(f"{reverse('claims:compare')}?{urlencode(query)}"), form
    return None, form


@login_required
@require_GET
def compare(request: HtmxHttpRequest):
    """Two sides' statements claim by claim: agreeing, contradicting, or one side only."""
    if request.GET.get("format") == "csv":
        return compare_csv(request)
    status = status_of(request)
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

    def body():
        return {
            "comparison": comparisons.compare(left, right, status, requested),
            "status": status,
            "query": urlencode({"left": left.pk, "right": right.pk, "status": status}),
            "side_statements": comparisons.SIDE_STATEMENTS,
        }

    # Rebuilt when a claim or stance changes (and what the stances cite), or a speaker,
    # alias or affiliation: the sides' members and short names.
    body_html = kept(
        "claims/compare.html#body",
        body,
        parts=(left.pk, right.pk, status, requested),
        owners=("claims", "speakers"),
        name="compare",
    )
    return _compare_page(request, form, [], 200, body_html, sides)


def _compare_page(request: HtmxHttpRequest, form, problems, http_status, body_html="", sides=None):
    context = {
        "form": form,
        "problems": problems,
        "body_html": body_html,
        "sides": sides or {},
        "status": status_of(request),
        "status_choices": boards.STATUS_FILTERS.items(),
        "csv_query": query_without(request, "page", "format"),
    }
    return render(request, "claims/compare.html", context, status=http_status)


@login_required
@require_GET
def compare_csv(request: HtmxHttpRequest):
    """Every statement of the comparison, one row each, on every claim either side spoke to."""
    if any(f"{side}_name" in request.GET for side in SIDES):
        return HttpResponse("Give both sides as speaker ids: left=…&right=…", status=400)
    sides, problems, http_status = _chosen_sides(request)
    if len(sides) < 2 or problems:
        message = " ".join(problems) or "Choose both sides: left=…&right=… (speaker ids)."
        return HttpResponse(message, status=http_status if http_status != 200 else 400)
    built = comparisons.compare(sides["left"], sides["right"], status_of(request), paginate=False)
    response = StreamingHttpResponse(
        csv_lines(COMPARISON_COLUMNS, comparison_rows(built)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"quotetrail-compare-{sides['left'].pk}-{sides['right'].pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
