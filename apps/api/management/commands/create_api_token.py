from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.api.models import ApiToken
from apps.api.tokens import issue


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it: the token alone, on one line, so "
        "a script can capture it. It is not stored and cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", help="What the token is for (default: “cli” and the time).")

    def handle(self, *args, username, name=None, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username!r} is deactivated: their tokens would not work.")
        try:
            _, raw = issue(user, name if name is not None else _default_name(user))
        except ValidationError as refusal:
            raise CommandError("Bad token name: " + " ".join(refusal.messages)) from None
        self.stdout.write(raw)


def _default_name(user) -> str:
    """`cli 2026-12-01 03:04:05Z`, numbered when a token of the same second exists."""
    base = f"cli {timezone.now():%Y-%m-%d %H:%M:%S}Z"
    taken = set(ApiToken.objects.active().of(user).values_list("name", flat=True))
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} ({n})"
    return name
