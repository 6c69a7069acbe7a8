"""Every request gets an id, written on every log line while it is served."""

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

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
