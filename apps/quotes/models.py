from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.articles.models import Article
from apps.core.review import Reviewable, ReviewStatus
from apps.sources.models import Source, Speaker

from . import verbatim
from .anchoring import selector_for


class QuoteKind(models.TextChoices):
    DIRECT = "direct", "Direct"
    PARTIAL = "partial", "Partial"
    INDIRECT = "indirect", "Indirect / paraphrase"


QuoteStatus = ReviewStatus


class QuoteVerdict(models.TextChoices):
    """The verbatim check's verdict on a quote, kept on the row (see `Quote.verdict`)."""

    NONE = "", "Not checked"
    VERBATIM = verbatim.VERBATIM, "Verbatim"
    FAITHFUL = verbatim.FAITHFUL, "Faithful"
    ALTERED = verbatim.ALTERED, "Altered"
    NOT_FOUND = verbatim.NOT_FOUND, "Not found in the source"


FLAGGED_VERDICTS = (QuoteVerdict.ALTERED, QuoteVerdict.NOT_FOUND)
# What each place that lists quotes accepts as `?verdict=`: one flagged verdict, or both.
VERDICT_FILTERS = {
    "flagged": FLAGGED_VERDICTS,
    QuoteVerdict.ALTERED.value: (QuoteVerdict.ALTERED,),
    QuoteVerdict.NOT_FOUND.value: (QuoteVerdict.NOT_FOUND,),
}
VERDICT_FILTER_CHOICES = (
    ("", "Any verdict"),
    ("flagged", "Altered or not found"),
    (QuoteVerdict.ALTERED.value, "Altered"),
    (QuoteVerdict.NOT_FOUND.value, "Not found in the source"),
)


def verdict_filter(value: str) -> tuple[tuple[str, ...] | None, str]:
    """`?verdict=` as every page that lists quotes reads it: the verdicts to show (None for
    all) and, for a value it does not know, the message saying it was ignored."""
    value = (value or "").strip()
    if not value:
        return None, ""
    if value in VERDICT_FILTERS:
        return tuple(str(v) for v in VERDICT_FILTERS[value]), ""
    shown = value if len(value) <= 40 else value[:39] + "…"
    return None, (
        f"Unknown verdict filter “{shown}” ignored: use altered, not_found or flagged. "
        "Showing every quote."
    )


# What the verdict is computed from on the quote; its source's original text is the rest.
VERDICT_INPUTS = ("exact", "kind", "source_id", "article_id")


def verdict_of(kind: str, exact: str, article_id, original_id, original: str | None) -> str:
    """The verdict to store for a quotation of article `article_id` whose source holds the
    text `original` (article `original_id`): blank for a paraphrase, whose words are the
    writer's, and when there is nothing to check against (no original, or the quote's own
    article)."""
    if kind == QuoteKind.INDIRECT or original_id is None or original is None:
        return QuoteVerdict.NONE
    if original_id == article_id:
        return QuoteVerdict.NONE
    return verbatim.check(exact, original).kind


# A passage is tagged once: the database refuses a second quote on the same span (an
# orphan's span is stale until it is repaired, so orphans do not count).
ONE_QUOTE_PER_SPAN = models.UniqueConstraint(
    fields=["article", "start", "end"],
    condition=models.Q(orphaned=False),
    name="quote_one_per_span",
)


class QuoteQuerySet(models.QuerySet):
    def on_span(self, article, start: int, end: int):
        """The quote ONE_QUOTE_PER_SPAN would refuse a new quote on [start, end) beside."""
        return self.filter(ONE_QUOTE_PER_SPAN.condition, article=article, start=start, end=end)

    def for_article(self, article):
        """An article's quotes in reading order, with everything the reader shows."""
        return (
            self.filter(article=article)
            .select_related("speaker", "speaker__affiliation", "source")
            .order_by("start", "-end", "id")
        )


