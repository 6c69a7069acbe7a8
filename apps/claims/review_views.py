"""Review: the queue (reviewers decide submitted work, editors see their drafts and
rejected work), one decision on a row, and the same decision on every ticked row."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from apps.core.http import HtmxHttpRequest, done, number, refuse, safe_next
from apps.core.review import ReviewStatus
from apps.core.roles import can_review, can_tag, requires
from apps.quotes.models import VERDICT_FILTER_CHOICES, Quote, verdict_filter

from .actions import REVIEWABLE, ActionRefused, allowed, decide
from .forms import RejectForm
from .models import Stance

QUEUE_PER_PAGE = 50
ACTIONS = {"submit": "Submitted", "approve": "Approved", "reject": "Rejected"}
BULK_ITEMS = 500  # ticked items decided at once
BULK_REFUSALS = 10  # refusals listed after a bulk decision


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
@requires(can_tag)
def review_queue(request: HtmxHttpRequest):
    """Reviewers: submitted work to decide. Editors: their drafts and rejected work."""
    user = request.user
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


def _decision_row(request: HtmxHttpRequest, kind, item, message, status=200):
    return render(
        request,
        "claims/review.html#row",
        {"kind": kind, "item": item, "message": message, "reviewer": can_review(request.user)},
        status=status,
    )


@require_POST
def review_action(request: HtmxHttpRequest, kind, pk, action):
    if kind not in REVIEWABLE or action not in ACTIONS:
        return HttpResponse("Unknown review action.", status=404)
    if not allowed(request.user, action):
        refuse()
    back = safe_next(request) or reverse("claims:review")
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
        return redirect(back)
    message = f"{ACTIONS[action]}."
    return done(request, message, lambda: _decision_row(request, kind, item, message), back)


@require_POST
@requires(can_tag)
def review_bulk(request: HtmxHttpRequest):
    """Approve, reject or submit every selected item at once (each in its own transaction)."""
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "Choose an action.")
        return redirect(reverse("claims:review"))
    if not allowed(request.user, action):
        refuse()
    reason = request.POST.get("reason", "")
    if action == "reject" and not reason.strip():
        messages.error(request, "Say why the selected items are rejected.")
        return redirect(reverse("claims:review"))
    decided, refused = 0, []
    for value in request.POST.getlist("item")[:BULK_ITEMS]:
        kind, _, pk = value.partition(":")
        if kind not in REVIEWABLE or number(pk) is None:
            continue
        try:
            decide(kind, number(pk), action, request.user, reason)
            decided += 1
        except ActionRefused as refusal:
            refused.append(f"{kind} #{pk}: {refusal}")
    if decided:
        messages.success(request, f"{decided} item(s): {action} done.")
    for line in refused[:BULK_REFUSALS]:
        messages.error(request, line)
    if not decided and not refused:
        messages.error(request, "Select at least one item.")
    return redirect(reverse("claims:review"))
