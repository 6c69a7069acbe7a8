import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.tasks import task_backends
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .sharedcache import CACHE_ERRORS

logger = logging.getLogger("quotetrail.health")


@require_GET
def home(request):
    return redirect("articles:list")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness with a database round trip and nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
@require_safe
def livez(request):
    """The process answers: no database, no cache. A load balancer restarts what fails."""
    return HttpResponse("ok", content_type="text/plain")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    """Each cache keeps a value (with REDIS_URL: the shared Redis answers)."""
    for alias in ("default", "derived"):
        caches[alias].set("readyz", "ok", 10)
        if caches[alias].get("readyz") != "ok":
            raise RuntimeError(f"the {alias} cache did not keep a value")


def _queue() -> None:
    """The task queue's backend can be reached (for the database queue, its table)."""
    backend = task_backends["default"]
    for problem in backend.check():
        raise RuntimeError(problem.msg)
    if isinstance(backend, DatabaseBackend):
        DBTaskResult.objects.exists()


CHECKS = {"database": _database, "cache": _cache, "queue": _queue}


def _named(part: str) -> str:
    """The cache is reported as "redis" when it is the shared Redis (REDIS_URL)."""
    return "redis" if part == "cache" and isinstance(caches["default"], RedisCache) else part


@login_not_required
@never_cache
@require_safe
def readyz(request):
    """Ready for traffic: the database, the cache and the task queue all answer.
    503 names what does not, so a balancer takes this instance out until it does."""
    parts, ready = {}, True
    for part, check in CHECKS.items():
        name = _named(part)
        try:
            check()
        except (DatabaseError, RuntimeError, *CACHE_ERRORS) as exc:
            logger.warning("not ready: %s: %s", name, str(exc).strip().splitlines()[:1])
            parts[name], ready = "unavailable", False
        else:
            parts[name] = "ok"
    return JsonResponse({"ready": ready, **parts}, status=200 if ready else 503)
