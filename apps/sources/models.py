from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.articles.models import Article


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class SourceKind(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    PRESS_RELEASE = "press_release", "Press release"
    BRIEFING = "briefing", "Briefing"
    STATEMENT = "statement", "Statement to press"
    INVESTIGATION = "investigation", "Investigation"
    SOCIAL_POST = "social_post", "Social post"
    NEWS_REPORT = "news_report", "News report"
    OTHER = "other", "Other"


class Speaker(models.Model):
    """A person or an organization that makes statements."""

    Kind = SpeakerKind

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PERSON)
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text="Role or title, e.g. “spokesman, Operation Inherent Resolve”.",
    )
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": "organization"},
        help_text="The organization this speaker belongs to or speaks for.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="speaker_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SpeakerKind.values), name="speaker_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(affiliation=models.F("id")), name="speaker_not_own_affiliation"
            ),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sources:speaker", args=[self.pk])

    def clean(self):
        super().clean()
        if self.affiliation_id is not None:
            if self.pk is not None and self.affiliation_id == self.pk:
                raise ValidationError({"affiliation": "A speaker cannot be its own affiliation."})
            if self.affiliation.kind != self.Kind.ORGANIZATION:
                raise ValidationError({"affiliation": "An affiliation must be an organization."})
        if (
            self.pk is not None
            and self.kind != self.Kind.ORGANIZATION
            and Speaker.objects.filter(affiliation_id=self.pk).exists()
        ):
            raise ValidationError(
                {"kind": "Speakers are affiliated with this one; it must stay an organization."}
            )

    @property
    def is_organization(self) -> bool:
        return self.kind == self.Kind.ORGANIZATION


class SpeakerAlias(models.Model):
    """Another name a speaker goes by in text (“Dillon”, “the coalition”)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(fields=["speaker", "alias"], name="speaker_alias_unique"),
            models.CheckConstraint(condition=~models.Q(alias=""), name="speaker_alias_not_empty"),
        ]

    def __str__(self) -> str:
        return self.alias


class Source(models.Model):
    """Where a statement was originally made."""

    Kind = SourceKind

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    date = models.DateField(null=True, blank=True)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="as_sources",
        help_text="When the source is itself an article in Quotetrail.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="source_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sources:source", args=[self.pk])
