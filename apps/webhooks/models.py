"""Webhook endpoints and the log of every delivery to them.

A `Delivery` row is written in the same transaction as the change it announces
(apps/webhooks/events.py), so the table is an outbox: a change rolled back
announces nothing, and a change committed is delivered even if the queue entry
that should have sent it is lost (`manage.py deliver_webhooks` sweeps them).
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Event(models.TextChoices):
    ARTICLE_IMPORTED = "article.imported", "An article was imported"
    QUOTE_APPROVED = "quote.approved", "A quote was approved"
    STANCE_APPROVED = "stance.approved", "A stance was approved"
    CONTRADICTION_FOUND = "contradiction.found", "An approval made a new contradiction"
    PING = "ping", "Test event (sent from the endpoint's page)"


# What an endpoint can subscribe to: the test event goes to one endpoint, on request.
SUBSCRIBABLE = [choice for choice in Event.choices if choice[0] != Event.PING]

# Delivery attempts before a delivery is given up: with the backoff below, about eight
# hours of a receiver being down lose nothing.
MAX_ATTEMPTS = 15
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, doubling, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Endpoint(models.Model):
    """A URL that receives a signed POST for each event it subscribes to."""

    url = models.URLField("URL", max_length=2000)
    events = models.JSONField(default=list, help_text="Names of the events sent here.")
    secret = models.CharField(max_length=100, default=new_secret)
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["active"], name="webhook_endpoint_active")]

    def __str__(self) -> str:
        return self.description or self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:endpoint", args=[self.pk])

    def wants(self, event: str) -> bool:
        return self.active and isinstance(self.events, list) and event in self.events

    def event_labels(self) -> list[str]:
        return [name for name in Event.values if name in (self.events or [])]


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending deliveries whose next attempt time has come (or was never set)."""
        now = now or timezone.now()
        return self.filter(status=Delivery.Status.PENDING).filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )


class Delivery(models.Model):
    """One event sent to one endpoint, with the outcome of its latest attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event)
    # The event's id, the same in every endpoint's delivery of it and in a redelivery:
    # receivers use it to ignore an event they already handled.
    event_id = models.UUIDField(default=uuid.uuid4)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["endpoint", "-created", "-id"], name="webhook_delivery_log"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "delivered", "failed"]),
                name="webhook_delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"

    def body(self) -> dict:
        """What the receiver gets: the event's id, name, time and data."""
        return {
            "id": str(self.event_id),
            "event": self.event,
            "created": self.created.isoformat(),
            "data": self.payload,
        }
