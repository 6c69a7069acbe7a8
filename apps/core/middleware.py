import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished
from django.db import DatabaseError
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.functional import empty


class RejectNulCharactersMiddleware:
    """Refuse (400) any request whose parameters or headers contain a NUL character.

    PostgreSQL cannot store NUL in text, and no legitimate form or client sends one;
    refusing at the door keeps such input from reaching a query or a save as a 500
    (the login lockout stores the User-Agent and Accept headers of failed attempts).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        data = request.POST if request.method == "POST" else request.GET
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return self.refuse(request, "Requests may not contain NUL characters.")
        if "\x00" in request.path:
            return self.refuse(request, "Invalid path.")
        if any("\x00" in value for key, value in request.META.items() if key.startswith("HTTP_")):
            return self.refuse(request, "Headers may not contain NUL characters.")
        return self.get_response(request)

    @staticmethod
    def refuse(request, detail: str):
        if request.path.startswith("/api/"):  # the JSON API answers every error as a problem
            body = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": detail}
            return JsonResponse(body, status=400, content_type="application/problem+json")
        return HttpResponseBadRequest(detail, content_type="text/plain")


# The id of the request being served, for every log line written while serving it.
request_id: ContextVar[str] = ContextVar("request_id", default="-")
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,200}")


class RequestIdMiddleware:
    """Give each request an id: the balancer's `X-Request-ID` when it is a sane token,
    else a new one. It is sent back in `X-Request-ID` and written on every log line
    (`RequestIdFilter`), so one request's lines can be found on any host and matched
    with the balancer's log. A header that is not a sane token (too long, spaces,
    control characters: a forged log line) is replaced, not trusted.

    Outermost in MIDDLEWARE; the id stays set until the response is finished, since
    Django logs a 4xx or 5xx response after the middleware have returned it."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="quotetrail-request-id")

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request.request_id = offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request_id.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def _forget_request_id(**kwargs):
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to each record ("-" outside a request); set on the handler."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


request_log = logging.getLogger("quotetrail.requests")


class RequestLogMiddleware:
    """Write one line per request: user, method, path (with query string), status, time.

    Only the request line is logged, never a body, headers or cookies, so passwords
    and tokens sent in forms never reach the log. Exceptions have been turned into
    responses by the inner handlers by the time this sees them (and `django.request`
    has logged their traceback), so a crashing view is logged here as a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        request_log.info(
            "user=%s method=%s path=%s status=%d duration_ms=%.1f",
            _username(request),
            request.method,
            _printable(request.get_full_path()),
            response.status_code,
            elapsed_ms,
        )
        return response


def _username(request) -> str:
    """Who made the request, if the request needed to know: a request the user was
    never looked up for (the health check) is not made to read the session for a log."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    try:
        return (user.get_username() or "-") if user is not None and user.is_authenticated else "-"
    except DatabaseError:
        # The session could not be read (database away): the response already says so,
        # and logging it must not turn it into a 500.
        return "?"


def _printable(text: str) -> str:
    """The path as one line: control characters (a forged log line) are escaped."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
