from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError


def test_no_model_change_is_missing_a_migration(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_demo_accounts_get_their_roles_and_printed_passwords(db):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    printed = {line.split()[0]: line.split()[1] for line in out.getvalue().splitlines()[1:]}
    assert set(printed) == {"editor", "reviewer", "viewer", "admin"}
    for name in ("editor", "reviewer", "viewer"):
        user = User.objects.get(username=name)
        assert list(user.groups.values_list("name", flat=True)) == [name]
        assert user.check_password(printed[name])
        assert not user.is_staff
    assert User.objects.get(username="admin").is_superuser


def test_demo_passwords_change_on_every_run(db):
    first, second = StringIO(), StringIO()
    call_command("demo_accounts", stdout=first)
    call_command("demo_accounts", stdout=second)
    assert first.getvalue() != second.getvalue()
    assert User.objects.count() == 4


def test_demo_accounts_are_never_created_with_production_settings(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never created"):
        call_command("demo_accounts", stdout=StringIO())
    assert User.objects.count() == 0
