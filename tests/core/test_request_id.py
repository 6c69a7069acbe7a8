"""Request ids: taken from the balancer or made, sent back, and on every log line."""

import io
import logging
import re
from contextlib import contextmanager

import pytest
from django.http import HttpResponse, HttpResponseBadRequest
from django.test import Client
from django.urls import include, path

from apps.core.middleware.requestid import RequestIdFilter, request_id

GENERATED = re.compile(r"[0-9a-f]{32}")
view_log = logging.getLogger("quotetrail.tests.views")


def logging_view(request):
    view_log.warning("the view was here")
    return HttpResponse("logged")


def refusing_view(request):
    return HttpResponseBadRequest("no")  # Django logs this 400 after the middleware return


def broken_view(request):
    raise RuntimeError("the archive fell over")


# This module is also the URLconf of the tests marked below: the app plus three views.
urlpatterns = [
    path("logging/", logging_view),
    path("refusing/", refusing_view),
    path("broken/", broken_view),
    path("", include("config.urls")),
]


@contextmanager
def console_output():
    """What the configured console handler (settings.LOGGING) writes, as text."""
    [console] = [h for h in logging.getLogger().handlers if h.name == "console"]
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        yield written
    finally:
        console.setStream(previous)


def test_the_balancers_request_id_is_carried_through(db):
    response = Client().get("/livez", headers={"X-Request-ID": "lb-7f3a:9.1_x-2"})
    assert response["X-Request-ID"] == "lb-7f3a:9.1_x-2"


def test_a_request_id_is_made_when_the_balancer_sends_none(db):
    first, second = Client().get("/livez"), Client().get("/livez")
    assert GENERATED.fullmatch(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 201,
        "id with spaces",
        "forged\\nINFO quotetrail.requests user=admin",
        "<script>alert(1)</script>",
        "ïd",
        "a;b",
    ],
)
def test_a_request_id_that_is_not_a_sane_token_is_replaced(db, hostile):
    response = Client().get("/livez", headers={"X-Request-ID": hostile})
    assert response.status_code == 200
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_a_control_character_in_the_header_is_replaced_too(db):
    response = Client().get("/livez", HTTP_X_REQUEST_ID="forged\nline")
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_the_request_line_carries_the_id(db, caplog):
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())
    response = Client().get("/livez", headers={"X-Request-ID": "req-1234"})
    [line] = [r for r in caplog.records if r.name == "quotetrail.requests"]
    assert line.request_id == "req-1234" == response["X-Request-ID"]
    assert request_id.get() == "-"  # once the response is finished


@pytest.mark.urls(__name__)
def test_a_log_written_in_a_view_carries_the_id(db, viewer_client, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    viewer_client.get("/logging/", headers={"X-Request-ID": "from-the-view"})
    [record] = [r for r in caplog.records if r.name == view_log.name]
    assert record.request_id == "from-the-view"


@pytest.mark.urls(__name__)
def test_every_line_written_to_the_console_carries_the_id(viewer):
    client = Client(raise_request_exception=False)
    client.force_login(viewer)
    with console_output() as written:
        client.get("/logging/", headers={"X-Request-ID": "aaa-1"})
        client.get("/refusing/", headers={"X-Request-ID": "bbb-2"})
        client.get("/broken/", headers={"X-Request-ID": "ccc-3"})
        logging.getLogger("quotetrail.tests").warning("outside any request")
    lines = [line for line in written.getvalue().splitlines() if " [" in line]
    by_id = {}
    for line in lines:
        by_id.setdefault(re.search(r" \[([^\]]+)\] ", line).group(1), []).append(line)
    assert any("the view was here" in line for line in by_id["aaa-1"])
    assert any("quotetrail.requests" in line and "status=200" in line for line in by_id["aaa-1"])
    assert any("django.request" in line and "Bad Request" in line for line in by_id["bbb-2"])
    assert any("status=400" in line for line in by_id["bbb-2"])
    assert any("django.request" in line and "/broken/" in line for line in by_id["ccc-3"])
    assert any("status=500" in line for line in by_id["ccc-3"])
    assert any("outside any request" in line for line in by_id["-"])
    assert "RuntimeError: the archive fell over" in written.getvalue()  # the traceback
