"""An editor imports a feed served on loopback and follows the job's page to its end."""

import pytest
from playwright.sync_api import expect

from apps.articles import import_jobs
from apps.articles.models import Article, ImportJob
from tests.articles.conftest import fetch_settings, web  # noqa: F401 (fixtures)
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fetch_settings"),
]


def import_feed(page, url):
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Feed URL").fill(url)
    page.get_by_role("button", name="Import the feed").click()


def test_an_editor_imports_a_feed_and_reads_the_summary(login, live_server, web):  # noqa: F811
    make_user("edna", "editor")
    page = login("edna")
    import_feed(page, web.url("/feeds/mixed.rss"))
    job = ImportJob.objects.get()
    expect(page).to_have_url(f"{live_server.url}/articles/import/jobs/{job.pk}/")
    bar = page.locator("progress#job-bar")
    expect(bar).to_have_attribute("max", "3")
    expect(bar).to_have_attribute("value", "3")
    expect(page.locator("#job-counts")).to_contain_text(
        "Imported 2, skipped 0 (already in Quotetrail), refused 1."
    )
    expect(page.locator("#job-items")).to_contain_text("the server answered HTTP 404 Not Found")
    page.get_by_role("link", name="Floods close the river path").click()
    floods = Article.objects.get(title="Floods close the river path")
    expect(page).to_have_url(f"{live_server.url}{floods.get_absolute_url()}")
    expect(page.locator("body")).not_to_contain_text("COMMENT")


@pytest.mark.queue
def test_the_job_page_follows_a_job_the_worker_runs(login, live_server, web):  # noqa: F811
    make_user("edna", "editor")
    page = login("edna")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    import_feed(page, web.url("/feeds/feed.rss"))
    job = ImportJob.objects.get()
    progress = page.locator("#job-progress")
    expect(progress).to_have_attribute("data-status", "queued")  # on the queue, not run yet
    expect(page.locator("#job-bar")).to_have_attribute("value", "0")
    import_jobs.run(job.pk)  # what the worker does; the page is not reloaded
    expect(progress).to_have_attribute("data-status", "done", timeout=5000)
    expect(page.locator("#job-bar")).to_have_attribute("value", "2")
    expect(page.locator("#job-counts")).to_contain_text("Imported 2, skipped 0")
    expect(page.get_by_role("link", name="Bridge reopens after repairs")).to_be_visible()
    assert errors == []
