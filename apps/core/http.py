"""What every view reads from a request and how it answers, in one place.

- `HtmxHttpRequest`: the request type views are annotated with (django-htmx sets
  `request.htmx` on every request, false for a plain one).
- `number()` and `day()`: an id or a date typed in a query or form, or None. Bad input
  never raises: a filter that cannot be read is left out, and the page says so where
  it matters.
- `safe_next()`: a `next` target only when it is a path on this site.
- `query_without()` and `query_of()`: the query string a page's links carry. A kept
  partial (apps/core/partials.py) is shared by every reader, so its links are built
  with `query_of()` from the values it is kept under, never from the request.
- `done()`: "htmx gets a partial, a plain form a message and a redirect", the shape of
  every form that also works without JavaScript.
- `refuse()`: every refusal for a role is `PermissionDenied`, answered by the 403 page.

Events for the page's scripts go through django-htmx's `trigger_client_event`, never a
hand-built `HX-Trigger` header.
"""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_htmx.middleware import HtmxDetails

ROLE_REFUSED = "Your role does not allow this."
ID_DIGITS = 18  # any id up to 10**18 fits a bigint on every database


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def number(value, digits: int = ID_DIGITS) -> int | None:
    """A whole number typed in a query or form: ASCII digits only ("²" and "①" are
    digits to str.isdigit() but not to int()), at most `digits` of them."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= digits else None


def day(value) -> datetime.date | None:
    """A date typed as YYYY-MM-DD, or None."""
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def safe_next(request: HttpRequest, field: str = "next") -> str:
    """The posted `next` when it is a path on this site (never another host, never a view
    name), else ""."""
    target = request.POST.get(field, "")
    local = url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    return target if local and target.startswith("/") else ""


def query_without(request: HttpRequest, *names) -> str:
    """The request's query string without `names` (a pager adds its own page)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def query_of(values: dict) -> str:
    """A query string of the values that are set, in the order given."""
    return urlencode({name: value for name, value in values.items() if value})


def done(
    request: HtmxHttpRequest, message: str, partial: Callable[[], HttpResponse], url
) -> HttpResponse:
    """A write's answer: htmx gets `partial()` (which shows `message` itself); a plain
    form gets `message` as a flash and a redirect to `url`."""
    if request.htmx:
        return partial()
    messages.success(request, message)
    return redirect(url)


def refuse(message: str = ROLE_REFUSED):
    """Refuse the request for the user's role: the 403 page (or the API's problem)."""
    raise PermissionDenied(message)
