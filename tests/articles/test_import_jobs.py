"""Bulk imports from the web: a job's items, its summary, and running it again safely."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from apps.articles import fetching, import_jobs
from apps.articles.models import Article, ImportItem, ImportJob
from tests.conftest import make_article, run_worker_once

pytestmark = pytest.mark.usefixtures("fetch_settings")


def states(job) -> list[tuple[str, str]]:
    return list(job.items.order_by("position").values_list("url", "state"))


@pytest.mark.django_db
def test_a_feed_is_imported_entry_by_entry(web, editor):
    job = import_jobs.create_feed_job(web.url("/feeds/feed.rss"), editor)
    job.refresh_from_db()
    assert job.status == "done" and job.title == "Riverside Courier: News" and job.error == ""
    assert import_jobs.counts(job) == {
        "total": 2,
        "processed": 2,
        "imported": 2,
        "skipped": 0,
        "refused": 0,
        "pending": 0,
    }
    bridge = Article.objects.get(url=web.url("/pages/article.html"))
    assert bridge.title == "Bridge reopens after repairs" and bridge.created_by == editor
    assert bridge.outlet == "Riverside Courier" and bridge.byline == "Maria Lopez"
    assert "COMMENT" not in bridge.body and "ADVERT" not in bridge.body
    assert Article.objects.get(url=web.url("/pages/second.html")).byline == "Sam Okafor"
    assert [i.article for i in job.items.order_by("position")] == [
        bridge,
        Article.objects.get(url=web.url("/pages/second.html")),
    ]


@pytest.mark.django_db
def test_a_feed_longer_than_the_cap_is_cut_and_says_so(web, editor, settings):
    settings.QUOTETRAIL_IMPORT_MAX_URLS = 1
    job = import_jobs.create_feed_job(web.url("/feeds/feed.rss"), editor)
    job.refresh_from_db()
    assert states(job) == [(web.url("/pages/article.html"), "imported")]
    assert job.note == "The feed links to 2 articles; the first 1 are imported."


@pytest.mark.django_db
def test_one_good_one_duplicate_one_broken_link(web, editor):
    import_jobs.create_feed_job(web.url("/feeds/feed.rss"), editor)  # the bridge is in
    before = Article.objects.count()
    web.requests.clear()
    job = import_jobs.create_feed_job(web.url("/feeds/mixed.rss"), editor)
    job.refresh_from_db()
    assert job.status == "done"
    counts = import_jobs.counts(job)
    assert (counts["imported"], counts["skipped"], counts["refused"]) == (1, 1, 1)
    imported, skipped, refused = job.items.order_by("position")
    assert imported.state == "imported" and imported.article.title == "Floods close the river path"
    existing = Article.objects.get(url=web.url("/pages/article.html"))
    assert skipped.state == "skipped" and skipped.article == existing
    assert skipped.message == f"Already imported as article #{existing.pk} “{existing.title}”."
    assert refused.state == "refused" and refused.article is None
    assert refused.message.endswith("the server answered HTTP 404 Not Found.")
    assert Article.objects.count() == before + 1
    # The duplicate was known by its URL: never fetched again.
    assert "/pages/article.html" not in web.requests


@pytest.mark.django_db
def test_the_same_article_under_another_url_is_a_skip(web, editor):
    first = import_jobs.create_urls_job([web.url("/pages/second.html")], editor)
    again = import_jobs.create_urls_job([web.url("/moved")], editor)  # redirects to it
    assert states(first) == [(web.url("/pages/second.html"), "imported")]
    [item] = again.items.all()
    assert item.state == "skipped" and item.article == first.items.get().article


@pytest.mark.django_db
def test_running_a_job_again_imports_nothing_twice(web, editor):
    job = import_jobs.create_urls_job(
        [web.url("/pages/article.html"), web.url("/pages/third.html")], editor
    )
    assert Article.objects.count() == 2
    requests = len(web.requests)
    # As if the queue ran it again (a duplicate entry, a retried task): nothing to do.
    assert import_jobs.run(job.pk) is None
    # As if a worker had died mid-job: the job still running, one item written.
    ImportJob.objects.filter(pk=job.pk).update(status="running", finished_at=None)
    ImportItem.objects.filter(job=job, position=1).update(state="pending", article=None)
    Article.objects.filter(url=web.url("/pages/third.html")).delete()
    assert import_jobs.resume_unfinished() == [job.pk]
    job.refresh_from_db()
    assert job.status == "done"
    assert Article.objects.count() == 2
    assert web.requests[requests:] == ["/pages/third.html"]  # only the pending item fetched
    assert [s for _, s in states(job)] == ["imported", "imported"]


@pytest.mark.django_db
def test_an_item_already_written_by_another_run_is_left_alone(web, editor, monkeypatch):
    """Two runs of one job at once: the item is locked and checked still pending before
    anything is written."""
    job = import_jobs.create_urls_job([web.url("/pages/third.html")], editor, background=False)
    item = job.items.get()
    real_read = fetching.read_page

    def read_while_another_run_finishes(url):
        page = real_read(url)
        other = make_article(title="Written by the other run")
        ImportItem.objects.filter(pk=item.pk).update(state="imported", article=other)
        return page

    monkeypatch.setattr(fetching, "read_page", read_while_another_run_finishes)
    import_jobs.run(job.pk)
    item.refresh_from_db()
    assert item.article.title == "Written by the other run"
    assert not Article.objects.filter(url=web.url("/pages/third.html")).exists()


@pytest.mark.django_db
def test_a_crash_is_recorded_and_the_job_can_be_retried(web, editor, monkeypatch):
    urls = [web.url("/pages/article.html"), web.url("/pages/second.html")]
    job = import_jobs.create_urls_job(urls, editor, background=False)
    real_read = fetching.read_page

    def crash_on_second(url):
        if url.endswith("second.html"):
            raise RuntimeError("parser exploded")
        return real_read(url)

    monkeypatch.setattr(fetching, "read_page", crash_on_second)
    import_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith("Stopped by an unexpected error (RuntimeError)")
    assert f"import_jobs --retry {job.pk}" in job.error
    assert [s for _, s in states(job)] == ["imported", "pending"]
    assert import_jobs.resume_unfinished() == []  # a failed job waits to be retried
    monkeypatch.setattr(fetching, "read_page", real_read)
    call_command("import_jobs", retry=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""
    assert [s for _, s in states(job)] == ["imported", "imported"]
    with pytest.raises(CommandError, match="is done, not failed"):
        call_command("import_jobs", retry=job.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/feeds/empty.rss", "the feed has no entries"),
        ("/pages/article.html", "not an RSS or Atom feed (text/html)"),
        ("/loop-a", "the redirects go round in a loop"),
        ("/slow", "no answer within 1 s"),
    ],
)
def test_a_feed_that_cannot_be_read_fails_the_job_with_the_reason(web, editor, path, reason):
    job = import_jobs.create_feed_job(web.url(path), editor)
    job.refresh_from_db()
    assert job.status == "failed" and reason in job.error
    assert not job.items.exists() and not Article.objects.exists()


@pytest.mark.django_db
def test_a_feed_link_too_long_to_keep_is_refused_not_cut(web, editor):
    job = import_jobs.create_feed_job(web.url("/long-link.rss"), editor)
    long, floods = job.items.order_by("position")
    assert long.state == "refused" and "characters long; at most 1,000 are fetched" in long.message
    assert floods.state == "imported"
    assert web.requests.count("/pages/third.html") == 1  # the cut link was never fetched


@pytest.mark.django_db
def test_page_refusals_are_recorded_item_by_item(web, editor):
    paths = ["/empty", "/huge", "/image.png", "/report.pdf", "/loop-a", "/slow"]
    job = import_jobs.create_urls_job([web.url(p) for p in paths], editor)
    job.refresh_from_db()
    assert job.status == "done"
    messages = list(job.items.order_by("position").values_list("state", "message"))
    assert [state for state, _ in messages] == ["refused"] * len(paths)
    expected = [
        "empty page",
        "more than the 256 KB",
        "not an HTML page (image/png)",
        "not an HTML page (application/pdf)",
        "loop",
        "no answer within 1 s",
    ]
    for (_, message), part in zip(messages, expected, strict=True):
        assert part in message
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_in_production_every_page_on_loopback_is_refused(web, editor, settings):
    settings.QUOTETRAIL_FETCH_ALLOW_PRIVATE = False
    job = import_jobs.create_urls_job([web.url("/pages/article.html")], editor)
    [item] = job.items.all()
    assert item.state == "refused" and "not a public address" in item.message
    assert web.requests == []


@pytest.mark.queue
@pytest.mark.django_db(transaction=True)
def test_the_job_is_queued_when_its_transaction_commits_and_run_by_the_worker(web, editor):
    with transaction.atomic():
        job = import_jobs.create_feed_job(web.url("/feeds/feed.atom"), editor)
        assert not DBTaskResult.objects.exists()
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "apps.articles.tasks.run_import_job"
    assert queued.args_kwargs["args"] == [job.pk]
    job.refresh_from_db()
    assert job.status == "queued"
    run_worker_once()
    job.refresh_from_db()
    assert job.status == "done" and states(job) == [(web.url("/pages/third.html"), "imported")]
    queued = DBTaskResult.objects.get(pk=queued.pk)
    assert queued.status == "SUCCESSFUL" and queued.return_value == "done"


@pytest.mark.queue
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_transaction_rolls_back_is_never_queued(web, editor):
    with pytest.raises(RuntimeError), transaction.atomic():
        import_jobs.create_feed_job(web.url("/feeds/feed.atom"), editor)
        raise RuntimeError("the request failed")
    assert not ImportJob.objects.exists() and not DBTaskResult.objects.exists()


# --- the command line -------------------------------------------------------------------


@pytest.mark.django_db
def test_import_feed_command_prints_the_summary(web, capsys):
    call_command("import_feed", web.url("/feeds/feed.rss"))
    out, err = capsys.readouterr()
    assert "imported 2, skipped 0 (already in Quotetrail), refused 0." in out
    assert "Bridge reopens after repairs" in out
    assert "2/2" in err  # the progress bar
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_import_urls_command_reads_a_file_and_fails_when_everything_is_refused(
    web, tmp_path, capsys
):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# morning\n{web.url('/image.png')}\n\n{web.url('/pages/gone.html')}\n")
    with pytest.raises(CommandError, match="Every page was refused"):
        call_command("import_urls", file=listing, no_progress=True)
    out = capsys.readouterr().out
    assert "refused 2." in out and "not an HTML page (image/png)" in out and "HTTP 404" in out
    call_command("import_urls", web.url("/pages/third.html"), web.url("/image.png"))
    assert "imported 1, skipped 0 (already in Quotetrail), refused 1." in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://example.org/a"], "only http:// and https:// URLs"),
        (["not a url"], "is not a URL"),
        ([], "No URLs given"),
    ],
)
def test_import_urls_command_refuses_bad_input_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_urls", *args)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_import_feed_command_fails_on_a_feed_it_cannot_read(web):
    with pytest.raises(CommandError, match="not an RSS or Atom feed"):
        call_command("import_feed", web.url("/pages/article.html"), no_progress=True)
