"""Announcing a change to the webhook endpoints that subscribe to it.

Call `emit` inside the transaction that makes the change. It writes one pending
`Delivery` per active endpoint subscribed to the event, in that transaction, and
queues their sending once it commits: a change rolled back leaves no delivery,
and a committed one always has its deliveries, even if queueing fails (the sweep,
`manage.py deliver_webhooks`, queues whatever is still pending).

The apps above this one (articles, quotes, claims) call in; this app never
imports them, so a payload is built by the caller.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from apps.core import jobs

from .models import Delivery, Endpoint, Event


class Subscriptions:
    """The active endpoints and what they subscribe to, read once (one query; the events
    are matched here, since SQLite cannot search inside a JSON list). A write that may
    emit several events reads them once and passes them to each `emit`."""

    def __init__(self):
        self.endpoints = list(Endpoint.objects.filter(active=True).only("id", "active", "events"))

    def to(self, event: str) -> list[Endpoint]:
        return [e for e in self.endpoints if e.wants(event)]

    def wanted(self, event: str) -> bool:
        return bool(self.to(event))


def subscribers(event: str) -> list[Endpoint]:
    """Active endpoints subscribed to the event (one query)."""
    return Subscriptions().to(event)


def emit(
    event: str, data: dict | Callable[[], dict], subscriptions: Subscriptions | None = None
) -> list[Delivery]:
    """Write a delivery of the event to each subscribed endpoint; queue them on commit.

    `data` may be a function that builds the payload, so a caller pays for building it
    only when some endpoint wants the event: with none, emitting costs one query (none
    given the `subscriptions` the caller already read in this transaction).
    """
    if event not in Event.values:
        raise ValueError(f"Unknown webhook event {event!r}")
    endpoints = (subscriptions or Subscriptions()).to(event)
    if not endpoints:
        return []
    payload = data() if callable(data) else data
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(endpoint=e, event=event, payload=payload, created=now, next_attempt_at=now)
            for e in endpoints
        ]
    )
    queue_on_commit(deliveries)
    return deliveries


def send_test_event(endpoint: Endpoint, user=None) -> Delivery:
    """A `ping` to one endpoint, whatever it subscribes to, to try the receiver."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event=Event.PING,
            payload={
                "endpoint": endpoint.pk,
                "message": "A test event from Quotetrail.",
                "sent_by": user.get_username() if user is not None else "",
            },
            created=now,
            next_attempt_at=now,
        )
        queue_on_commit([delivery])
    return delivery


def redeliver(delivery: Delivery) -> Delivery:
    """Send a delivery again as a new one: same event id and payload (a receiver that
    saw it already can tell), a fresh set of attempts; the old row stays in the log."""
    now = timezone.now()
    with transaction.atomic():
        again = Delivery.objects.create(
            endpoint=delivery.endpoint,
            event=delivery.event,
            event_id=delivery.event_id,
            payload=delivery.payload,
            created=now,
            next_attempt_at=now,
        )
        queue_on_commit([again])
    return again


def queue_on_commit(deliveries: list[Delivery]) -> None:
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: queue(ids), robust=True)


def queue(ids: list[int], run_after=None) -> None:
    """Put each delivery's sending on the task queue. A failure here loses nothing: the
    rows stay pending and the sweep queues them again."""
    from .tasks import deliver

    task = deliver.using(run_after=run_after) if run_after is not None else deliver
    for pk in ids:
        jobs.enqueue(task, pk)
