"""The work an article's new text needs, run by the task worker once the write commits.

Importing an article or correcting its text (a form, the API, `correct_body`, the
import commands, the seed: every path saves the `Article`) queues two tasks through
`jobs.after_commit`, from the article's post_save (`queue_on_save`, connected in
QuotesConfig.ready): finding quotes in it (`extract_suggestions`, the suggestions
panel) and indexing it for quote trails (`index_trails`). The request no longer waits
for either, and a write rolled back queues nothing.

Each task is given the article and the fingerprint of the text it was queued for, and
is idempotent, so a retry, a duplicate from the sweep, or two workers running it at
once do no harm:

- a task for a text that has since moved on (another correction, a deleted article)
  does nothing: the newer text queued its own task;
- the slow part (extraction, hashing the windows) runs before any lock; the result is
  written under a short lock on the article's row (and, for extraction, its suggestions'
  rows first, in the order accepting a suggestion takes them), and only if the article
  still has the text it was worked out from;
- writing is itself idempotent: suggestions already as found are left alone (and
  editors' decisions are always kept), windows already as found are not rewritten.

Where each article stands is kept in `ArticleWork` (one row per kind of work): the
fingerprint of the text last done, and the last failure's short message. A failure is
recorded there, shown on the article page to editors (with "Try again") and in the
admin, and re-raised so django-tasks-db marks the queue entry FAILED.

Nothing is lost when a worker dies mid-task (django-tasks-db leaves its entry RUNNING
and never runs it again) or the queue cannot be reached: `stale()` is every article
whose work is behind its text, one query, and the sweep (`manage.py extract_quotes
--stale`, run by `manage.py run_worker` before it starts working) queues it again.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone

from apps.articles.models import Article
from apps.core import jobs
from apps.core.versions import bump, collecting
from apps.core.versions import key as version_key

from . import shingles, suggesting
from .models import ArticleWork, Suggestion

logger = logging.getLogger(__name__)

Kind = ArticleWork.Kind
ERROR_CHARS = ArticleWork._meta.get_field("error").max_length
FAILED = {Kind.EXTRACTION: "Extraction failed", Kind.INDEXING: "Indexing trails failed"}


@task()
def extract_suggestions(article_id: int, fingerprint: str) -> str:
    """Find the quotes in the article's text (its suggestions), if it is still `fingerprint`."""
    return _run(Kind.EXTRACTION, article_id, fingerprint)


@task()
def index_trails(article_id: int, fingerprint: str) -> str:
    """Index the article's text for quote trails, if it is still `fingerprint`."""
    return _run(Kind.INDEXING, article_id, fingerprint)


TASKS = {Kind.EXTRACTION: extract_suggestions, Kind.INDEXING: index_trails}


def queue(article_id: int, fingerprint: str, kinds=tuple(Kind)) -> None:
    """Queue the work of these kinds for the article's text when the transaction commits."""
    for kind in kinds:
        jobs.after_commit(TASKS[kind], article_id, fingerprint)


def queue_on_save(sender, instance: Article, raw=False, update_fields=None, **kwargs):
    """A new article, or a saved change to its text (Article.save adds `fingerprint` to
    `update_fields` whenever the title or body are in them), queues its work."""
    if raw or (update_fields is not None and "fingerprint" not in update_fields):
        return
    queue(instance.pk, instance.fingerprint)


def _compute(kind, body: str):
    if kind == Kind.EXTRACTION:
        return suggesting.find(body)
    return list(shingles.windows(body))


def _write(kind, article: Article, found) -> None:
    if kind == Kind.EXTRACTION:
        suggesting.refresh_suggestions(article, found)  # bumps the article when it changes
    elif shingles.index_article(article, found):
        bump({"trails"})  # a trail drawn before these windows were written is stale


def _run(kind, article_id: int, fingerprint: str) -> str:
    article = Article.objects.filter(pk=article_id).only("pk", "fingerprint", "body").first()
    if article is None or article.fingerprint != fingerprint:
        return "outdated"  # deleted, or its newer text queued its own task
    if ArticleWork.objects.filter(article_id=article_id, kind=kind, done=fingerprint).exists():
        return "done already"
    try:
        found = _compute(kind, article.body)  # slow: before any lock
        with collecting():  # one transaction; the version counters move as it commits
            if kind == Kind.EXTRACTION:
                # Accepting a suggestion locks it, then the article: take them in that order.
                list(
                    Suggestion.objects.select_for_update()
                    .filter(article_id=article_id)
                    .values_list("pk", flat=True)
                )
            if _locked_fingerprint(article_id) != fingerprint:
                return "outdated"
            _write(kind, article, found)
            _record(article_id, kind, done=fingerprint, failed="", error="", attempts=0)
    except Exception as error:
        logger.exception("%s for article %s", FAILED[kind], article_id)
        _record_failure(kind, article_id, fingerprint, error)
        raise
    return "done"


