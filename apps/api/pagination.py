"""Cursor pagination: each page ends with an opaque cursor for the next.

Pages are keyed on the rows' ids, ascending, never on offsets: a row inserted while a
client pages lands after the rows already read (a newer id), so nothing is read twice
and no earlier row is skipped.
"""

import base64
import binascii
import datetime
import json

from django.http import JsonResponse
from django.utils import timezone

from .problems import invalid

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def encode(key) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None):
    """The key a cursor carries, or None for the first page; a cursor this API did not
    write is refused (422), never guessed at."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise invalid("cursor", "This cursor was not written by this API.") from None


def aware(moment: datetime.datetime) -> datetime.datetime:
    """An `updated_since` given without a zone is UTC, as every time the API writes is."""
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


def _limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", f"Ask for 1 to {MAX_LIMIT} items a page.")
    return limit


def page(request, queryset, cursor: str | None, limit: int | None, serialize) -> dict:
    """One page of `queryset` (instances, or rows with an "id") by ascending id:
    {"items", "next_cursor", "next"}."""
    size = _limit(limit)
    after = decode(cursor)
    if after is not None:
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            raise invalid("cursor", "This cursor was not written by this API.")
        queryset = queryset.filter(pk__gt=after)
    rows = list(queryset.order_by("pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = None
    if more:  # a model instance, or a row read with .values() (its "id")
        last = rows[-1]["id"] if isinstance(rows[-1], dict) else rows[-1].pk
    return _envelope(request, [serialize(row) for row in rows], last)


def page_of_list(request, items: list, key, cursor: str | None, limit: int | None) -> dict:
    """One page of an already sorted derived list (sorted by `key`), keyed the same way."""
    size = _limit(limit)
    after = decode(cursor)
    if after is not None:
        if not isinstance(after, list):
            raise invalid("cursor", "This cursor was not written by this API.")
        after = tuple(after)
        try:
            items = [item for item in items if key(item) > after]
        except TypeError:
            raise invalid("cursor", "This cursor was not written by this API.") from None
    more = len(items) > size
    items = items[:size]
    return _envelope(request, items, list(key(items[-1])) if more else None)


def _envelope(request, items: list, next_key) -> JsonResponse:
    """The page as JSON. The items come from the `*_out` builders, which write exactly the
    page schema's fields, so the answer is encoded as it stands: validating a page of
    built dicts again would cost more than the query that loaded it."""
    next_cursor = encode(next_key) if next_key is not None else None
    next_url = None
    if next_cursor is not None:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return JsonResponse({"items": items, "next_cursor": next_cursor, "next": next_url})
