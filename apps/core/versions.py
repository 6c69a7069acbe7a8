"""Version counters: each part of the archive a page derives from has its own.

A derived thing (an article's highlighted text, a claim's statements and
contradictions, a speaker's tables, the board) names the parts it shows, as keys
such as `article:12`, `claim:3`, `speaker:7`, or `claims` for every claim at once.
Every write bumps the keys of what it changes, in its own transaction, so:

- a counter moves in commit order: a second writer of the same part waits on the
  counter's row until the first commits, and readers see the new value only with
  the data that caused it. A page is never cached under a version whose data it
  lacks (a largest-id revision can be: ids are handed out at insert, not commit);
- a save touches only what depends on it: a quote saved in one article moves that
  article's counter and its speaker's, not the board's unless the quote carries a
  stance.

Within a transaction the keys are collected and bumped once, sorted, just before
the outermost atomic block of the write commits (`bump` inside `collecting()`), so
two writers always take the counters' locks in the same order and cannot deadlock
on them. `derived()` keeps what a page computes under the current values of its
keys, in the `derived` cache: nothing is invalidated by hand.
"""

import hashlib
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.core.cache import caches
from django.db import connection, transaction

from .models import Version

TIMEOUT = 15 * 60
cache = caches["derived"]
_pending = threading.local()


def key(kind: str, pk) -> str:
    return f"{kind}:{pk}"


def keys(kind: str, pks: Iterable) -> set[str]:
    return {f"{kind}:{pk}" for pk in pks if pk is not None}


@contextmanager
def collecting():
    """Collect the bumps of the writes inside and apply them at the end, sorted,
    in the same transaction (the block must run inside one, or be one)."""
    outer = getattr(_pending, "keys", None) is None
    if outer:
        _pending.keys = set()
    try:
        with transaction.atomic():
            yield
            if outer and _pending.keys:
                _apply(_pending.keys)
    finally:
        if outer:
            _pending.keys = None


def bump(names: Iterable[str]) -> None:
    """Move these counters: now, or at the end of the enclosing `collecting()` block."""
    names = {n for n in names if n}
    if not names:
        return
    pending = getattr(_pending, "keys", None)
    if pending is not None:
        pending.update(names)
    else:
        with transaction.atomic():
            _apply(names)


def _apply(names: set[str]) -> None:
    quote = connection.ops.quote_name
    table, name_column, value = quote(Version._meta.db_table), quote("key"), quote("value")
    # Sorted: every writer locks counters in the same order.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({name_column}, {value}) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT ({name_column}) DO UPDATE SET {value} = {table}.{value} + 1",
            [(name,) for name in sorted(names)],
        )


def on_every_write(receivers: dict, prefix: str) -> None:
    """Connect each model's receiver to its saves and deletions (one per app's owners)."""
    from django.db.models.signals import post_delete, post_save

    for model, receiver in receivers.items():
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"{prefix}-{model.__name__}")


def current(names: Iterable[str]) -> tuple:
    """The counters' values, in the order given (0 for a part never changed)."""
    names = list(names)
    found = dict(Version.objects.filter(key__in=set(names)).values_list("key", "value"))
    return tuple(found.get(name, 0) for name in names)


def derived(namespace: str, parts, compute: Callable, owners: Iterable[str]):
    """`compute()`, remembered until one of its owners' counters moves."""
    owners = sorted(set(owners))
    stamp = tuple(zip(owners, current(owners), strict=True))
    digest = hashlib.blake2b(repr((stamp, parts)).encode(), digest_size=20).hexdigest()
    cache_key = f"qt:{namespace}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        if getattr(_pending, "keys", None) is None:  # never what a write has not committed
            cache.set(cache_key, value, TIMEOUT)
    return value
