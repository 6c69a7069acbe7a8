"""One log line per request: user, method, path, status, duration."""

import logging
import time

from django.db import DatabaseError
from django.utils.functional import empty

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
