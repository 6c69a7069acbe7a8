from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Quote


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
