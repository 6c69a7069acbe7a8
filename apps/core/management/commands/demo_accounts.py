import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core.roles import Role

DEMO_ACCOUNTS = (
    ("editor", Role.EDITOR, False),
    ("reviewer", Role.REVIEWER, False),
    ("viewer", Role.VIEWER, False),
    ("admin", None, True),
)


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts with fresh generated passwords and print them."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are never created with production settings.")
        User = get_user_model()
        lines = []
        with transaction.atomic():
            for username, role, is_admin in DEMO_ACCOUNTS:
                password = secrets.token_urlsafe(12)
                user, _ = User.objects.get_or_create(username=username)
                user.set_password(password)
                user.is_staff = user.is_superuser = is_admin
                user.is_active = True
                user.save()
                if role:
                    user.groups.set([Group.objects.get_or_create(name=role)[0]])
                lines.append((username, password, role.label if role else "Administrator"))
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for username, password, label in lines:
            self.stdout.write(f"  {username:<9} {password}   {label}")
