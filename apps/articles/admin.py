from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "outlet", "published", "byline", "created_at"]
    list_filter = ["outlet", "published", "created_at"]
    search_fields = ["title", "outlet", "byline", "url"]
    date_hierarchy = "published"
    readonly_fields = ["fingerprint", "created_at", "updated_at", "created_by"]
