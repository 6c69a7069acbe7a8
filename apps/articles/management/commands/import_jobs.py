from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from apps.articles import import_jobs
from apps.articles.models import ImportJob


class Command(BaseCommand):
    help = (
        "List recent imports from the web; --resume queues again every job left queued or "
        "running (a worker stopped mid-job), --retry ID a failed one. Either continues with "
        "the items still pending; nothing is imported twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--resume", action="store_true", help="Queue unfinished jobs again.")
        parser.add_argument(
            "--idle",
            type=int,
            default=0,
            help="With --resume: only jobs that have not moved for this many seconds.",
        )
        parser.add_argument("--retry", type=int, metavar="ID", help="Queue a failed job again.")

    def handle(self, *args, resume, idle, retry, **options):
        if retry is not None:
            job = ImportJob.objects.filter(pk=retry).first()
            if job is None:
                raise CommandError(f"No import job #{retry}.")
            if not import_jobs.retry(job):
                raise CommandError(f"Import #{retry} is {job.status}, not failed.")
            self.stdout.write(f"Queued import #{retry} again.")
            return
        if resume:
            ids = import_jobs.resume_unfinished(timedelta(seconds=idle))
            listed = ", ".join(f"#{pk}" for pk in ids) or "none"
            self.stdout.write(f"Queued again {len(ids)} unfinished import(s): {listed}.")
            return
        for job in ImportJob.objects.all()[:20]:
            counts = import_jobs.counts(job)
            self.stdout.write(
                f"#{job.pk} {job.created_at:%Y-%m-%d %H:%M} {job.kind:<4} {job.status:<7} "
                f"{counts['processed']}/{counts['total']} {job.source}"
            )
