import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.quotes.models import Quote
from apps.sources.models import Source, Speaker
from tests.conftest import make_article


def test_anonymous_reader_is_sent_to_login(client, seeded):
    response = client.get(seeded.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_article_page_highlights_every_seed_quote(viewer_client, seeded):
    html = viewer_client.get(seeded.get_absolute_url()).content.decode()
    quotes = list(Quote.objects.filter(article=seeded))
    assert quotes
    for quote in quotes:
        assert f'id="q-{quote.pk}"' in html
        assert f'id="qi-{quote.pk}"' in html
    assert html.count('class="anchor"') == len(quotes)


def test_side_panel_groups_quotes_by_speaker_with_kind_and_source(viewer_client, seeded):
    response = viewer_client.get(seeded.get_absolute_url())
    groups = {g.speaker.name: g for g in response.context["reading"].groups}
    assert (
        len(groups["Ryan Dillon"].quotes)
        == Quote.objects.filter(speaker__name="Ryan Dillon").count()
    )
    assert groups["BBC"].number == 1  # the BBC is the first to be reported
    html = response.content.decode()
    release = Source.objects.get(kind=Source.Kind.PRESS_RELEASE)
    assert f'href="{release.get_absolute_url()}"' in html
    assert "Indirect / paraphrase" in html


def test_unattributed_quotes_are_listed_last_and_counted(viewer_client, speaker):
    article = make_article("A “b” c “d”.")
    for start, end, who in ((2, 5, None), (8, 11, speaker)):
        q = Quote(article=article, speaker=who)
        q.anchor(start, end)
        q.save()
    reading = viewer_client.get(article.get_absolute_url()).context["reading"]
    assert [g.speaker for g in reading.groups] == [speaker, None]
    assert reading.unattributed_count == 1


def test_body_markup_is_shown_as_text(viewer_client):
    article = make_article('<img src=x onerror="alert(1)"> said “hi”')
    html = viewer_client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_missing_article_is_404(viewer_client, db):
    assert viewer_client.get(reverse("quotes:article", args=[999])).status_code == 404


def _article_with_quotes(n: int):
    words = [f"w{i:04d}" for i in range(n)]
    article = make_article(" ".join(words), title=f"{n} quotes")
    org = Speaker.objects.create(name=f"Org {n}", kind=Speaker.Kind.ORGANIZATION)
    speakers = [Speaker.objects.create(name=f"S{n}-{i}", affiliation=org) for i in range(7)]
    sources = [Source.objects.create(title=f"Src{n}-{i}") for i in range(5)]
    quotes = []
    for i in range(n):
        q = Quote(article=article, speaker=speakers[i % 7], source=sources[i % 5], kind="direct")
        q.anchor(i * 6, i * 6 + 5)
        quotes.append(q)
    Quote.objects.bulk_create(quotes)
    return article


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
def test_article_page_query_count_is_the_same_for_5_and_500_quotes(viewer_client):
    small = _article_with_quotes(5)
    large = _article_with_quotes(500)
    small_count, _ = _queries(viewer_client, small.get_absolute_url())
    large_count, response = _queries(viewer_client, large.get_absolute_url())
    assert small_count == large_count
    assert len(re.findall(r'class="anchor"', response.content.decode())) == 500


def test_a_second_reading_is_served_from_the_rendered_regions(viewer_client, seeded):
    url = seeded.get_absolute_url()
    first = viewer_client.get(url)
    with CaptureQueriesContext(connection) as warm:
        second = viewer_client.get(url)

    def without_tokens(response):  # CSRF tokens are masked afresh on every response
        return re.sub(r'"X-CSRFToken": "[^"]+"|value="[^"]{64}"', "", response.content.decode())

    assert without_tokens(second) == without_tokens(first)
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    assert "quotes_quote" not in tables.replace("quotes_historicalquote", "")


@pytest.mark.parametrize("change", ["rename speaker", "retitle source", "edit quote", "delete"])
def test_the_page_shows_every_change_made_after_it_was_rendered(viewer_client, seeded, change):
    url = seeded.get_absolute_url()
    before = viewer_client.get(url).content.decode()
    quote = Quote.objects.filter(article=seeded, speaker__name="Ryan Dillon").first()
    if change == "rename speaker":
        quote.speaker.name = "Col. Ryan S. Dillon"
        quote.speaker.save()
        expected, gone = "Col. Ryan S. Dillon", None
    elif change == "retitle source":
        source = Source.objects.filter(quotes__article=seeded).first()
        source.title = "A retitled source"
        source.save()
        expected, gone = "A retitled source", None
    elif change == "edit quote":
        quote.cue = "insisted"
        quote.save()
        expected, gone = "<em>insisted</em>", None
    else:
        expected, gone = None, f'id="q-{quote.pk}"'  # named before the delete clears pk
        quote.delete()
    html = viewer_client.get(url).content.decode()
    if expected:
        assert expected not in before and expected in html
    if gone:
        assert gone in before and gone not in html


def test_a_dismissed_suggestion_leaves_the_page_it_was_shown_on(editor_client, db):
    article = make_article('The mayor said: "We will rebuild the bridge by spring."')
    page = editor_client.get(article.get_absolute_url()).content.decode()
    suggestion = article.suggestions.get()
    assert f'id="suggestion-{suggestion.pk}"' in page
    editor_client.post(reverse("quotes:suggestion_decide", args=[suggestion.pk, "dismiss"]))
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert f'id="suggestion-{suggestion.pk}"' not in page
