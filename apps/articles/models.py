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
