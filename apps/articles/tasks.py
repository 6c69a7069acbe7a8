from django.tasks import task

from . import import_jobs


@task()
def run_import_job(job_id: int) -> str:
    """Run a bulk import from the web (safe to run again: see import_jobs)."""
    job = import_jobs.run(job_id)
    return job.status if job is not None else "skipped"
