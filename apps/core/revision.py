"""The archive's revision, and a cache of data derived from it.

Every save and delete of a tracked record (articles, speakers, sources, quotes,
claims, stances) writes a history row, so the largest history id of each tracked
model moves whenever anything a page shows changes. `archive_revision()` reads
those maxima in one indexed query; `derived()` keeps what a page computes from
the archive (ranked search hits, rendered highlights, the board's derivations)
under a key that includes the revision, so a cached value is never served once
the data beneath it has changed: no invalidation to forget, and every process
(or server) sharing the database agrees on what is current.
"""

import functools
import hashlib
import threading
from collections.abc import Callable

from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import connection
from simple_history.models import registered_models

TIMEOUT = 15 * 60
cache = caches["derived"]  # settings.CACHES: never stale, since keys carry the revision
_request = threading.local()  # the revision read once per request, while one runs


def _begin(**kwargs):
    _request.revision = None
    _request.active = True


def _end(**kwargs):
    _request.revision = None
    _request.active = False


request_started.connect(_begin, dispatch_uid="quotetrail-revision-begin")
request_finished.connect(_end, dispatch_uid="quotetrail-revision-end")


@functools.cache
def _history_tables() -> tuple[str, ...]:
    tables = []
    for model in registered_models.values():
        manager = getattr(model._meta, "simple_history_manager_attribute", "history")
        tables.append(getattr(model, manager).model._meta.db_table)
    return tuple(sorted(set(tables)))


def archive_revision() -> tuple:
    """One number per tracked model; any creation, edit or deletion changes it.

    Read at most once per request: a page that derives several things agrees on
    one revision. Outside requests (commands, shells) it is read every time."""
    if getattr(_request, "active", False):
        if _request.revision is None:
            _request.revision = _read_revision()
        return _request.revision
    return _read_revision()


def _read_revision() -> tuple:
    tables = _history_tables()
    if not tables:
        return ()
    quote = connection.ops.quote_name
    # Table names come from the model registry, never from input.
    columns = ", ".join(f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


def derived(namespace: str, parts: tuple, compute: Callable, revision: tuple | None = None):
    """`compute()`, remembered for the archive's current revision and these parts."""
    revision = archive_revision() if revision is None else revision
    digest = hashlib.blake2b(repr((revision, parts)).encode(), digest_size=20).hexdigest()
    key = f"qt:{namespace}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
