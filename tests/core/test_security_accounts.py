"""Accounts: password rules, login throttling without user enumeration, sessions, logout."""

import re
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.core.management.commands.demo_accounts import DEMO_ACCOUNTS
from tests.conftest import make_user

LOGIN = "/accounts/login/"
PASSWORD = "correct horse battery"  # what tests.conftest.make_user sets


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def visible_text(response) -> str:
    """The page as a user reads it, without the per-response CSRF token."""
    content = response.content.decode()
    content = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", content)


@pytest.mark.parametrize(
    "password",
    ["short1!", "password123", "12345678901234", "edna-the-editor"],
    ids=["too short", "common", "numeric", "like the username"],
)
def test_weak_passwords_are_refused(db, password):
    user = make_user("edna-the-editor")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_demo_account_passwords_satisfy_the_validators(db):
    from django.contrib.auth.models import User

    out = StringIO()
    call_command("demo_accounts", stdout=out)
    lines = out.getvalue().splitlines()[1:]
    assert len(lines) == len(DEMO_ACCOUNTS)
    for line in lines:
        username, password = line.split()[:2]
        validate_password(password, User.objects.get(username=username))


def test_unknown_user_and_wrong_password_get_the_same_answer(db):
    make_user("edna", "editor")
    wrong_password = attempt(Client(), "edna", "not her password")
    unknown_user = attempt(Client(), "nobody-by-that-name", "not her password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert "didn’t match" in wrong_password.content.decode()
    assert visible_text(wrong_password).replace("edna", "X") == visible_text(unknown_user).replace(
        "nobody-by-that-name", "X"
    )


def test_repeated_failures_lock_the_pair_with_a_clear_429(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 3
    make_user("edna", "editor")
    client = Client()
    for _ in range(3):
        assert attempt(client, "edna", "guess").status_code == 200
    refused = attempt(client, "edna", "guess")
    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    assert refused.headers["Retry-After"] == str(settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)
    # Even the right password is refused while locked, so a guesser learns nothing.
    right = attempt(client, "edna", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_reveal_whether_the_account_exists(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    answers = {}
    for username in ("edna", "ghost"):
        client = Client()
        statuses = [attempt(client, username, "guess").status_code for _ in range(3)]
        answers[username] = (statuses, visible_text(attempt(client, username, "guess")))
    assert answers["edna"][0] == answers["ghost"][0] == [200, 200, 429]
    assert answers["edna"][1].replace("edna", "X") == answers["ghost"][1].replace("ghost", "X")


def test_lockout_is_per_username_and_address(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    make_user("rui", "reviewer")
    for _ in range(2):
        attempt(Client(), "edna", "guess", address="10.0.0.1")
    assert attempt(Client(), "edna", PASSWORD, address="10.0.0.1").status_code == 429
    # The same person from another address, and a colleague behind the same one, get in.
    assert attempt(Client(), "edna", PASSWORD, address="10.0.0.2").status_code == 302
    assert attempt(Client(), "rui", PASSWORD, address="10.0.0.1").status_code == 302
    # Usernames are matched without regard to case, like a guesser varying them.
    assert attempt(Client(), "EDNA", "guess", address="10.0.0.1").status_code == 429


def test_a_successful_login_clears_earlier_failures(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 3
    make_user("edna", "editor")
    for _ in range(2):
        attempt(Client(), "edna", "typo")
    assert attempt(Client(), "edna", PASSWORD).status_code == 302
    for _ in range(2):
        assert attempt(Client(), "edna", "typo").status_code == 200
    assert attempt(Client(), "edna", PASSWORD).status_code == 302


@contextmanager
def clock(moment):
    """Time travel: Django's clock and the one axes stamps attempts with both read `moment`."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("axes.handlers.proxy.now", return_value=moment),
    ):
        yield


def test_lockout_lasts_its_whole_cool_off_from_the_failure_that_set_it(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 3
    window = timedelta(seconds=settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)
    minute = timedelta(minutes=1)
    make_user("edna", "editor")
    start = timezone.now()
    with clock(start):
        attempt(Client(), "edna", "guess")
    locked_at = start + window - 2 * minute
    with clock(locked_at):
        attempt(Client(), "edna", "guess")
        assert attempt(Client(), "edna", "guess").status_code == 200  # the third: locked
    with clock(locked_at + minute):
        assert attempt(Client(), "edna", PASSWORD).status_code == 429
    with clock(start + window + minute):  # the first failure's window is over, the lock not
        assert attempt(Client(), "edna", PASSWORD).status_code == 429
    with clock(locked_at + window - minute):  # refused attempts did not extend it
        assert attempt(Client(), "edna", PASSWORD).status_code == 429
    with clock(locked_at + window + timedelta(seconds=1)):
        assert attempt(Client(), "edna", PASSWORD).status_code == 302


def test_failures_older_than_the_cool_off_are_forgotten(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 3
    window = timedelta(seconds=settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)
    make_user("edna", "editor")
    start = timezone.now()
    with clock(start):
        attempt(Client(), "edna", "typo")
        attempt(Client(), "edna", "typo")
    with clock(start + window + timedelta(seconds=1)):
        assert attempt(Client(), "edna", "typo").status_code == 200  # one failure, not three
        assert attempt(Client(), "edna", PASSWORD).status_code == 302


def test_locked_login_does_not_authenticate_at_all(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 1
    make_user("edna", "editor")
    attempt(Client(), "edna", "guess")
    with mock.patch("django.contrib.auth.authenticate") as authenticate:
        assert attempt(Client(), "edna", PASSWORD).status_code == 429
    authenticate.assert_not_called()


def test_admin_login_goes_through_the_throttled_form(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/admin/"
    staff = make_user("ada", None, is_staff=True, is_superuser=True)
    client = Client()
    landed = client.post(
        LOGIN, {"username": staff.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert landed.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_session_ends_after_a_working_day_and_with_the_browser(db, settings):
    make_user("edna", "editor")
    client = Client()
    response = attempt(client, "edna", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 12 * 3600
    session = Session.objects.get(session_key=cookie.value)
    remaining = session.expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < remaining
    assert remaining <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert client.get("/articles/").status_code == 200
    # Past its age the server no longer knows the session, whatever the browser keeps.
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    expired = client.get("/articles/")
    assert expired.status_code == 302
    assert expired.headers["Location"].startswith(LOGIN)


def test_every_page_offers_a_logout_form_that_posts(viewer_client, seeded):
    for url in ("/articles/", f"/articles/{seeded.pk}/", "/speakers/", "/board/", "/search/"):
        content = viewer_client.get(url).content.decode()
        form = re.search(
            r'<form class="account" method="post" action="/accounts/logout/">', content
        )
        assert form, url
        assert "csrfmiddlewaretoken" in content[form.end() : form.end() + 300]


def test_logout_needs_a_post_and_ends_the_session(viewer_client):
    assert viewer_client.get("/accounts/logout/").status_code == 405
    assert viewer_client.get("/articles/").status_code == 200
    response = viewer_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.headers["Location"] == LOGIN
    assert viewer_client.get("/articles/").status_code == 302
