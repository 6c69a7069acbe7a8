"""/healthz, /livez and /readyz: what a load balancer asks each instance, database up or down."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def database_down():
    """Every new cursor fails as it does when PostgreSQL is stopped."""
    return mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")
    )


def test_livez_answers_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert Client().get("/livez").content == b"ok"
    with database_down():
        response = Client().get("/livez")
    assert response.status_code == 200 and response.content == b"ok"
    assert Client().head("/livez").status_code == 200
    assert Client().post("/livez").status_code == 405


def test_readyz_checks_database_cache_and_queue():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "cache": "ok", "queue": "ok"}


def test_readyz_is_503_with_the_database_down():
    with database_down():
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False and body["database"] == "unavailable"
    assert body["queue"] == "unavailable"  # the queue lives in the same database
    assert body["cache"] == "ok"


def test_readyz_is_503_when_the_cache_loses_what_it_is_given():
    with mock.patch.object(type(caches["default"]), "get", return_value=None):
        response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["cache"] == "unavailable"


def test_healthz_needs_no_login_and_touches_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