class Quote(Reviewable, models.Model):
    """One attributed statement inside an article.

    The span [start, end) counts code points of `article.body`; `exact`,
    `prefix` and `suffix` are its text-quote selector, kept so the quote can be
    re-anchored when the body is corrected. The database refuses a span whose
    text is not the body's (triggers in migration 0002), so a wrong span can
    never be stored, whatever writes it.
    """

    Kind = QuoteKind
    Status = QuoteStatus

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=10, choices=QuoteKind, default=QuoteKind.DIRECT)
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes"
    )
    cue = models.CharField(max_length=100, blank=True, help_text="The verb of saying: said, told…")
    note = models.TextField(blank=True)
    orphaned = models.BooleanField(
        default=False, help_text="The text was lost when the body was corrected; needs repair."
    )
    # Derived: the verbatim check against the source's original text, computed when the
    # words, kind or source change (save()) and when a source's original or its text
    # changes (apps/quotes/verdicts.py), so lists can show and filter it without checking.
    verdict = models.CharField(
        max_length=10, choices=QuoteVerdict, default=QuoteVerdict.NONE, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["verdict"])  # derived, never edited

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "-end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="quote_start_before_end"
            ),
            models.CheckConstraint(
                condition=models.Q(end=models.F("start") + Length("exact")),
                name="quote_exact_length_matches_span",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuoteKind.values), name="quote_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=QuoteStatus.values), name="quote_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=QuoteVerdict.values), name="quote_verdict_valid"
            ),
            ONE_QUOTE_PER_SPAN,
        ]
        indexes = [
            models.Index(fields=["article", "start"]),
            # The review queue: newest first within a status, without reading the archive.
            models.Index(fields=["status", "-updated_at", "-id"], name="quote_review_queue"),
            # The same, for the queue filtered to flagged quotes (few of them).
            models.Index(
                fields=["status", "-updated_at", "-id"],
                condition=models.Q(verdict__in=FLAGGED_VERDICTS),
                name="quote_flagged_queue",
            ),
        ]

    def __str__(self) -> str:
        text = self.exact if len(self.exact) <= 60 else self.exact[:57] + "…"
        return f"{text} ({self.speaker or 'unattributed'})"

    def save(self, *args, **kwargs):
        """Save, checking the words again against the source's original when what the
        verdict depends on changed since the quote was loaded (one query, none without a
        source): every path that saves a quote (tagging, admin, merges, review, repairs,
        accepted suggestions) keeps the stored verdict current."""
        inputs = self._verdict_key()
        if inputs != getattr(self, "_verdict_inputs", None):
            self.verdict = self.checked_verdict()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "verdict"}
        super().save(*args, **kwargs)
        self._verdict_inputs = inputs

    def get_absolute_url(self) -> str:
        return f"{reverse('quotes:article', args=[self.article_id])}#q-{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance._verdict_inputs = instance._verdict_key()
        return instance

    def _verdict_key(self) -> tuple:
        return tuple(self.__dict__.get(name) for name in VERDICT_INPUTS)

    def checked_verdict(self) -> str:
        if self.source_id is None or self.kind == QuoteKind.INDIRECT:
            return QuoteVerdict.NONE
        original = (
            Source.objects.filter(pk=self.source_id, article__isnull=False)
            .values_list("article_id", "article__body")
            .first()
        )
        original_id, body = original or (None, None)
        return verdict_of(self.kind, self.exact, self.article_id, original_id, body)

    @property
    def flagged(self) -> bool:
        """Altered or not found in its source's original: shown with a badge."""
        return self.verdict in FLAGGED_VERDICTS

    def anchor(self, start: int, end: int) -> None:
        """Point the quote at [start, end) of its article's body, selector included."""
        selector = selector_for(self.article.body, start, end)
        self.start, self.end = start, end
        self.exact, self.prefix, self.suffix = selector.exact, selector.prefix, selector.suffix
        self.orphaned = False

    def clean(self):
        super().clean()
        if self.article_id is None or self.start is None or self.end is None:
            return
        body = self.article.body
        if not (0 <= self.start < self.end <= len(body)):
            raise ValidationError(
                f"The span {self.start}–{self.end} is outside the article (length {len(body)})."
            )
        if not self.orphaned and body[self.start : self.end] != self.exact:
            raise ValidationError("The quoted text does not match the article at that position.")
        if not self.exact.strip():
            raise ValidationError("A quote cannot be empty or only whitespace.")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class SuggestionQuerySet(models.QuerySet):
    def open_for(self, article):
        """What the editor still has to look at: open, and not already tagged."""
        tagged = Quote.objects.filter(
            article=article, start=models.OuterRef("start"), end=models.OuterRef("end")
        )
        return (
            self.filter(article=article, status=SuggestionStatus.OPEN)
            .exclude(models.Exists(tagged))
            .order_by("start", "end")
        )


class Suggestion(models.Model):
    """A quotation the extractor found in an article. Never a quote until an editor accepts it.

    Dismissals and acceptances are kept, so extracting the article again (after a
    correction) does not bring back what an editor already decided.
    """

    Status = SuggestionStatus

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    kind = models.CharField(max_length=10, choices=QuoteKind)
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_mention = models.CharField(max_length=300, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    document = models.CharField(
        max_length=300,
        blank=True,
        default="",
        help_text="The document the speaker issued, as the text names it: “an October 14 release”.",
    )
    confidence = models.FloatField()
    status = models.CharField(
        max_length=10, choices=SuggestionStatus, default=SuggestionStatus.OPEN
    )
    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "end"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="suggestion_one_per_span"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="suggestion_span_order"
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="suggestion_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.exact[:60]


class Shingle(models.Model):
    """One window of `shingles.WINDOW` consecutive normalised words of an article's body.

    Derived data, rebuilt from the body whenever it changes (`apps/quotes/shingles.py`):
    `hash` is the window's 64-bit blake2b as a signed integer, `ordinal` the number of
    its first word in the article, and [start, end) its characters in `article.body`.
    Left out of the archive backup; `manage.py index_trails` builds it again.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    hash = models.BigIntegerField()
    ordinal = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Also the index that finds (and deletes) one article's windows.
            models.UniqueConstraint(fields=["article", "ordinal"], name="shingle_one_per_word"),
        ]
        indexes = [models.Index(fields=["hash"], name="shingle_hash")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.ordinal} {self.hash:x}"


class ArticleWork(models.Model):
    """Where the background work on an article's text stands: one row per kind of work.

    `done` is the fingerprint of the text (`Article.fingerprint`) the work was last
    completed for; the work is behind while it differs from the article's. A failed
    attempt keeps its message in `error` (short, no traceback: editors read it) and
    the fingerprint it failed on in `failed`, until an attempt succeeds. The queue
    entries themselves live in django-tasks-db's table; this row is what the article
    page, the admin and the sweep (`manage.py extract_quotes --stale`) read.
    """

    class Kind(models.TextChoices):
        EXTRACTION = "extraction", "Finding quotes"
        INDEXING = "indexing", "Indexing for quote trails"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="work")
    kind = models.CharField(max_length=10, choices=Kind)
    done = models.CharField(max_length=64, blank=True, help_text="Fingerprint of the text done.")
    failed = models.CharField(
        max_length=64, blank=True, help_text="Fingerprint of the text the last failure was on."
    )
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Failed attempts in a row.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "kind"], name="article_work_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of article {self.article_id}"

    def state(self, fingerprint: str) -> str:
        """ "done", "failed" or "pending" for the article's text with this fingerprint."""
        if self.done == fingerprint:
            return "done"
        if self.error and self.failed == fingerprint:
            return "failed"
        return "pending"
