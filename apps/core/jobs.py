"""Work that follows a write: queued on Django's task framework once the write commits.

A view or service that needs slow work done after its change (extraction, indexing,
a bulk import, a webhook delivery) calls `after_commit(task, *args)` inside its
transaction. The task is put on the queue (settings.TASKS: django-tasks-db, a table in
the same database, read by `manage.py run_worker`) only when that transaction commits,
so a rolled-back change queues nothing and a worker never reads rows that are not
there yet. Outside a transaction it is queued at once.

Every task queued this way must be idempotent: a worker killed mid-task leaves its
row RUNNING and the task is queued again, so doing it twice must give the same result
as doing it once.

Failing to reach the queue never undoes the write that asked for the work: the
failure is logged, and each kind of work has a sweep that finds what is behind
(`manage.py extract_quotes --stale`, `index_trails --stale`, `deliver_webhooks`,
`import_jobs --resume`), all run by `manage.py run_worker` when it starts.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def after_commit(task, *args, using: str | None = None) -> None:
    """Queue `task(*args)` when the current transaction on `using` commits."""
    transaction.on_commit(partial(enqueue, task, *args), using=using, robust=True)


def enqueue(task, *args):
    """Queue `task(*args)` now; None (and a logged error) when the queue cannot be reached."""
    try:
        return task.enqueue(*args)
    except Exception:
        logger.exception("Could not queue %s%r; its sweep will pick the work up", task.name, args)
        return None
