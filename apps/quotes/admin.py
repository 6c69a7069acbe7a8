from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ArticleWork, Quote, Suggestion


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ["short_text", "speaker", "kind", "source", "status", "article", "orphaned"]
    list_filter = [
        "kind",
        "status",
        "orphaned",
        "source__kind",
        ("speaker", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["exact", "cue", "note", "speaker__name", "source__title", "article__title"]
    list_select_related = ["speaker", "source", "article"]
    autocomplete_fields = ["speaker", "source"]
    raw_id_fields = ["article"]
    readonly_fields = [
        "exact",
        "prefix",
        "suffix",
        "version",
        "created_at",
        "updated_at",
        "created_by",
    ]

    @admin.display(description="Quote", ordering="exact")
    def short_text(self, quote):
        return quote.exact if len(quote.exact) <= 80 else quote.exact[:77] + "…"


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """What the extractor found and what editors decided; decisions are made on the
    article page, so this is a read-only view of them."""

    list_display = ["short_text", "speaker_name", "kind", "status", "confidence", "article"]
    list_filter = ["status", "kind"]
    search_fields = ["exact", "speaker_name", "article__title"]
    list_select_related = ["article"]
    readonly_fields = [f.name for f in Suggestion._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Suggestion", ordering="exact")
    def short_text(self, suggestion):
        return suggestion.exact if len(suggestion.exact) <= 80 else suggestion.exact[:77] + "…"


@admin.register(ArticleWork)
class ArticleWorkAdmin(admin.ModelAdmin):
    """Where the background work on each article's text stands, failures first."""

    list_display = ["article", "kind", "state", "error", "attempts", "updated_at"]
    list_filter = ["kind", ("error", admin.EmptyFieldListFilter)]
    search_fields = ["article__title", "error"]
    list_select_related = ["article"]
    ordering = ["-attempts", "-updated_at"]
    readonly_fields = ["article", "kind", "done", "failed", "error", "attempts", "updated_at"]

    @admin.display(description="State")
    def state(self, work):
        return work.state(work.article.fingerprint)

    def has_add_permission(self, request):
        return False
