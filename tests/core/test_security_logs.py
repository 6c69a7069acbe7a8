"""Request logs: one line per request, tracebacks for errors, never a password."""

import logging
import re

from django.test import Client
from django.urls import include, path

from tests.conftest import make_user

SECRET_PASSWORD = "Sekrit-Passphrase-4711"
LINE = re.compile(
    r"^user=(?P<user>\S+) method=(?P<method>[A-Z]+) path=(?P<path>\S+) "
    r"status=(?P<status>\d{3}) duration_ms=(?P<ms>\d+\.\d)$"
)


def broken_view(request):
    raise RuntimeError("the archive fell over")


# This module is also the URLconf of the tests marked below: the app plus a crashing view.
urlpatterns = [
    path("broken/", broken_view),
    path("", include("config.urls")),
]


def request_lines(caplog) -> list[dict]:
    lines = []
    for record in caplog.records:
        if record.name == "quotetrail.requests":
            match = LINE.match(record.getMessage())
            assert match, record.getMessage()
            lines.append(match.groupdict())
    return lines


def everything_logged(caplog) -> str:
    """Every record as the console handler would write it, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_each_request_gets_one_line_with_user_method_path_status_and_time(viewer_client, caplog):
    caplog.set_level(logging.INFO)
    viewer_client.get("/articles/?page=1")
    viewer_client.get("/no-such-page/")
    lines = request_lines(caplog)
    assert [(line["user"], line["method"], line["path"], line["status"]) for line in lines] == [
        ("vic", "GET", "/articles/?page=1", "200"),
        ("vic", "GET", "/no-such-page/", "404"),
    ]
    assert all(float(line["ms"]) >= 0 for line in lines)


def test_anonymous_requests_are_logged_with_a_dash(db, caplog):
    caplog.set_level(logging.INFO)
    Client().get("/articles/")
    [line] = request_lines(caplog)
    assert (line["user"], line["method"], line["path"], line["status"]) == (
        "-",
        "GET",
        "/articles/",
        "302",
    )


def test_failed_and_successful_logins_never_log_the_password(db, caplog):
    user = make_user("edna", "editor")
    user.set_password(SECRET_PASSWORD)
    user.save()
    caplog.set_level(logging.DEBUG)
    client = Client(headers={"User-Agent": "Distinctive-Agent/1.0"})
    client.post("/accounts/login/", {"username": "edna", "password": SECRET_PASSWORD + "x"})
    client.post("/accounts/login/", {"username": "edna", "password": SECRET_PASSWORD})
    lines = request_lines(caplog)
    assert [(line["user"], line["path"], line["status"]) for line in lines] == [
        ("-", "/accounts/login/", "200"),
        ("edna", "/accounts/login/", "302"),
    ]
    logged = everything_logged(caplog)
    assert SECRET_PASSWORD not in logged
    assert "password" not in logged.lower()
    assert "Distinctive-Agent" not in logged  # headers neither (the lockout sees this one)


def test_a_password_in_a_crashing_post_stays_out_of_the_error_log(db, caplog, settings):
    settings.ROOT_URLCONF = __name__
    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)
    client.force_login(make_user("edna", "editor"))
    response = client.post("/broken/?draft=1", {"password": SECRET_PASSWORD})
    assert response.status_code == 500
    logged = everything_logged(caplog)
    assert SECRET_PASSWORD not in logged
    assert request_lines(caplog)[-1]["path"] == "/broken/?draft=1"


def test_an_exception_in_a_view_is_logged_with_its_traceback(db, caplog, settings):
    settings.ROOT_URLCONF = __name__
    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)
    client.force_login(make_user("edna", "editor"))
    assert client.get("/broken/").status_code == 500
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert len(errors) == 1
    assert errors[0].exc_info and errors[0].exc_info[0] is RuntimeError
    logged = everything_logged(caplog)
    assert "Traceback (most recent call last)" in logged
    assert 'raise RuntimeError("the archive fell over")' in logged
    assert request_lines(caplog)[-1] | {"ms": "0"} == {
        "user": "edna",
        "method": "GET",
        "path": "/broken/",
        "status": "500",
        "ms": "0",
    }


def test_control_characters_in_the_path_cannot_forge_a_log_line(viewer_client, caplog):
    caplog.set_level(logging.INFO)
    viewer_client.get("/articles/?q=x%0Auser=admin method=GET")
    viewer_client.get("/articles/\nuser=admin/")
    messages = [r.getMessage() for r in caplog.records if r.name == "quotetrail.requests"]
    assert len(messages) == 2
    assert all("\n" not in message for message in messages)


def test_a_user_that_cannot_be_loaded_is_logged_as_unknown_not_turned_into_a_500(caplog, rf):
    from django.db import OperationalError
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from apps.core.middleware.requestlog import RequestLogMiddleware

    def session_lookup():
        raise OperationalError("connection refused")

    request = rf.get("/articles/")
    request.user = SimpleLazyObject(session_lookup)
    unavailable = HttpResponse("database away", status=503)
    caplog.set_level(logging.INFO)
    assert RequestLogMiddleware(lambda request: unavailable)(request) is unavailable
    [line] = request_lines(caplog)
    assert (line["user"], line["status"]) == ("-", "503")  # never looked up for the log


def test_logging_a_request_never_looks_the_user_up_itself(viewer_client, caplog):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caplog.set_level(logging.INFO)
    with CaptureQueriesContext(connection) as queries:
        viewer_client.get("/healthz")
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    [line] = request_lines(caplog)
    assert (line["user"], line["path"], line["status"]) == ("-", "/healthz", "200")
