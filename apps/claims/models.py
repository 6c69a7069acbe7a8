from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.core.review import Reviewable, ReviewStatus
from apps.quotes.models import Quote


class Claim(models.Model):
    """A proposition at issue, e.g. “Foreign fighters left Raqqa under the deal”."""

    text = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["text", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="claim_text_not_empty"),
            models.UniqueConstraint(
                Lower("text"),
                name="claim_text_unique_ignoring_case",
                violation_error_message="A claim with this text already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("claims:claim", args=[self.pk])


class Position(models.TextChoices):
    AFFIRMS = "affirms", "Affirms"
    DENIES = "denies", "Denies"
    QUALIFIES = "qualifies", "Qualifies"


class StanceQuerySet(models.QuerySet):
    def with_trail(self):
        """A stance with all it is shown beside: claim, quote, article, source, speaker."""
        return self.select_related(
            "claim",
            "quote__article",
            "quote__source",
            "quote__speaker__affiliation",
        ).defer("quote__article__body")  # shown beside a stance: title, date, link only

    def approved(self):
        """Stances a reviewer approved, on quotes a reviewer approved."""
        return self.filter(status=ReviewStatus.APPROVED, quote__status=ReviewStatus.APPROVED)

    def visible(self):
        """Everything but rejected work and orphaned quotes."""
        return (
            self.exclude(status=ReviewStatus.REJECTED)
            .exclude(quote__status=ReviewStatus.REJECTED)
            .filter(quote__orphaned=False)
        )


class Stance(Reviewable, models.Model):
    """A quote's position on a claim. Contradictions are derived from stances."""

    Position = Position

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="stances")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="stances")
    position = models.CharField(max_length=10, choices=Position)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "quote", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "claim"], name="stance_one_per_quote_and_claim"
            ),
            models.CheckConstraint(
                condition=models.Q(position__in=Position.values), name="stance_position_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values), name="stance_status_valid"
            ),
        ]
        indexes = [  # the review queue: newest first within a status
            models.Index(fields=["status", "-updated_at", "-id"], name="stance_review_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.quote} {self.get_position_display().lower()} “{self.claim}”"

    def get_absolute_url(self) -> str:
        return self.claim.get_absolute_url()
