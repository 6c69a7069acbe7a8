"""Login lockouts in the admin: staff see who is locked out, and deleting a row unlocks
that username and address (as `manage.py axes_reset_username` does)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils import timezone

from apps.core.accounts import cool_off, failure_limit


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    list_display = [*AccessAttemptAdmin.list_display, "locked_out"]
    # axes' "Clean up expired attempts" fails outside a login request (it reads what axes
    # notes on those); expired rows are deleted at every failed login anyway.
    actions = []

    @admin.display(boolean=True, description="Locked out")
    def locked_out(self, attempt: AccessAttempt) -> bool:
        return (
            attempt.failures_since_start >= failure_limit(None)
            and attempt.attempt_time + cool_off() > timezone.now()
        )
