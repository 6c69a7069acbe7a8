"""While the database is unreachable, requests get a clean 503, not a 500 trace page."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from apps.articles.models import Article


def database_down():
    """Every new cursor fails the way a stopped PostgreSQL makes it fail."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "_cursor",
        side_effect=OperationalError("connection to server at 127.0.0.1 failed: refused"),
    )


@pytest.fixture
def logged_in(editor):
    # The real server never re-raises; the test client does unless told not to.
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    return client


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "The database is unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_page_during_outage_is_a_503_with_retry_after(logged_in, seeded):
    with database_down():
        assert_unavailable(logged_in.get(f"/articles/{seeded.pk}/"))
        assert_unavailable(logged_in.get("/board/"))
        assert_unavailable(logged_in.get("/healthz"))


def test_write_during_outage_is_a_503_and_the_app_recovers(logged_in, seeded):
    url = f"/articles/{seeded.pk}/quotes/"
    start = seeded.body.index("Raqqa")
    form = {"start": start, "end": start + 5, "text": "Raqqa", "kind": "indirect"}
    with database_down():
        assert_unavailable(logged_in.post(url, form))
    # The next request, with the database back, works as usual.
    assert logged_in.get(f"/articles/{seeded.pk}/").status_code == 200


def test_view_failing_mid_request_is_a_503(logged_in, seeded):
    """The session loaded fine, then the database went away inside the view."""
    with mock.patch.object(
        Article.objects, "get_queryset", side_effect=OperationalError("server closed")
    ):
        assert_unavailable(logged_in.get("/articles/"))


def test_other_errors_stay_errors(logged_in, seeded):
    with mock.patch.object(Article.objects, "get_queryset", side_effect=RuntimeError("bug")):
        assert logged_in.get("/articles/").status_code == 500
