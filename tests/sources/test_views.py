from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.quotes.models import Quote
from apps.sources.merging import merge_speakers
from apps.sources.models import Source, Speaker
from tests.conftest import make_article, make_quote


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_speaker_page_lists_their_quotes_with_article_and_source(viewer_client, seeded):
    dillon = Speaker.objects.get(name="Ryan Dillon")
    _, response = _queries(viewer_client, dillon.get_absolute_url())
    html = response.content.decode()
    assert "Combined Joint Task Force" in html
    assert "Colonel Ryan Dillon" in html  # aliases
    quotes = list(Quote.objects.filter(speaker=dillon))
    assert quotes
    for quote in quotes:
        assert quote.get_absolute_url() in html
    assert seeded.title in html


def test_source_page_lists_its_statements(viewer_client, seeded):
    release = Source.objects.get(kind=Source.Kind.PRESS_RELEASE)
    _, response = _queries(viewer_client, release.get_absolute_url())
    assert "We do not condone" in response.content.decode()


def test_speaker_page_query_count_does_not_grow_with_quotes(viewer_client, speaker, source):
    first = make_article("He said “one”.")
    make_quote(first, 8, 13, speaker=speaker, source=source)
    few, _ = _queries(viewer_client, speaker.get_absolute_url())
    for i in range(25):
        make_quote(make_article(f"Item {i}: “more”."), 0, 4, speaker=speaker, source=source)
    many, _ = _queries(viewer_client, speaker.get_absolute_url())
    assert few == many


def test_list_pages_query_count_does_not_grow(viewer_client, db):
    org = Speaker.objects.create(name="Org", kind=Speaker.Kind.ORGANIZATION)
    Speaker.objects.create(name="One", affiliation=org)
    Source.objects.create(title="S1")
    urls = [reverse("sources:speakers"), reverse("sources:sources")]
    few = [_queries(viewer_client, url)[0] for url in urls]
    for i in range(20):
        Speaker.objects.create(name=f"P{i}", affiliation=org)
        Source.objects.create(title=f"S{i + 2}")
    assert [_queries(viewer_client, url)[0] for url in urls] == few


def test_speaker_pages_follow_a_merge_made_after_they_were_shown(viewer_client, seeded):
    dillon = Speaker.objects.get(name="Ryan Dillon")
    braga = Speaker.objects.get(name="Jonathan Braga")
    moved = Quote.objects.get(speaker=braga)
    assert moved.get_absolute_url() not in viewer_client.get(dillon.get_absolute_url()).text
    assert moved.get_absolute_url() in viewer_client.get(braga.get_absolute_url()).text
    merge_speakers(dillon, braga)
    page = viewer_client.get(dillon.get_absolute_url()).text
    assert moved.get_absolute_url() in page
    assert "Jonathan Braga" in page.split("Also known as:")[1].split("</p>")[0]  # now an alias
