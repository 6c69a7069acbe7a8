import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


def fingerprint(title: str, body: str) -> str:
    """Identity of an article's text, used to refuse importing it twice."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class ArticleQuerySet(models.QuerySet):
    def with_counts(self):
        """Quotes, distinct speakers and unattributed quotes per article, in one query."""
        return self.annotate(
            quote_count=models.Count("quotes"),
            speaker_count=models.Count("quotes__speaker", distinct=True),
            unattributed_count=models.Count(
                "quotes", filter=models.Q(quotes__speaker__isnull=True)
            ),
        )


class Article(models.Model):
    """A news article. `body` is canonical plain text; every quote offset points into it."""

    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published = models.DateField(null=True, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="article_url_unique"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~models.Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.fingerprint = fingerprint(self.title, self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "body"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "fingerprint"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("quotes:article", args=[self.pk])


class ImportJob(models.Model):
    """A bulk import from the web (a feed's entries, or a list of article URLs), run in the
    background (apps/articles/jobs.py) one item at a time."""

    class Kind(models.TextChoices):
        FEED = "feed", "Feed"
        URLS = "urls", "Web pages"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The feed's URL for a feed; for web pages, the first URL (the items hold them all).
    source = models.URLField(max_length=1000)
    title = models.CharField(max_length=200, blank=True)  # the feed's own title
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)  # why a failed job stopped
    note = models.CharField(max_length=300, blank=True)  # e.g. a feed's entries left out
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="importjob_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("articles:import_job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportItem(models.Model):
    """One URL of an import job and what became of it: pending until processed once."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        IMPORTED = "imported", "Imported"
        SKIPPED = "skipped", "Skipped"
        REFUSED = "refused", "Refused"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    url = models.URLField(max_length=1000)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # The article imported, or the one already there (skipped as a duplicate).
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="importitem_position"),
        ]

    def __str__(self) -> str:
        return self.url
