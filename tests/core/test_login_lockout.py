"""Login lockouts hold: kept in the database, shared by processes, never evicted early."""

import json
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

import config.urls
from tests.conftest import make_user

LOGIN = "/accounts/login/"
PASSWORD = "correct horse battery"  # what tests.conftest.make_user sets


def attempt(username, password, address="10.0.0.1", client=None):
    client = client or Client()
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def lock_out(username, address="10.0.0.1"):
    for _ in range(settings.QUOTETRAIL_LOGIN_MAX_FAILURES):
        assert attempt(username, "guess", address).status_code == 200
    assert attempt(username, PASSWORD, address).status_code == 429


def test_a_thousand_other_usernames_do_not_erase_a_lockout(db):
    """The old file cache held 300 entries and dropped a third when full; the database
    keeps every count until its cool-off ends.

    The thousand failures go through `authenticate`, as the login view's do (axes'
    backend and its failure handler, the user lookup, the password check), without the
    page around them: about a third of the cost of a POST. The lockout is checked through
    the login page before and after.
    """
    make_user("edna", "editor")
    lock_out("edna")
    factory = RequestFactory()
    for number in range(1000):
        # From the guesser's address and from others; every tenth name tried twice.
        address = "10.0.0.1" if number % 2 else f"10.0.{number // 250}.{number % 250 + 2}"
        username = f"guess-{number}"
        request = factory.post(LOGIN, {"username": username}, REMOTE_ADDR=address)
        for _ in range(1 + (number % 10 == 0)):
            assert authenticate(request, username=username, password="guess") is None
    assert AccessAttempt.objects.filter(username__startswith="guess-").count() == 1000
    refused = attempt("edna", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    assert refused.headers["Retry-After"] == str(settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)
    # Each of the thousand is still counted too: four more failures lock any of them.
    for _ in range(settings.QUOTETRAIL_LOGIN_MAX_FAILURES - 1):
        assert attempt("guess-999", "guess").status_code == 200
    assert attempt("guess-999", PASSWORD).status_code == 429


def test_counts_are_rows_in_the_database_every_worker_reads(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 3
    make_user("edna", "editor")
    for _ in range(2):
        attempt("edna", "guess")
    [row] = AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    assert row == ("edna", "10.0.0.1", 2)
    # Nothing in memory: a new client (another worker's view of the same database) agrees.
    attempt("edna", "guess", client=Client())
    assert attempt("edna", PASSWORD, client=Client()).status_code == 429


def _database_url_of_the_test_database() -> dict:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"]}
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {"DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}


ANOTHER_HOST = """
import json, sys, django
django.setup()
from django.test import Client
client = Client()
print(json.dumps([
    client.post("/accounts/login/", {"username": "edna", "password": password},
                REMOTE_ADDR="10.0.0.1").status_code
    for password in sys.argv[1:]
]))
"""


@pytest.mark.django_db(transaction=True)
def test_failures_on_two_hosts_add_up_and_both_see_the_lockout(settings):
    """Another process, sharing nothing with this one but the database, as another
    gunicorn worker or another host would."""
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 3
    make_user("edna", "editor")
    for _ in range(2):
        assert attempt("edna", "guess").status_code == 200
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "QUOTETRAIL_", "SQLITE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        QUOTETRAIL_LOGIN_MAX_FAILURES="3",
        LOG_LEVEL="ERROR",
        **_database_url_of_the_test_database(),
    )
    other = subprocess.run(
        [sys.executable, "-c", ANOTHER_HOST, "guess", PASSWORD],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert other.returncode == 0, other.stderr
    # Its one failure is the third, counted with these two: there it locks the pair.
    assert json.loads(other.stdout) == [200, 429]
    # And here the lock it completed holds, even with the right password.
    assert attempt("edna", PASSWORD).status_code == 429


def test_unknown_usernames_are_counted_like_existing_ones(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    for username in ("edna", "ghost"):
        for _ in range(2):
            attempt(username, "guess")
    counts = dict(AccessAttempt.objects.values_list("username", "failures_since_start"))
    assert counts == {"edna": 2, "ghost": 2}
    assert attempt("edna", PASSWORD).status_code == attempt("ghost", PASSWORD).status_code == 429


@pytest.mark.parametrize("variant", ["EDNA", " edna ", "Ｅｄｎａ", "edna\u200b"])
def test_spellings_of_one_username_share_a_count(db, settings, variant):
    """However the name is cased, padded or written in full-width letters (all of which
    the login form reads as the same account), the guesses count towards one lockout."""
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    attempt("edna", "guess")
    attempt(variant, "guess")
    if variant == "edna\u200b":  # a different name (the form keeps the zero-width space)
        assert attempt("edna", PASSWORD).status_code == 302
    else:
        assert attempt("edna", PASSWORD).status_code == 429


def test_a_very_long_username_is_counted_without_an_error(db, settings):
    """Case-folding can lengthen a name past the column (ﬃ → ffi); it is stored hashed."""
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    username = "ﬃ" * 150  # the longest the form accepts; 450 characters once folded
    assert [attempt(username, "guess").status_code for _ in range(3)] == [200, 200, 429]
    [stored] = AccessAttempt.objects.values_list("username", flat=True)
    assert stored.startswith("sha256:") and len(stored) <= 255
    # Longer than the form allows: refused by the form, so nothing to count.
    assert attempt("x" * 10_000, "guess").status_code == 200


def test_a_header_with_a_nul_character_is_refused_not_stored(db):
    """axes stores the user agent; PostgreSQL cannot store NUL, so it is refused first."""
    response = Client().post(
        LOGIN, {"username": "edna", "password": "guess"}, headers={"User-Agent": "a\x00b"}
    )
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()


def test_without_a_usable_peer_address_the_lockout_keys_on_the_username(db, settings):
    """A server that gives no address (e.g. over a Unix socket) is no way around it."""
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    for address in ("", "not-an-address"):
        assert attempt("edna", "guess", address).status_code == 200
    assert attempt("edna", PASSWORD, "").status_code == 429
    assert AccessAttempt.objects.get().ip_address is None


@csrf_exempt
@login_not_required
def another_sign_in(request):
    """Any other code that signs people in, e.g. a future API."""
    user = authenticate(request, username=request.POST["username"], password=PASSWORD)
    return HttpResponse("signed in" if user else "refused")


urlpatterns = [path("another-sign-in/", another_sign_in), *config.urls.urlpatterns]


def test_a_lockout_holds_on_any_path_that_authenticates(db, settings):
    """axes' backend refuses the locked pair wherever `authenticate` is called, and the
    answer is the login page's 429."""
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    settings.ROOT_URLCONF = __name__
    make_user("edna", "editor")
    assert Client().post("/another-sign-in/", {"username": "edna"}).content == b"signed in"
    lock_out("edna", address="127.0.0.1")
    refused = Client().post("/another-sign-in/", {"username": "edna"})
    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    assert refused.headers["Retry-After"] == str(settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)


def test_an_administrator_unlocks_a_username_from_the_command_line(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    lock_out("edna")
    out = StringIO()
    call_command("axes_reset_username", "edna", stdout=out)
    assert "1 attempts removed" in out.getvalue()
    assert attempt("edna", PASSWORD).status_code == 302


def test_staff_see_lockouts_in_the_admin_and_delete_them_to_unlock(db, settings):
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    make_user("edna", "editor")
    lock_out("edna")
    staff = Client()
    staff.force_login(make_user("ada", None, is_staff=True, is_superuser=True))
    attempt("ghost", "guess")  # one failure: listed, not locked
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    rows = re.findall(r"<tr>.*?</tr>", listing.content.decode(), re.DOTALL)
    locked = {
        name: 'alt="True"' in row
        for row in rows
        for name in ("edna", "ghost")
        if f">{name}<" in row
    }
    assert locked == {"edna": True, "ghost": False}
    # Only deleting: axes' own clean-up action fails outside a login request.
    assert "cleanup_expired_attempts" not in listing.content.decode()
    pk = AccessAttempt.objects.get(username="edna").pk
    deleted = staff.post(f"/admin/axes/accessattempt/{pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert attempt("edna", PASSWORD).status_code == 302
