"""Bulk imports from the web, run in the background: a feed's entries or a list of pages.

A job is written with its items (one per URL; a feed's items are written when the feed is
read) in the transaction of the request or command that asks for it, and queued on the
task framework when that transaction commits (apps/core/jobs.py). `run` then takes each
pending item in turn: the page is fetched and reduced outside any transaction, then the
item is locked and, if still pending, the article is written and the item marked in one
transaction, committed before the next item is fetched, so the job page sees progress.

Running a job again is safe at any point: an item is written once (a second run finds it
no longer pending and leaves it), and an article already in the archive is a skip, not a
second copy. A worker killed mid-job leaves it `running`; `resume_unfinished()` (called by
`manage.py import_jobs --resume`, and fit for a worker-start sweep) queues every unfinished
job again and it continues with the items still pending. A job that stops on an
unexpected error is marked `failed` with the reason, shown on its page.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.core import jobs

from . import fetching
from .importing import AlreadyImported, ImportRefused, create_article
from .models import Article, ImportItem, ImportJob

logger = logging.getLogger(__name__)

MESSAGE_MAX = ImportItem._meta.get_field("message").max_length
State = ImportItem.State
Status = ImportJob.Status


def max_urls() -> int:
    return int(settings.QUOTETRAIL_IMPORT_MAX_URLS)


def queue(job: ImportJob) -> None:
    from .tasks import run_import_job

    jobs.after_commit(run_import_job, job.pk)


@transaction.atomic
def create_feed_job(url: str, user=None, background: bool = True) -> ImportJob:
    """A job importing the entries of the feed at `url` (checked by the caller), queued
    when the caller's transaction commits (unless the caller runs it: `background`)."""
    job = ImportJob.objects.create(kind=ImportJob.Kind.FEED, source=url, created_by=_user(user))
    if background:
        queue(job)
    return job


@transaction.atomic
def create_urls_job(urls: list[str], user=None, background: bool = True) -> ImportJob:
    """A job importing each page of `urls` (checked, distinct, at most max_urls()),
    queued when the caller's transaction commits (unless the caller runs it)."""
    if not urls:
        raise ImportRefused("No URLs given.")
    job = ImportJob.objects.create(kind=ImportJob.Kind.URLS, source=urls[0], created_by=_user(user))
    ImportItem.objects.bulk_create(
        ImportItem(job=job, position=i, url=url) for i, url in enumerate(urls)
    )
    if background:
        queue(job)
    return job


def _user(user):
    return user if user is not None and user.is_authenticated else None


# --- running ----------------------------------------------------------------------------


def run(job_id: int, on_item: Callable[[ImportJob, ImportItem], None] | None = None):
    """Work job `job_id` to its end (see the module); the job, or None if it is finished
    or gone. `on_item(job, item)` is called after each item (the command's progress bar)."""
    job = _claim(job_id)
    if job is None:
        return None
    try:
        if job.kind == ImportJob.Kind.FEED and not job.items.exists():
            _read_feed(job)
        pending = list(job.items.filter(state=State.PENDING).order_by("position"))
        for item in pending:
            _process(job, item)
            if on_item is not None:
                on_item(job, item)
    except fetching.FetchRefused as refusal:
        return _finish(job, Status.FAILED, str(refusal))
    except Exception as exc:
        logger.exception("Import job %s stopped", job.pk)
        return _finish(
            job,
            Status.FAILED,
            f"Stopped by an unexpected error ({exc.__class__.__name__}); the items still "
            f"pending are imported if it is retried (manage.py import_jobs --retry {job.pk}).",
        )
    return _finish(job, Status.DONE)


def _claim(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        job.status = Status.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    return job


def _read_feed(job: ImportJob) -> None:
    feed = fetching.read_feed(job.source)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.items.exists():  # another run of the job read it first
            return
        links = feed.links[: max_urls()]
        ImportItem.objects.bulk_create(_feed_item(job, i, url) for i, url in enumerate(links))
        job.title = feed.title
        if len(feed.links) > len(links):
            job.note = (
                f"The feed links to {len(feed.links):,} articles; "
                f"the first {len(links):,} are imported."
            )
        job.save(update_fields=["title", "note", "updated_at"])


def _feed_item(job: ImportJob, position: int, url: str) -> ImportItem:
    limit = ImportItem._meta.get_field("url").max_length
    if len(url) <= limit:
        return ImportItem(job=job, position=position, url=url)
    return ImportItem(
        job=job,
        position=position,
        url=url[:limit],
        state=State.REFUSED,
        message=f"The link is {len(url):,} characters long; at most {limit:,} are fetched.",
    )


def _process(job: ImportJob, item: ImportItem) -> None:
    """Fetch and write one item, unless another run of the job has done it already."""
    page, refusal = None, ""
    existing = Article.objects.filter(url=item.url).only("pk", "title").first()
    if existing is None:
        try:
            page = fetching.read_page(item.url)
        except ImportRefused as refused:
            refusal = str(refused)
    with transaction.atomic():
        locked = ImportItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None or locked.state != State.PENDING:
            return
        if existing is not None:
            _mark(locked, State.SKIPPED, _already(existing), existing)
        elif page is None:
            _mark(locked, State.REFUSED, refusal)
        else:
            try:
                article = create_article(page.title, page.body, page.meta, job.created_by)
            except AlreadyImported as duplicate:
                _mark(locked, State.SKIPPED, str(duplicate), duplicate.existing)
            except ImportRefused as refused:
                _mark(locked, State.REFUSED, str(refused))
            else:
                _mark(locked, State.IMPORTED, "", article)
        ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())
    item.state, item.message, item.article_id = locked.state, locked.message, locked.article_id


def _already(article: Article) -> str:
    return f"Already imported as article #{article.pk} “{article.title}”."


def _mark(item: ImportItem, state: str, message: str, article: Article | None = None) -> None:
    item.state = state
    item.message = message[:MESSAGE_MAX]
    item.article = article
    item.save(update_fields=["state", "message", "article"])


def _finish(job: ImportJob, status: str, error: str = "") -> ImportJob:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job


# --- reading ----------------------------------------------------------------------------


def counts(job: ImportJob) -> dict[str, int]:
    """total, processed, imported, skipped, refused and pending items, in one query."""
    found = job.items.aggregate(
        total=Count("pk"),
        imported=Count("pk", filter=Q(state=State.IMPORTED)),
        skipped=Count("pk", filter=Q(state=State.SKIPPED)),
        refused=Count("pk", filter=Q(state=State.REFUSED)),
    )
    found["processed"] = found["imported"] + found["skipped"] + found["refused"]
    found["pending"] = found["total"] - found["processed"]
    return found


def retry(job: ImportJob) -> bool:
    """Queue a failed job again, to go on with the items still pending; False if it is not
    failed."""
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.FAILED).update(
        status=Status.QUEUED, error="", finished_at=None, updated_at=timezone.now()
    )
    if updated:
        queue(job)
    return bool(updated)


def resume_unfinished(idle: timedelta = timedelta(0)) -> list[int]:
    """Queue again every job still queued or running that has not moved for `idle`; their
    ids. Safe while a worker is still on one of them (see the module)."""
    since = timezone.now() - idle
    ids = list(
        ImportJob.objects.filter(status__in=[Status.QUEUED, Status.RUNNING], updated_at__lte=since)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    from .tasks import run_import_job

    for pk in ids:
        jobs.after_commit(run_import_job, pk)
    return ids
