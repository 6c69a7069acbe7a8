"""What import_feed and import_urls share: run a job here, with a progress bar, and print
what became of each item."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.articles import import_jobs
from apps.articles.models import ImportItem, ImportJob


class WebImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def run_job(self, job: ImportJob, no_progress: bool) -> None:
        progress = tqdm(total=None, unit="page", disable=no_progress, file=self.stderr._out)

        def on_item(job, item):
            if progress.total is None:
                progress.total = import_jobs.counts(job)["total"]
            progress.set_postfix_str(item.url[-40:])
            progress.update(1)

        try:
            import_jobs.run(job.pk, on_item=on_item)
        finally:
            progress.close()
        job.refresh_from_db()
        self.summarise(job)

    def summarise(self, job: ImportJob) -> None:
        counts = import_jobs.counts(job)
        self.stdout.write(
            f"Import #{job.pk}: imported {counts['imported']}, skipped {counts['skipped']} "
            f"(already in Quotetrail), refused {counts['refused']}."
        )
        State = ImportItem.State
        for item in job.items.select_related("article").order_by("position"):
            if item.state == State.IMPORTED:
                detail = f"#{item.article_id} {item.article.title if item.article else ''}"
            elif item.state == State.PENDING:
                detail = "not done"
            else:
                detail = item.message
            self.stdout.write(f"  {item.state:<9} {item.url}: {detail}")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.error)
        if counts["total"] and counts["refused"] == counts["total"]:
            raise CommandError("Every page was refused; see above.")
