"""The task worker: sweep for lost work, then django-tasks-db's db_worker.

django-tasks-db never runs a queue entry twice: a worker killed mid-task leaves its
entry RUNNING for good, and work whose queueing failed has no entry at all. Every kind
of queued work is idempotent and has a sweep that finds what is behind from the data
itself, so a worker starting here first queues that again (extraction and trail
indexing of articles whose text moved on since: `extract_quotes --stale`, `index_trails
--stale`; webhook deliveries due: `deliver_webhooks`), then works the queue with every
option of `manage.py db_worker`. Several workers starting at once queue duplicates,
which cost one query each: the task finds its work done.
"""

import os

from django.core.management import call_command
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

SWEEPS = (("extract_quotes", {"stale": True}), ("index_trails", {"stale": True}))
SWEEPS += (("deliver_webhooks", {}), ("import_jobs", {"resume": True}))


class Command(WorkerCommand):
    help = (
        "Queue again the work that is behind (extraction, trail indexing, due webhook "
        "deliveries, unfinished imports), then run the database task worker (db_worker's options)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-sweep", action="store_true", help="start working the queue at once"
        )

    def handle(self, *args, no_sweep=False, **options):
        # With --reload the command runs again in a child process: sweep in the parent only.
        if not no_sweep and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            for name, arguments in SWEEPS:
                call_command(name, stdout=self.stdout, stderr=self.stderr, **arguments)
        return super().handle(*args, **options)
