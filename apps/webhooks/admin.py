from django.contrib import admin, messages

from .events import redeliver
from .models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """Endpoints are registered and edited on the Webhooks page, where the URL is checked
    against the address rules; here they are found, paused and resumed. The signing
    secret is never shown here."""

    list_display = ["url", "description", "active", "created_by", "created"]
    list_filter = ["active", "created"]
    search_fields = ["url", "description", "created_by__username"]
    list_select_related = ["created_by"]
    fields = ["url", "description", "events", "active", "created_by", "created"]
    readonly_fields = ["url", "description", "events", "created_by", "created"]
    actions = ["pause", "resume"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Pause selected endpoints")
    def pause(self, request, queryset):
        count = queryset.filter(active=True).update(active=False)
        self.message_user(request, f"Paused {count} endpoint(s).", messages.SUCCESS)

    @admin.action(description="Resume selected endpoints")
    def resume(self, request, queryset):
        count = queryset.filter(active=False).update(active=True)
        self.message_user(request, f"Resumed {count} endpoint(s).", messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log across endpoints: what was sent where, and what came back."""

    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "created",
        "delivered_at",
    ]
    list_filter = ["status", "event", "created"]
    search_fields = ["event_id", "endpoint__url", "last_error"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created"
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send selected deliveries again")
    def send_again(self, request, queryset):
        sent = [redeliver(delivery) for delivery in queryset.select_related("endpoint")]
        self.message_user(request, f"Queued {len(sent)} delivery(ies) again.", messages.SUCCESS)
