"""Extraction and trail indexing run on the task queue once the write that needs them
commits; the tasks are idempotent, failures show, and the sweep finds lost work."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from apps.articles.importing import Metadata, create_article
from apps.quotes import tasks
from apps.quotes.correction import correct_body
from apps.quotes.models import ArticleWork, Shingle, Suggestion
from tests.conftest import make_user, run_worker_once

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]

BODY = (
    "Fans cheered all night in the square.\n\n"
    '"We won it for the city," coach Pat Riley said after the match.\n\n'
    '"Nobody expected this," Sam Stone, the team captain, said.'
)
EXTRACT = "apps.quotes.tasks.extract_suggestions"
INDEX = "apps.quotes.tasks.index_trails"


def imported(title="Cup final", body=BODY):
    return create_article(title, body, Metadata())


def queued():
    return sorted(
        (r.task_path, r.args_kwargs["args"]) for r in DBTaskResult.objects.filter(status="READY")
    )


def state(article):
    article.refresh_from_db()
    return tasks.status(article.pk, article.fingerprint)


def test_an_import_queues_its_work_when_it_commits_and_the_worker_does_it():
    with transaction.atomic():
        article = imported()
        assert not DBTaskResult.objects.exists()  # not before the commit
    args = [article.pk, article.fingerprint]
    assert queued() == [(EXTRACT, args), (INDEX, args)]
    # The request did none of it.
    assert not Suggestion.objects.exists() and not Shingle.objects.exists()
    assert state(article).extraction == "pending"

    run_worker_once()
    assert {r.status for r in DBTaskResult.objects.all()} == {"SUCCESSFUL"}
    assert any("We won it for the city" in s.exact for s in Suggestion.objects.all())
    assert Shingle.objects.filter(article=article).count() > 0
    assert state(article) == tasks.Status("done", "", "done", "")


def test_a_rolled_back_import_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        imported()
        raise RuntimeError("the import fails after the article was written")
    assert not DBTaskResult.objects.exists()


def test_running_the_work_twice_leaves_the_same_suggestions_and_keeps_decisions():
    article = imported()
    run_worker_once()
    editor = make_user("edna", "editor")
    dismissed = next(s for s in Suggestion.objects.all() if "Nobody expected" in s.exact)
    dismissed.status, dismissed.decided_by = "dismissed", editor
    dismissed.save()
    before = sorted(Suggestion.objects.values_list("pk", "start", "end", "status"))
    windows = sorted(Shingle.objects.values_list("pk", "hash"))
    # Work that forgot it was done (a worker killed before it said so) is done again,
    # writing nothing new; a duplicate queue entry (the sweep, a retry) then finds it done.
    ArticleWork.objects.all().delete()
    tasks.queue(article.pk, article.fingerprint)
    tasks.queue(article.pk, article.fingerprint)
    run_worker_once()
    assert sorted(Suggestion.objects.values_list("pk", "start", "end", "status")) == before
    assert sorted(Shingle.objects.values_list("pk", "hash")) == windows
    assert [r.return_value for r in DBTaskResult.objects.order_by("enqueued_at")][2:] == [
        "done",
        "done",
        "done already",
        "done already",
    ]
    assert state(article).extraction == "done"


def test_two_workers_doing_the_same_work_at_once_write_it_once():
    article = imported()
    # The second task's slow part ran while the first wrote; its write finds it done.
    found = tasks._compute(tasks.Kind.EXTRACTION, article.body)
    tasks.extract_suggestions.call(article.pk, article.fingerprint)
    with transaction.atomic():
        assert tasks._locked_fingerprint(article.pk) == article.fingerprint
        tasks._write(tasks.Kind.EXTRACTION, article, found)
    assert Suggestion.objects.count() == len(found)


def test_work_for_a_text_that_moved_on_does_nothing():
    article = imported()
    old = article.fingerprint
    correct_body(article.pk, old, article.title, BODY + '\n\n"A late line," he said.')
    article.refresh_from_db()
    assert tasks.extract_suggestions.call(article.pk, old) == "outdated"
    assert tasks.index_trails.call(article.pk, old) == "outdated"
    assert not Suggestion.objects.exists() and not Shingle.objects.exists()
    run_worker_once()  # the correction's own work
    assert any("A late line" in s.exact for s in Suggestion.objects.all())
    assert state(article).extraction == "done"


@pytest.fixture
def failing_extraction(monkeypatch):
    def broken(_text):
        raise RuntimeError("extractor bug\n  at line 3")

    monkeypatch.setattr("apps.quotes.suggesting.extract", broken)
    return monkeypatch


def test_a_failing_extraction_is_recorded_shown_and_tried_again(failing_extraction, client):
    article = imported()
    run_worker_once()
    failed = DBTaskResult.objects.get(task_path=EXTRACT)
    assert failed.status == "FAILED" and "RuntimeError" in failed.exception_class_path
    work = ArticleWork.objects.get(article=article, kind="extraction")
    assert (work.error, work.attempts, work.failed) == (
        "extractor bug at line 3",
        1,
        article.fingerprint,
    )
    assert state(article).indexing == "done"  # the other work is not held back

    client.force_login(make_user("edna", "editor"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Finding quotes failed: extractor bug at line 3" in html
    assert "Traceback" not in html and 'hx-trigger="every 2s"' not in html
    retry = reverse("quotes:work_retry", args=[article.pk])
    assert f'action="{retry}"' in html and "Try again" in html

    viewer = make_user("vic", "viewer")
    client.force_login(viewer)
    assert client.post(retry).status_code == 403
    assert client.get(retry).status_code == 403  # the role is checked before the method
    client.force_login(make_user("rui", "reviewer"))  # sees the failure, cannot retry
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Finding quotes failed" in html and "An editor can try again" in html
    assert client.post(retry).status_code == 403
    assert not DBTaskResult.objects.filter(status="READY").exists()

    client.force_login(make_user("ed2", "editor"))
    response = client.post(retry, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Finding quotes in this article…" in response.content.decode()
    assert queued() == [(EXTRACT, [article.pk, article.fingerprint])]
    assert state(article).extraction == "pending"

    run_worker_once()  # still broken: a second failure
    assert ArticleWork.objects.get(article=article, kind="extraction").attempts == 2
    failing_extraction.undo()
    client.post(retry)
    run_worker_once()
    work = ArticleWork.objects.get(article=article, kind="extraction")
    assert (work.error, work.attempts, work.done) == ("", 0, article.fingerprint)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "failed" not in html and "We won it for the city" in html


def test_the_page_says_quotes_are_being_found_and_polls_until_they_are(client):
    article = imported()
    client.force_login(make_user("edna", "editor"))
    panel = reverse("quotes:suggestions_panel", args=[article.pk])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Finding quotes in this article…" in html
    assert f'hx-get="{panel}" hx-trigger="every 2s" hx-swap="outerHTML"' in html
    assert "No open suggestions" not in html
    polled = client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert polled.lstrip().startswith('<section class="suggestions"')
    assert 'hx-trigger="every 2s"' in polled

    run_worker_once()
    polled = client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert "Finding quotes" not in polled and 'hx-trigger="every 2s"' not in polled
    assert "We won it for the city" in polled  # the page's cached panel moved with the work
    html = client.get(article.get_absolute_url()).content.decode()
    assert "We won it for the city" in html and "every 2s" not in html

    client.force_login(make_user("vic", "viewer"))
    assert client.get(panel, headers={"HX-Request": "true"}).status_code == 403
    assert "Finding quotes" not in client.get(article.get_absolute_url()).content.decode()


def test_the_panel_for_an_unknown_article_is_404(client):
    client.force_login(make_user("edna", "editor"))
    assert client.get(reverse("quotes:suggestions_panel", args=[999])).status_code == 404
    assert client.post(reverse("quotes:work_retry", args=[999])).status_code == 404


def test_the_sweep_queues_what_is_behind_and_costs_the_same_however_many_articles():
    current = imported()
    run_worker_once()
    DBTaskResult.objects.all().delete()

    def sweep_queries():
        with CaptureQueriesContext(connection) as captured:
            call_command("extract_quotes", stale=True, stdout=io.StringIO())
            call_command("index_trails", stale=True, stdout=io.StringIO())
        return len(captured.captured_queries)

    assert sweep_queries() == 2 and not DBTaskResult.objects.exists()  # all up to date
    for n in range(10):
        imported(f"Filler {n}", f"Nothing said here {n}.")
    run_worker_once()
    DBTaskResult.objects.all().delete()
    assert sweep_queries() == 2 and not DBTaskResult.objects.exists()

    # Work lost: a queue entry never written, and a worker killed mid-task.
    behind = imported("Lost", 'The mayor said "it was lost".')
    DBTaskResult.objects.all().delete()
    ArticleWork.objects.filter(article=current, kind="indexing").update(done="")
    assert sweep_queries() == 2 + 3  # one entry per article and kind behind
    assert queued() == sorted(
        [
            (EXTRACT, [behind.pk, behind.fingerprint]),
            (INDEX, [behind.pk, behind.fingerprint]),
            (INDEX, [current.pk, current.fingerprint]),
        ]
    )


def test_the_worker_sweeps_as_it_starts():
    article = imported()
    # A worker killed mid-task: its entry stays RUNNING and no worker takes it again.
    DBTaskResult.objects.filter(task_path=EXTRACT).update(status="RUNNING")
    DBTaskResult.objects.filter(task_path=INDEX).delete()  # and one never queued
    out = io.StringIO()
    call_command(
        "run_worker", batch=True, reload=False, startup_delay=False, stdout=out, verbosity=0
    )
    text = out.getvalue()
    assert "1 article(s) queued for finding quotes" in text
    assert "1 article(s) queued for indexing" in text
    assert "due deliveries queued" in text
    assert state(article) == tasks.Status("done", "", "done", "")
    assert Suggestion.objects.exists() and Shingle.objects.filter(article=article).exists()


def test_extract_quotes_wants_files_or_stale():
    with pytest.raises(CommandError, match="text files"):
        call_command("extract_quotes")
    with pytest.raises(CommandError, match="not both"):
        call_command("extract_quotes", "a.txt", stale=True)


def test_a_title_change_keeps_the_work_done_without_rewriting_it():
    article = imported()
    run_worker_once()
    windows = sorted(Shingle.objects.values_list("pk", flat=True))
    suggestions = sorted(Suggestion.objects.values_list("pk", flat=True))
    article.title = "Cup final, retitled"
    article.save(update_fields=["title"])
    assert queued() == sorted(
        [(EXTRACT, [article.pk, article.fingerprint]), (INDEX, [article.pk, article.fingerprint])]
    )
    run_worker_once()
    assert sorted(Shingle.objects.values_list("pk", flat=True)) == windows
    assert sorted(Suggestion.objects.values_list("pk", flat=True)) == suggestions
    assert state(article) == tasks.Status("done", "", "done", "")


def test_a_trail_kept_before_the_indexing_is_drawn_again_after_it():
    from apps.quotes.trails import kept_trail

    line = "the bridge will open on monday whatever the council decides"
    first = imported("First", f'The mayor said "{line}".')
    run_worker_once()
    start = first.body.index(line)
    second = imported("Second", f'Again, the mayor said "{line}".')
    assert kept_trail(first.pk, start, start + len(line)).total == 1  # not indexed yet
    run_worker_once()
    assert kept_trail(first.pk, start, start + len(line)).total == 2
    assert second.pk in {
        o.article for o in kept_trail(first.pk, start, start + len(line)).occurrences
    }
