from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Claim, Stance


class StanceInline(admin.TabularInline):
    model = Stance
    extra = 0
    raw_id_fields = ["quote"]
    fields = ["quote", "position", "note", "status"]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["text", "created_at"]
    search_fields = ["text", "description"]
    inlines = [StanceInline]


@admin.register(Stance)
class StanceAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "position", "quote", "status"]
    list_filter = ["position", "status", ("claim", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["claim__text", "quote__exact", "note", "quote__speaker__name"]
    list_select_related = ["claim", "quote", "quote__speaker"]
    raw_id_fields = ["quote"]
    autocomplete_fields = ["claim"]