def _locked_fingerprint(article_id: int) -> str | None:
    """The article's fingerprint, its row locked until the transaction ends."""
    rows = Article.objects.select_for_update().filter(pk=article_id)
    return rows.values_list("fingerprint", flat=True).first()


def _record(article_id: int, kind, **fields) -> None:
    """Write the article's work row (under the article's lock) and move its page."""
    fields["updated_at"] = timezone.now()
    if not ArticleWork.objects.filter(article_id=article_id, kind=kind).update(**fields):
        ArticleWork.objects.create(article_id=article_id, kind=kind, **fields)
    bump({version_key("article", article_id)})


def short_message(error: BaseException) -> str:
    """What an editor is shown of a failure: its message, one line, no traceback."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def _record_failure(kind, article_id: int, fingerprint: str, error: BaseException) -> None:
    try:
        with collecting():
            if _locked_fingerprint(article_id) != fingerprint:
                return  # the text moved on: its own task will say how it went
            work = ArticleWork.objects.filter(article_id=article_id, kind=kind).first()
            repeated = work is not None and work.failed == fingerprint
            attempts = work.attempts + 1 if repeated else 1
            message = short_message(error)
            _record(article_id, kind, failed=fingerprint, error=message, attempts=attempts)
    except Exception:
        logger.exception("Could not record the failure on article %s", article_id)


# What the article page and the sweep read ------------------------------------------------


@dataclass(frozen=True)
class Status:
    """Where the work on one article's current text stands."""

    extraction: str  # "done", "failed" or "pending"
    extraction_error: str = ""
    indexing: str = "done"
    indexing_error: str = ""

    @property
    def failed(self) -> bool:
        return "failed" in (self.extraction, self.indexing)


def status(article_id: int, fingerprint: str) -> Status:
    """The state of each kind of work for the text with this fingerprint (one query)."""
    rows = {w.kind: w for w in ArticleWork.objects.filter(article_id=article_id)}
    states, errors = {}, {}
    for kind in Kind:
        work = rows.get(kind)
        states[kind] = work.state(fingerprint) if work else "pending"
        errors[kind] = work.error if states[kind] == "failed" else ""
    return Status(
        states[Kind.EXTRACTION],
        errors[Kind.EXTRACTION],
        states[Kind.INDEXING],
        errors[Kind.INDEXING],
    )


def try_again(article: Article) -> list[str]:
    """Queue again the work on the article's text that failed or is behind; returns its
    kinds. The failures are cleared from the page (their count is kept) until it runs."""
    with transaction.atomic():
        fingerprint = _locked_fingerprint(article.pk)
        if fingerprint is None:
            return []
        done = set(
            ArticleWork.objects.filter(article_id=article.pk, done=fingerprint).values_list(
                "kind", flat=True
            )
        )
        behind = [kind for kind in Kind if kind not in done]
        ArticleWork.objects.filter(article_id=article.pk, kind__in=behind).update(
            error="", updated_at=timezone.now()
        )
        bump({version_key("article", article.pk)})
        queue(article.pk, fingerprint, behind)
    return behind


def stale(kind):
    """(id, fingerprint) of every article whose work of this kind is behind its text:
    one query, whatever the size of the archive (an index lookup per article)."""
    current = ArticleWork.objects.filter(
        article=OuterRef("pk"), kind=kind, done=OuterRef("fingerprint")
    )
    return Article.objects.filter(~Exists(current)).order_by("pk").values_list("pk", "fingerprint")


def sweep(kind) -> int:
    """Queue the work of this kind on every article whose text it is behind; how many.

    A duplicate of an entry still waiting in the queue costs the worker one query (the
    task finds the work done, or the text moved on), so the sweep need not look there."""
    rows = list(stale(kind))
    for article_id, fingerprint in rows:
        jobs.enqueue(TASKS[kind], article_id, fingerprint)
    return len(rows)
