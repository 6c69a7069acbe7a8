import csv
import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django_tasks_db.management.commands.db_worker import Worker

from apps.articles.models import Article
from apps.claims.seeding import load_full_seed
from apps.core import jobs
from apps.quotes.models import Quote
from apps.sources.models import Source, Speaker

SEED_MANIFEST = Path(settings.BASE_DIR) / "seeds" / "newsweek-raqqa-deal.json"


def make_user(username: str, role: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery", **extra)
    if role:
        # get_or_create: transactional (browser) tests flush the groups the migration made.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def editor(db):
    return make_user("edna", "editor")


@pytest.fixture
def reviewer(db):
    return make_user("rui", "reviewer")


@pytest.fixture
def viewer(db):
    return make_user("vic", "viewer")


@pytest.fixture
def admin_user(db):
    return make_user("ada", None, is_staff=True, is_superuser=True)


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, editor):
    return _client_for(client, editor)


@pytest.fixture
def viewer_client(client, viewer):
    return _client_for(client, viewer)


@pytest.fixture
def reviewer_client(client, reviewer):
    return _client_for(client, reviewer)


@pytest.fixture
def seeded(db):
    """The Raqqa seed article with its curated attributions."""
    return load_full_seed(SEED_MANIFEST).article


def make_article(body: str = "Alpha said “beta”. Gamma said “delta”.", **fields) -> Article:
    fields.setdefault("title", f"Article {Article.objects.count() + 1}")
    return Article.objects.create(body=body, **fields)


def make_quote(article: Article, start: int, end: int, **fields) -> Quote:
    quote = Quote(article=article, **fields)
    quote.anchor(start, end)
    quote.save()
    return quote


def approved_quotes_in_a_row(article: Article, speakers: list, source, count: int) -> list:
    """`count` approved quotes of six characters, one every seven, the speakers in turn
    (inserted at once: for building large archives in tests)."""
    quotes = []
    for i in range(count):
        quote = Quote(
            article=article, speaker=speakers[i % len(speakers)], source=source, status="approved"
        )
        quote.anchor(i * 7, i * 7 + 6)
        quotes.append(quote)
    return Quote.objects.bulk_create(quotes)


@pytest.fixture
def speaker(db):
    return Speaker.objects.create(name="Alex Example", role="spokesperson")


@pytest.fixture
def source(db):
    return Source.objects.create(title="Press briefing", kind=Source.Kind.BRIEFING)


SERVED_AS = {
    # What `make run` serves: the development settings, DEBUG on (django-htmx then adds its
    # debug script, Django its technical error pages).
    "debug": {"DEBUG": True},
    # What production serves: DEBUG off.
    "production": {"DEBUG": False},
}


def pytest_generate_tests(metafunc):
    """Every browser test runs twice: as `make run` serves the app, and as production does."""
    if "served_as" in metafunc.fixturenames and metafunc.definition.get_closest_marker("browser"):
        metafunc.parametrize("served_as", list(SERVED_AS), indirect=True)


@pytest.fixture(autouse=True)
def served_as(request, settings):
    """The settings a browser test's live server runs with (see pytest_generate_tests)."""
    name = getattr(request, "param", None)
    for setting, value in SERVED_AS.get(name, {}).items():
        setattr(settings, setting, value)
    return name


@pytest.fixture(autouse=True)
def _queued_work_runs_at_once(request, monkeypatch):
    """Work a write queues (apps/core/jobs.py) runs at once, in the test's own process and
    transaction, so a test sees an import's suggestions as a user sees them once the worker
    has run. Tests marked `queue` keep the real queue: on commit, onto the task backend."""
    if request.node.get_closest_marker("queue") is None:
        monkeypatch.setattr(jobs, "after_commit", _run_as_a_worker)


def _run_as_a_worker(task, *args, using=None):
    """The task, at once; a failure is the task's to record (as on the worker), never the
    caller's: the write that queued it stands."""
    try:
        task.call(*args)
    except Exception:
        logging.getLogger(__name__).warning("%s%r failed", task.name, args, exc_info=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no derived data cached (database ids repeat across tests)."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def run_worker_once():
    """django-tasks-db's worker, run here for one batch of whatever is queued."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def csv_rows(response) -> list[dict]:
    """The rows of a streamed CSV download, by column name."""
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))
