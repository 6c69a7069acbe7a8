"""Sending one delivery: sign, POST, record the outcome, schedule the retry.

An attempt is claimed in a short transaction (the row locked, skipping a row
another worker holds), which counts the attempt and pushes the delivery's next
attempt time past the request's timeout: a second worker, a duplicate queue
entry or the sweep finds it not due and leaves it alone, and a worker that dies
mid-request leaves it to be retried once that time has passed. The request is
made outside any transaction, so a slow receiver never holds a database lock.
"""

import hashlib
import hmac
import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import addresses
from .models import MAX_ATTEMPTS, Delivery, backoff

# How long past the timeout a claimed attempt stays claimed: then it is presumed lost.
CLAIM_MARGIN = timedelta(seconds=60)
# A queue entry may run a moment before the time written on the row (clocks of hosts).
EARLY = timedelta(seconds=2)
ERROR_MAX = 1000
USER_AGENT = "Quotetrail-Webhooks/1"


def signature(secret: str, body: bytes) -> str:
    """The X-Quotetrail-Signature value: HMAC-SHA256 of the exact body, hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode(delivery: Delivery) -> bytes:
    return json.dumps(delivery.body(), ensure_ascii=False, separators=(",", ":")).encode()


def timeout() -> float:
    return float(getattr(settings, "QUOTETRAIL_WEBHOOK_TIMEOUT", 10))


@dataclass
class Outcome:
    status_code: int | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict) -> Outcome:
    """POST the body; the answer's status, or the reason there was none.

    No redirect is followed and no proxy from the environment is used: the opener has
    only the pinned handler (addresses.pinned_opener), so a 3xx is an answer like any
    other (a failure).
    """
    try:
        scheme, _host, _port, found = addresses.check(url)
    except addresses.Refused as refusal:
        return Outcome(error=f"Not sent: {refusal}")
    opener = addresses.pinned_opener(scheme, found[0])
    # http(s) only: addresses.check refused any other scheme, and the opener has no other handler.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with opener.open(request, timeout=timeout()) as response:
            response.read(64 * 1024)  # a receiver may wait for its answer to be read
            return Outcome(status_code=response.status)
    except TimeoutError:
        return Outcome(error=f"Timed out after {timeout():g} s.")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return Outcome(error=f"Timed out after {timeout():g} s.")
        return Outcome(error=f"Connection failed: {reason}")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Outcome(error=f"Connection failed: {exc.__class__.__name__}: {exc}")


def _claim(pk: int) -> Delivery | None:
    """Lock the delivery, and take the attempt if it is pending and due (see the module)."""
    now = timezone.now()
    with transaction.atomic():
        rows = Delivery.objects.select_related("endpoint")
        features = connection.features
        if features.has_select_for_update_skip_locked:
            # Only the delivery's row: its endpoint stays free for the pages to change.
            of = ("self",) if features.has_select_for_update_of else ()
            rows = rows.select_for_update(skip_locked=True, of=of)
        delivery = rows.filter(pk=pk).first()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now + EARLY:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=timeout()) + CLAIM_MARGIN
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def attempt(pk: int) -> str:
    """One attempt at delivery `pk`; what happened, in a word. Safe to call any number
    of times, from any number of workers: only a pending, due delivery is sent."""
    delivery = _claim(pk)
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    if not endpoint.active:
        outcome = Outcome(error="Not sent: the endpoint is switched off.")
    else:
        body = encode(delivery)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Quotetrail-Event": delivery.event,
            "X-Quotetrail-Delivery": str(delivery.pk),
            "X-Quotetrail-Signature": signature(endpoint.secret, body),
        }
        outcome = post(endpoint.url, body, headers)
    return record(delivery, outcome)


def record(delivery: Delivery, outcome: Outcome) -> str:
    now = timezone.now()
    delivery.last_status_code = outcome.status_code
    if outcome.ok:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
    else:
        error = outcome.error or f"The receiver answered HTTP {outcome.status_code}."
        delivery.last_error = error[:ERROR_MAX]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(
        update_fields=[
            "status",
            "delivered_at",
            "next_attempt_at",
            "last_status_code",
            "last_error",
        ]
    )
    if delivery.status == Delivery.Status.PENDING:
        retry_later(delivery)
    return delivery.status


def retry_later(delivery: Delivery) -> None:
    """Queue the next attempt for its time; a backend that cannot defer leaves it pending
    for the sweep."""
    from .events import queue
    from .tasks import deliver

    if deliver.get_backend().supports_defer:
        queue([delivery.pk], run_after=delivery.next_attempt_at)
