"""A clean 503 while the database is unreachable, instead of a 500 with a trace page.

When PostgreSQL restarts or is briefly away, every request that touches it fails
with `OperationalError` (or `InterfaceError` on a connection already closed). The
app itself recovers without a restart: the connection pool checks each connection
before handing it out (`CONN_HEALTH_CHECKS`, which Django turns into psycopg_pool's
`check=ConnectionPool.check_connection`) and replaces the broken ones. Meanwhile
the client should learn that this is temporary: 503 with `Retry-After`.

Most requests first reach the database inside other middleware (loading the
session for the login check), where Django turns the exception into a 500 response
before any outer middleware sees it. So the exception is noted on the request when
Django signals it (`got_request_exception`), and this middleware, placed near the
top of MIDDLEWARE, swaps that 500 for the 503. Exceptions raised by views are
handled directly in `process_exception`. The 503 page is static: rendering a
template would run context processors that query the database again.
"""

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("quotetrail.outage")

RETRY_AFTER_SECONDS = 5
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Database unavailable · Quotetrail</title></head>
<body><h1>The database is unavailable</h1>
<p>Quotetrail cannot reach its database just now. This is usually over within seconds:
please try again shortly. If you were saving a change, check whether it is there
before saving it again.</p></body></html>
"""
FLAG = "_quotetrail_database_unavailable"


def is_database_outage(exc: BaseException | None) -> bool:
    """A lost or refused database connection (or pool timeout), not a bad query."""
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response() -> HttpResponse:
    response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _forget_unloaded_user(request) -> None:
    """Outer middleware (the request log) may ask who the user is; if the session could
    not be read, that question would go to the database again and fail as a 500."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        request.user = AnonymousUser()


def _note_outage(sender, request=None, **kwargs):
    if request is not None and is_database_outage(sys.exc_info()[1]):
        setattr(request, FLAG, True)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_note_outage, dispatch_uid="quotetrail-database-outage")

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, FLAG, False) and response.status_code >= 500:
            _forget_unloaded_user(request)
            return unavailable_response()
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            logger.warning(
                "Database unavailable for %s %s: %s",
                request.method,
                request.path,
                str(exception).strip().splitlines()[0] if str(exception).strip() else "",
            )
            _forget_unloaded_user(request)
            return unavailable_response()
        return None
