"""Webhook endpoints, for reviewers only: register, inspect, test, switch off, delete.

Each POST answers htmx with the endpoint's page region and anything else with a
redirect to the page, so every button also works without JavaScript.
"""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.core.http import done
from apps.core.roles import can_review, requires

from .events import redeliver, send_test_event
from .forms import EndpointForm
from .models import Delivery, Endpoint

DELIVERIES_PER_PAGE = 25
ENDPOINTS_PER_PAGE = 50


def _list_page(request, form, status=200):
    endpoints = Endpoint.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
    ).order_by("-created", "-id")
    page = Paginator(endpoints, ENDPOINTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/list.html", {"page": page, "form": form}, status=status)


@requires(can_review)
@require_http_methods(["GET", "POST"])
def endpoint_list(request):
    if request.method == "GET":
        return _list_page(request, EndpointForm())
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    endpoint = form.save(commit=False)
    endpoint.created_by = request.user
    endpoint.save()
    messages.success(request, "Endpoint registered. Its secret is on this page.")
    return redirect(endpoint)


def _endpoint_page(request, endpoint, form=None, message="", status=200):
    deliveries = endpoint.deliveries.order_by("-created", "-id")
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "endpoint": endpoint,
        "form": form or EndpointForm(instance=endpoint),
        "page": page,
        "message": message,
    }
    template = "webhooks/endpoint.html"
    if request.htmx:
        template += "#endpoint"
    return render(request, template, context, status=status)


def _done(request, endpoint, message):
    """htmx gets the page's region with the message; a plain form, a redirect to the page."""
    region = functools.partial(_endpoint_page, request, endpoint, message=message)
    return done(request, message, region, endpoint)


@requires(can_review)
@require_http_methods(["GET"])
def endpoint_detail(request, pk):
    return _endpoint_page(request, get_object_or_404(Endpoint, pk=pk))


@requires(can_review)
@require_POST
def endpoint_edit(request, pk):
    endpoint = get_object_or_404(Endpoint, pk=pk)
    form = EndpointForm(request.POST, instance=endpoint)
    if not form.is_valid():
        saved = Endpoint.objects.get(pk=pk)  # the form's instance holds the refused values
        return _endpoint_page(request, saved, form=form, status=400)
    form.save()
    return _done(request, endpoint, "Endpoint saved.")


@requires(can_review)
@require_POST
def endpoint_active(request, pk):
    """Switch the endpoint on or off, as the form says (not a toggle: a repeated POST
    leaves it as asked)."""
    endpoint = get_object_or_404(Endpoint, pk=pk)
    wanted = request.POST.get("active", "")
    if wanted not in ("on", "off"):
        return _endpoint_page(
            request, endpoint, message="Say whether to switch it on or off.", status=400
        )
    endpoint.active = wanted == "on"
    endpoint.save(update_fields=["active"])
    return _done(
        request,
        endpoint,
        "Endpoint switched on." if endpoint.active else "Endpoint switched off: nothing is sent.",
    )


@requires(can_review)
@require_POST
def endpoint_delete(request, pk):
    endpoint = get_object_or_404(Endpoint, pk=pk)
    endpoint.delete()
    messages.success(request, f"Endpoint {endpoint.url} deleted with its delivery log.")
    if request.htmx:  # the page it was on is gone: the browser goes to the list
        return HttpResponseClientRedirect(reverse("webhooks:endpoints"))
    return redirect("webhooks:endpoints")


@requires(can_review)
@require_POST
def endpoint_test(request, pk):
    endpoint = get_object_or_404(Endpoint, pk=pk)
    send_test_event(endpoint, request.user)
    return _done(request, endpoint, "Test event queued; its delivery is at the top of the log.")


@requires(can_review)
@require_POST
def delivery_redeliver(request, pk):
    delivery = get_object_or_404(Delivery.objects.select_related("endpoint"), pk=pk)
    endpoint = delivery.endpoint
    if delivery.status != Delivery.Status.FAILED:
        message = "Only a failed delivery can be sent again; this one is "
        message += f"{delivery.get_status_display().lower()}."
        if request.htmx:
            return _endpoint_page(request, endpoint, message=message, status=409)
        messages.error(request, message)
        return redirect(endpoint)
    redeliver(delivery)
    return _done(request, endpoint, "Delivery queued again as a new delivery of the same event.")
