"""The import page's feed and web-page forms, and the job page that follows an import."""

import re

import pytest
from django.urls import reverse

from apps.articles import import_jobs
from apps.articles.models import Article, ImportItem, ImportJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fetch_settings")]

FEED = reverse("articles:import_feed")
PAGES = reverse("articles:import_urls")


def squeeze(response) -> str:
    """The page's HTML with each run of white space one space."""
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_import_page_offers_a_feed_and_web_pages(editor_client):
    response = editor_client.get(reverse("articles:import"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{FEED}"' in html and f'action="{PAGES}"' in html
    assert 'name="feed-url"' in html and 'name="pages-urls"' in html
    assert "At most 200 URLs an import." in html


def test_a_feed_import_leads_to_its_job_page_with_the_summary(editor_client, web):
    editor_client.post(PAGES, {"pages-urls": web.url("/pages/article.html")})
    bridge = Article.objects.get()
    response = editor_client.post(FEED, {"feed-url": web.url("/feeds/mixed.rss")})
    job = ImportJob.objects.get(kind="feed")
    assert response.status_code == 302
    assert response["Location"] == f"/articles/import/jobs/{job.pk}/"
    page = editor_client.get(response["Location"])
    html = squeeze(page)
    assert page.status_code == 200
    assert '<progress id="job-bar" max="3" value="3">' in html
    assert "Imported 1, skipped 1 (already in Quotetrail), refused 1." in html
    assert "every 1s" not in html  # finished: no more polling
    floods = Article.objects.get(title="Floods close the river path")
    assert f'Imported as <a href="{floods.get_absolute_url()}">Floods close the river' in html
    assert f'already imported as <a href="{bridge.get_absolute_url()}">Bridge reopens' in html
    assert "Refused: " + web.url("/pages/gone.html") + ": the server answered HTTP 404" in html


def test_a_duplicate_links_to_the_article_already_there(editor_client, web):
    editor_client.post(PAGES, {"pages-urls": web.url("/pages/third.html")})
    response = editor_client.post(FEED, {"feed-url": web.url("/feeds/feed.atom")}, follow=True)
    html = squeeze(response)
    existing = Article.objects.get()
    assert "Imported 0, skipped 1 (already in Quotetrail), refused 0" in html
    assert re.search(
        rf'already imported as <a href="{existing.get_absolute_url()}">Floods close', html
    )


def test_a_running_job_is_polled_until_it_ends(editor_client, editor, web):
    job = import_jobs.create_urls_job(
        [web.url("/pages/article.html"), web.url("/pages/second.html")], editor, background=False
    )
    url = job.get_absolute_url()
    html = squeeze(editor_client.get(url))
    assert "Queued: 0 of 2" in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    import_jobs._process(job, job.items.get(position=0))
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    partial = editor_client.get(url, headers={"HX-Request": "true"})
    fragment = squeeze(partial)
    assert fragment.lstrip().startswith('<div id="job-progress"')
    assert "<html" not in fragment
    assert "Running: 1 of 2" in fragment and 'value="1"' in fragment and "1 to go" in fragment
    assert 'hx-trigger="every 1s"' in fragment
    import_jobs.run(job.pk)
    fragment = squeeze(editor_client.get(url, headers={"HX-Request": "true"}))
    assert "Done: 2 of 2" in fragment and "hx-trigger" not in fragment
    assert "Imported 2, skipped 0 (already in Quotetrail), refused 0." in fragment


def test_a_failed_job_says_why(editor_client, web):
    response = editor_client.post(FEED, {"feed-url": web.url("/feeds/empty.rss")}, follow=True)
    html = response.content.decode()
    assert 'id="job-error"' in html and "the feed has no entries" in html
    assert ImportJob.objects.get().status == "failed"


def test_recent_jobs_are_listed_on_the_import_page(editor_client, web):
    editor_client.post(FEED, {"feed-url": web.url("/feeds/feed.atom")})
    job = ImportJob.objects.get()
    html = editor_client.get(reverse("articles:import")).content.decode()
    assert f'<a href="{job.get_absolute_url()}">#{job.pk}</a>' in html
    assert "Riverside Courier (Atom)" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"feed-url": ""}, "This field is required."),
        ({"feed-url": "not a url"}, "is not a URL"),
        ({"feed-url": "ftp://example.org/feed.xml"}, "only http:// and https:// URLs"),
        ({"feed-url": "https://user:pw@example.org/f"}, "put no user name or password"),
        ({}, "This field is required."),
    ],
)
def test_a_bad_feed_url_is_refused_and_nothing_written(editor_client, data, message):
    response = editor_client.post(FEED, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists() and not Article.objects.exists()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("", "This field is required."),
        ("\n \n", "This field is required."),
        ("https://example.org/a\nftp://example.org/b", "Line 2: "),
        ("javascript:alert(1)", "only http:// and https:// URLs"),
    ],
)
def test_bad_page_urls_are_refused_and_nothing_written(editor_client, lines, message):
    response = editor_client.post(PAGES, {"pages-urls": lines})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists() and not ImportItem.objects.exists()


def test_too_many_urls_are_refused(editor_client, settings):
    settings.QUOTETRAIL_IMPORT_MAX_URLS = 3
    lines = "\n".join(f"https://example.org/{i}" for i in range(4))
    response = editor_client.post(PAGES, {"pages-urls": lines})
    assert response.status_code == 400
    assert "4 URLs; one import takes at most 3. Split the list." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_repeated_urls_are_one_item(editor_client, web):
    url = web.url("/pages/third.html")
    editor_client.post(PAGES, {"pages-urls": f"{url}\n{url}#comments\n{url}"})
    assert ImportItem.objects.count() == 1


def test_in_production_a_loopback_feed_is_refused_at_once(editor_client, web, settings):
    settings.QUOTETRAIL_FETCH_ALLOW_PRIVATE = False
    response = editor_client.post(FEED, {"feed-url": web.url("/feeds/feed.rss")})
    assert response.status_code == 400
    assert "not a public address" in response.content.decode()
    assert not ImportJob.objects.exists() and web.requests == []


def test_viewers_and_reviewers_are_refused_on_every_request(
    viewer_client, reviewer, client, web, editor
):
    job = import_jobs.create_urls_job([web.url("/pages/third.html")], editor)
    count = Article.objects.count()
    for c in (viewer_client, client.__class__()):
        if c is not viewer_client:
            c.force_login(reviewer)
        assert c.post(FEED, {"feed-url": web.url("/feeds/feed.rss")}).status_code == 403
        assert c.post(PAGES, {"pages-urls": web.url("/pages/article.html")}).status_code == 403
        assert c.get(job.get_absolute_url()).status_code == 403
        assert c.get(job.get_absolute_url(), headers={"HX-Request": "true"}).status_code == 403
    assert ImportJob.objects.count() == 1 and Article.objects.count() == count


def test_the_forms_are_post_only_and_a_missing_job_is_404(editor_client):
    assert editor_client.get(FEED).status_code == 405
    assert editor_client.get(PAGES).status_code == 405
    assert editor_client.get("/articles/import/jobs/999999/").status_code == 404
