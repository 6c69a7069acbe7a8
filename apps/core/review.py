"""The review workflow shared by quotes and stances.

Work moves draft → submitted → approved or rejected (with a reason). Editors
submit; only reviewers decide. Every transition is a save, so the history
(django-simple-history) keeps who decided what and when, with the reason.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# django-simple-history keeps a change's reason in a varchar(100).
CHANGE_REASON_MAX = 100


def change_reason(text: str) -> str:
    """A history reason cut to fit its column (PostgreSQL refuses a longer one)."""
    return text if len(text) <= CHANGE_REASON_MAX else text[: CHANGE_REASON_MAX - 1] + "…"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Reviewable(models.Model):
    status = models.CharField(max_length=10, choices=ReviewStatus, default=ReviewStatus.DRAFT)
    review_reason = models.TextField(blank=True, help_text="Why it was rejected.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def submit(self) -> None:
        """Hand a draft (or rejected work, once fixed) to the reviewers."""
        if self.status not in (ReviewStatus.DRAFT, ReviewStatus.REJECTED):
            raise ValidationError(
                "Only drafts and rejected work can be submitted, "
                f"not {self.get_status_display().lower()} work."
            )
        self.status = ReviewStatus.SUBMITTED
        self._change_reason = "Submitted for review"

    def approve(self, reviewer) -> None:
        """A reviewer vouches for it; approved work is what the board can be limited to."""
        self.status = ReviewStatus.APPROVED
        self.review_reason = ""
        self.reviewed_by = reviewer
        self.reviewed_at = timezone.now()
        self._change_reason = "Approved"

    def reject(self, reviewer, reason: str) -> None:
        """Send it back with a reason the editor will see."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError("Say why it is rejected: the editor will see the reason.")
        self.status = ReviewStatus.REJECTED
        self.review_reason = reason[:2000]
        self.reviewed_by = reviewer
        self.reviewed_at = timezone.now()
        self._change_reason = change_reason(f"Rejected: {reason}")

    def reopen(self) -> None:
        """Changed content needs a fresh review: back to draft."""
        if self.status != ReviewStatus.DRAFT:
            self.status = ReviewStatus.DRAFT
            self.reviewed_by = None
            self.reviewed_at = None
