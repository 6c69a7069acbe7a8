"""REDIS_URL: one cache for every process and host, and what happens when it is away.

Two hosts are simulated by two sets of cache connections: `override_settings(CACHES=…)`
makes Django drop its cache objects, so the next use opens new ones with their own
Redis connection pools, as another host's process would. The tests needing a Redis use
the local one at 127.0.0.1:6379 (skipped when none answers), under key prefixes of their
own, and never flush it.
"""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings

from apps.core import sharedcache, versions
from config.settings import cache_settings
from tests.api.conftest import Api
from tests.conftest import make_article, make_user

LOCAL_REDIS = "redis://127.0.0.1:6379/15"
NOBODY_LISTENS = "redis://127.0.0.1:1/0"  # connection refused: Redis down
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url():
    """The local Redis's URL, with every key the test wrote removed afterwards."""
    client = redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answers at 127.0.0.1:6379 ({exc})")
    yield LOCAL_REDIS
    client.close()


@pytest.fixture
def shared(redis_url):
    """CACHES as REDIS_URL makes them, under key prefixes of this test's own."""
    run = uuid.uuid4().hex[:12]
    settings = cache_settings(redis_url)
    for entry in settings.values():
        entry["KEY_PREFIX"] += f"-test-{run}"
    yield settings
    client = redis.Redis.from_url(redis_url)
    for found in client.scan_iter(match=f"*-test-{run}:*"):
        client.delete(found)
    client.close()


@pytest.fixture(autouse=True)
def _cache_not_marked_down(monkeypatch):
    """A test's outage does not leave the cache skipped (for seconds) in the next test."""
    monkeypatch.setattr(sharedcache, "_down_until", 0.0)


@contextmanager
def host(cache_config):
    """A host's process: its own cache objects and connections (see the module's note)."""
    with override_settings(CACHES=cache_config, SESSION_ENGINE="apps.core.sessions"):
        yield


def test_without_redis_url_each_process_keeps_its_own_memory_cache():
    built = cache_settings(None)
    assert set(built) == {"default", "derived"}
    assert all(c["BACKEND"].endswith("LocMemCache") for c in built.values())


def test_redis_url_puts_both_caches_in_redis_under_their_own_prefixes():
    built = cache_settings("redis://cache.internal:6379/2")
    assert {c["BACKEND"] for c in built.values()} == {REDIS_BACKEND}
    assert {c["LOCATION"] for c in built.values()} == {"redis://cache.internal:6379/2"}
    assert built["default"]["KEY_PREFIX"] != built["derived"]["KEY_PREFIX"]
    # An unreachable Redis costs a request a bounded wait, never a hang.
    assert built["default"]["OPTIONS"]["socket_timeout"] <= 5
    assert "MAX_ENTRIES" not in built["derived"].get("OPTIONS", {})  # not a Redis option


@pytest.mark.parametrize(
    ("redis_url", "backend", "sessions"),
    [
        ("", "LocMemCache", "django.contrib.sessions.backends.db"),
        ("redis://127.0.0.1:6379/0", "RedisCache", "apps.core.sessions"),
    ],
)
def test_the_settings_read_redis_url_from_the_environment(redis_url, backend, sessions):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['derived']['BACKEND'], s.SESSION_ENGINE)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": redis_url}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert [name.rsplit(".", 1)[1] for name in out[:2]] == [backend, backend]
    assert out[2] == sessions


@pytest.mark.django_db
def test_a_page_derived_on_one_host_is_read_on_another(shared):
    built = []

    def compute():
        built.append(1)
        return f"<p>page {len(built)}</p>"

    owners = [versions.key("article", 1)]
    with host(shared):
        assert isinstance(caches["derived"], RedisCache)
        first_host = caches["derived"]
        assert versions.derived("test-page", 1, compute, owners) == "<p>page 1</p>"
    with host(shared):
        assert caches["derived"] is not first_host  # new objects, new connections
        assert versions.derived("test-page", 1, compute, owners) == "<p>page 1</p>"
    assert built == [1], "the second host computed the page again"
    client = redis.Redis.from_url(shared["derived"]["LOCATION"])
    prefix = shared["derived"]["KEY_PREFIX"]
    assert list(client.scan_iter(match=f"{prefix}:*:qt:test-page:*")), "not kept in Redis"
    client.close()
    # A write moves the counter: every host computes the page afresh.
    versions.bump(owners)
    with host(shared):
        assert versions.derived("test-page", 1, compute, owners) == "<p>page 2</p>"


