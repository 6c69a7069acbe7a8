from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, ImportItem, ImportJob


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "outlet", "published", "byline", "created_at"]
    list_filter = ["outlet", "published", "created_at"]
    search_fields = ["title", "outlet", "byline", "url"]
    date_hierarchy = "published"
    readonly_fields = ["fingerprint", "created_at", "updated_at", "created_by"]


class ImportItemInline(admin.TabularInline):
    model = ImportItem
    fields = ["position", "url", "state", "article", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports from the web, as they ran: read only (a job is changed by running it)."""

    list_display = ["id", "kind", "source", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["source", "title", "error", "note"]
    readonly_fields = [
        "kind",
        "source",
        "title",
        "status",
        "error",
        "note",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "updated_at",
    ]
    inlines = [ImportItemInline]

    def has_add_permission(self, request):
        return False


@admin.register(ImportItem)
class ImportItemAdmin(admin.ModelAdmin):
    list_display = ["url", "job", "position", "state", "article"]
    list_filter = ["state"]
    search_fields = ["url", "message"]
    readonly_fields = ["job", "position", "url", "state", "article", "message"]
    list_select_related = ["job", "article"]

    def has_add_permission(self, request):
        return False
