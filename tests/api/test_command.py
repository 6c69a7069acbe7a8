from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.api.management.commands.create_api_token import Command
from apps.api.models import ApiToken
from apps.api.tokens import authenticate, issue

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_exactly_one_line_that_authenticates(editor):
    out, err = run("edna", "--name", "Nightly export")
    assert err == ""
    assert out.endswith("\n") and out.count("\n") == 1
    token = authenticate(out.strip())
    assert token.user == editor and token.name == "Nightly export"


def test_default_names_say_cli_and_do_not_collide(editor):
    first, _ = run("edna")
    second, _ = run("edna")
    names = sorted(ApiToken.objects.values_list("name", flat=True))
    assert len(names) == 2 and len(set(names)) == 2
    assert all(name.startswith("cli ") for name in names)
    assert authenticate(first.strip()) and authenticate(second.strip())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "No user called 'nobody'"),
        (["edna", "--name", ""], "Bad token name"),
        (["edna", "--name", "x" * 101], "Bad token name"),
        (["edna", "--name", "Taken"], "already have an active token"),
    ],
)
def test_refusals_raise_a_command_error_and_print_nothing(editor, args, message):
    issue(editor, "Taken")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert ApiToken.objects.count() == 1


def test_a_deactivated_user_gets_no_token(editor):
    editor.is_active = False
    editor.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("edna")
    assert not ApiToken.objects.exists()


def test_from_the_command_line_errors_go_to_stderr_with_a_nonzero_exit(db, monkeypatch):
    # run_from_argv closes every connection when done, the test's own included.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    out, err = StringIO(), StringIO()
    command = Command(stdout=out, stderr=err)
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "create_api_token", "nobody-at-all"])
    assert exited.value.code != 0
    assert out.getvalue() == ""
    assert "No user called 'nobody-at-all'" in err.getvalue()
