from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Source, Speaker, SpeakerAlias


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "role", "affiliation"]
    list_filter = ["kind", ("affiliation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "role", "aliases__alias", "affiliation__name"]
    list_select_related = ["affiliation"]
    autocomplete_fields = ["affiliation"]
    inlines = [SpeakerAliasInline]


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "speaker"]
    search_fields = ["alias", "speaker__name"]
    list_select_related = ["speaker"]
    autocomplete_fields = ["speaker"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "publisher", "date"]
    list_filter = ["kind", "publisher", "date"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "date"
    raw_id_fields = ["article"]