@pytest.mark.django_db
def test_the_api_rate_limit_counts_the_requests_of_every_host(shared):
    api = Api(make_user("viewer-on-two-hosts", "viewer"))
    with override_settings(QUOTETRAIL_API_RATE="3/m"):
        with host(shared):
            assert api.get("/claims").status_code == 200
            assert api.get("/claims").status_code == 200
        with host(shared):  # the balancer sends the next requests elsewhere
            assert api.get("/claims").status_code == 200
            assert api.get("/claims").status_code == 429
        with host(shared):
            assert api.get("/claims").status_code == 429


@pytest.mark.django_db
def test_a_session_started_on_one_host_is_known_on_another(shared):
    edna = make_user("edna-shared", "editor")
    browser = Client()
    with host(shared):
        browser.force_login(edna)
    with host(shared):
        assert browser.get("/articles/").status_code == 200
        browser.post("/accounts/logout/")
    with host(shared):
        assert browser.get("/articles/").status_code == 302  # to the login page


@pytest.mark.django_db
def test_readyz_names_redis_when_it_answers_and_when_it_does_not(shared):
    with host(shared):
        response = Client().get("/readyz")
        assert response.status_code == 200, response.content
        assert response.json() == {"ready": True, "database": "ok", "redis": "ok", "queue": "ok"}
    with host(cache_settings(NOBODY_LISTENS)):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "ready": False,
        "database": "ok",
        "redis": "unavailable",
        "queue": "ok",
    }


@pytest.mark.django_db
def test_pages_are_served_from_the_database_while_redis_is_down(editor, caplog):
    article = make_article(title="Served without a cache")
    api = Api(editor)
    browser = Client()
    with host(cache_settings(NOBODY_LISTENS)):
        browser.force_login(editor)  # the session is saved to the database alone
        assert browser.get("/articles/").status_code == 200
        page = browser.get(f"/articles/{article.pk}/")
        assert page.status_code == 200 and b"Served without a cache" in page.content
        assert api.get("/claims").status_code == 200  # let through, uncounted
        assert Client().get("/livez").status_code == 200
    assert "cache unavailable" in caplog.text


@pytest.mark.django_db
def test_signing_in_and_out_while_redis_is_down(editor):
    browser = Client()
    with host(cache_settings(NOBODY_LISTENS)):
        browser.force_login(editor)
        browser.force_login(editor)  # again, over a session that exists: its key changes
        assert browser.get("/articles/").status_code == 200
        assert browser.post("/accounts/logout/").status_code == 302
        assert browser.get("/articles/").status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_session_is_kept_in_redis_for_a_minute_at_most(shared, editor):
    browser = Client()
    with host(shared):
        browser.force_login(editor)
        assert browser.get("/articles/").status_code == 200
    key = "django.contrib.sessions.cached_db" + browser.cookies["sessionid"].value
    client = redis.Redis.from_url(shared["default"]["LOCATION"])
    [stored] = client.scan_iter(match=f"{shared['default']['KEY_PREFIX']}:*:{key}")
    assert 0 < client.ttl(stored) <= 60
    client.close()


def test_after_a_failure_the_cache_is_left_alone_for_a_few_seconds(monkeypatch):
    """A Redis that does not answer costs each call its socket timeout: one call pays it,
    the next ones skip the cache until RETRY_AFTER_SECONDS have passed."""
    failing = mock.Mock(side_effect=redis.TimeoutError("Timeout reading from socket"))
    with host(cache_settings(NOBODY_LISTENS)):
        monkeypatch.setattr(RedisCache, "get", failing)
        assert versions.cache.get("some-page") is None
        assert versions.cache.get("another-page") is None
        assert failing.call_count == 1
        monkeypatch.setattr(sharedcache, "_down_until", time.monotonic() - 1)  # 5 s later
        assert versions.cache.get("some-page") is None
        assert failing.call_count == 2
