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
keys, in the `derived` cache: nothing is invalidated by hand. A cache that cannot
be reached only makes every read a miss (`sharedcache.Tolerant`).

A counter can also keep a journal: `note("quotes", ids)` bumps `quotes` and records
which items the write changed, numbered by the counter's new value. Something
derived from the whole collection (a query's ranked search hits) is then brought up
to date by re-checking only the items changed since it was computed
(`incremental()`), instead of being computed again from a million rows.
"""

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import connection, transaction

from .models import Change, Version
from .sharedcache import Tolerant

TIMEOUT = 15 * 60
# A random number written when the database is created (migration core 0004) and again by
# a restore: every cache key carries it, so a cache shared by several hosts (Redis) never
# serves a page of another database, or of this one before a restore, whose counters
# happen to have the same values.
EPOCH = "epoch"
JOURNAL_KEPT = 100_000  # changes kept per journal; older ones are pruned as it grows
# Unreachable (Redis down), it misses: pages are computed from the database instead.
cache = Tolerant("derived")
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
        _pending.keys, _pending.notes = set(), {}
    try:
        with transaction.atomic():
            yield
            if outer and (_pending.keys or _pending.notes):
                _apply(_pending.keys, _pending.notes)
    finally:
        if outer:
            _pending.keys = _pending.notes = None


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
            _apply(names, {})


def note(journal: str, items: Iterable[int]) -> None:
    """Bump the journal's counter and record that these items changed (see `bump`)."""
    items = {int(i) for i in items if i is not None}
    if not items:
        return
    pending = getattr(_pending, "keys", None)
    if pending is not None:
        _pending.notes.setdefault(journal, set()).update(items)
    else:
        with transaction.atomic():
            _apply(set(), {journal: items})


def _apply(names: set[str], notes: dict[str, set[int]]) -> None:
    quote = connection.ops.quote_name
    table, name_column, value = quote(Version._meta.db_table), quote("key"), quote("value")
    upsert = (
        f"INSERT INTO {table} ({name_column}, {value}) VALUES (%s, 1) "  # noqa: S608
        f"ON CONFLICT ({name_column}) DO UPDATE SET {value} = {table}.{value} + 1"
    )
    # Sorted: every writer locks counters in the same order.
    with connection.cursor() as cursor:
        for name in sorted(set(names) | set(notes)):
            cursor.execute(upsert, [name])
            if name not in notes:
                continue
            cursor.execute(
                f"SELECT {value} FROM {table} WHERE {name_column} = %s",  # noqa: S608
                [name],
            )
            seq = cursor.fetchone()[0]
            Change.objects.bulk_create(
                Change(journal=name, seq=seq, item=item) for item in sorted(notes[name])
            )
            if seq % 1000 == 0:
                Change.objects.filter(journal=name, seq__lte=seq - JOURNAL_KEPT).delete()


def changed_since(journal: str, after: int, upto: int) -> set[int] | None:
    """The items changed by writes numbered after..upto, or None when the journal no
    longer reaches back that far."""
    if upto - after > JOURNAL_KEPT // 2:
        return None
    rows = Change.objects.filter(journal=journal, seq__gt=after, seq__lte=upto)
    return set(rows.values_list("item", flat=True))


def on_every_write(receivers: dict, prefix: str) -> None:
    """Connect each model's receiver to its saves and deletions (one per app's owners)."""
    from django.db.models.signals import post_delete, post_save

    for model, receiver in receivers.items():
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"{prefix}-{model.__name__}")


def new_epoch(using: str | None = None) -> None:
    """Give the database a new epoch: nothing cached before is used again."""
    Version.objects.using(using).update_or_create(
        key=EPOCH, defaults={"value": secrets.randbits(62)}
    )


def current(names: Iterable[str]) -> tuple:
    """The counters' values, in the order given (0 for a part never changed)."""
    names = list(names)
    found = dict(Version.objects.filter(key__in=set(names)).values_list("key", "value"))
    return tuple(found.get(name, 0) for name in names)


def _cache_key(namespace: str, stamp, parts) -> str:
    digest = hashlib.blake2b(repr((stamp, parts)).encode(), digest_size=20).hexdigest()
    return f"qt:{namespace}:{digest}"


def _writing() -> bool:
    return getattr(_pending, "keys", None) is not None  # never cache what is uncommitted


def derived(namespace: str, parts, compute: Callable, owners: Iterable[str]):
    """`compute()`, remembered until one of its owners' counters moves."""
    owners = sorted(set(owners))
    pending = getattr(_pending, "keys", None)
    if pending and pending.intersection(owners):
        return compute()  # this write changes what it shows: nothing kept is current
    epoch, *values = current([EPOCH, *owners])
    stamp = (epoch, *zip(owners, values, strict=True))
    cache_key = _cache_key(namespace, stamp, parts)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        if not _writing():
            cache.set(cache_key, value, TIMEOUT)
    return value


def derived_many(namespace: str, entries: list[tuple], compute: Callable) -> list:
    """Several parts of one page at once, each kept under its own owners: `entries` holds
    (parts, owners) per part; `compute(indexes)` builds the parts at those indexes that are
    not kept (a list of values, in that order). One query reads every owner's counter and
    one cache round trip fetches the kept parts, so a page of ten parts costs the same as
    one, and a write rebuilds only the parts it owns."""
    names = [EPOCH, *sorted({name for _, owners in entries for name in owners})]
    values = dict(zip(names, current(names), strict=True))
    keys = [
        _cache_key(
            namespace, (values[EPOCH], *((o, values[o]) for o in sorted(set(owners)))), parts
        )
        for parts, owners in entries
    ]
    found = cache.get_many(keys)
    missing = [index for index, cache_key in enumerate(keys) if cache_key not in found]
    if missing:
        built = {keys[i]: value for i, value in zip(missing, compute(missing), strict=True)}
        if not _writing():
            cache.set_many(built, TIMEOUT)
        found.update(built)
    return [found[cache_key] for cache_key in keys]


def incremental(
    namespace: str,
    parts,
    compute: Callable,
    refresh: Callable,
    owners: Iterable[str],
    journal: str,
):
    """Like `derived()`, for something drawn from a whole journaled collection.

    `compute()` builds it; when only the journal moved since, `refresh(value,
    changed_ids)` brings it up to date from the items changed in between (or returns
    None to have it computed again). The counter is read before the data, so a
    value never lacks a change numbered at or below the one it is kept under."""
    owners = sorted(set(owners))
    epoch, *values = current([EPOCH, *owners, journal])
    stamp, seq = (epoch, *zip(owners, values[:-1], strict=True)), values[-1]
    cache_key = _cache_key(namespace, stamp, parts)
    entry = cache.get(cache_key)
    value = None
    if entry is not None:
        kept_at, kept = entry
        if kept_at == seq:
            return kept
        if kept_at < seq and (changed := changed_since(journal, kept_at, seq)) is not None:
            value = refresh(kept, changed)
    if value is None:
        value = compute()
    if not _writing():
        cache.set(cache_key, (seq, value), TIMEOUT)
    return value
