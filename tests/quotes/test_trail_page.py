import datetime

import pytest
from django.urls import reverse

from apps.quotes.models import Suggestion
from apps.sources.models import Speaker, SpeakerAlias
from tests.conftest import make_article, make_quote

LINE = "We will rebuild every bridge in the valley before the winter floods arrive next year"


def tag(article, speaker=None, text=LINE):
    start = article.body.index(text)
    return make_quote(article, start, start + len(text), speaker=speaker)


@pytest.fixture
def governor(db):
    return Speaker.objects.create(name="Maria Ortiz")


@pytest.fixture
def coverage(governor):
    first = make_article(
        f"The governor said: “{LINE}.” Engineers doubted it.",
        title="Governor promises bridges",
        outlet="Valley Post",
        published=datetime.date(2024, 3, 1),
    )
    second = make_article(
        f"“{LINE.replace('every bridge', 'each bridge').upper()}!” she told a rally.",
        title="Rally cheers",
        outlet="Daily Ledger",
        published=datetime.date(2024, 3, 4),
    )
    quote = tag(first, governor)
    return first, second, quote


def test_the_trail_page_lists_occurrences_with_diff_and_links(viewer_client, coverage):
    _, second, quote = coverage
    response = viewer_client.get(reverse("quotes:trail", args=[quote.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "In 2 articles, first in Valley Post on 1 Mar 2024" in html
    assert f"/articles/{second.pk}/?passage=" in html and "#passage" in html
    assert "near-verbatim" in html and "verbatim" in html
    assert '<del><span class="diff-label">earliest:</span> every</del>' in html
    assert '<ins><span class="diff-label">here:</span> EACH</ins>' in html
    assert quote.get_absolute_url() in html  # back to the quote
    assert "Maria Ortiz" in html
    assert "Credited to different speakers" not in html


def test_the_same_words_credited_to_someone_else_are_flagged(viewer_client, coverage, governor):
    _, second, quote = coverage
    other = Speaker.objects.create(name="Paul Brandt")
    changed = LINE.replace("every bridge", "each bridge").upper()
    tag(second, other, text=changed)
    html = viewer_client.get(reverse("quotes:trail", args=[quote.pk])).content.decode()
    assert "Credited to different speakers" in html
    assert "Paul Brandt" in html and "Maria Ortiz" in html


def test_a_suggested_name_matching_an_alias_is_no_conflict(viewer_client, coverage, governor):
    _, second, quote = coverage
    SpeakerAlias.objects.create(speaker=governor, alias="Governor Ortiz")
    start = second.body.index("WE WILL")
    Suggestion.objects.create(
        article=second, start=start, end=start + 80, exact=second.body[start : start + 80],
        kind="direct", speaker_name="Governor Ortiz", confidence=0.9,
    )  # fmt: skip
    html = viewer_client.get(reverse("quotes:trail", args=[quote.pk])).content.decode()
    assert "Credited to different speakers" not in html
    Suggestion.objects.filter(article=second).update(speaker_name="Someone Else")
    html = viewer_client.get(reverse("quotes:trail", args=[quote.pk])).content.decode()
    assert "Credited to different speakers" in html and "Someone Else" in html


def test_the_quote_panel_says_where_else_and_warns(editor_client, coverage):
    _, second, quote = coverage
    html = editor_client.get(reverse("quotes:edit", args=[quote.pk])).content.decode()
    assert "Also in 1 article, first in Valley Post on 1 Mar 2024" in html
    assert reverse("quotes:trail", args=[quote.pk]) in html
    assert "Credited to different speakers" not in html
    tag(second, Speaker.objects.create(name="Paul Brandt"), LINE.replace("every", "each").upper())
    html = editor_client.get(reverse("quotes:edit", args=[quote.pk])).content.decode()
    assert "Credited to different speakers" in html


def test_the_panel_says_nothing_without_a_trail(editor_client, governor):
    alone = make_article(f"The governor said: “{LINE}.”")
    quote = tag(alone, governor)
    short = make_quote(alone, 0, len("The governor"))
    for q in (quote, short):
        html = editor_client.get(reverse("quotes:edit", args=[q.pk])).content.decode()
        assert "Also in" not in html


def test_the_span_trail_and_its_refusals(viewer_client, coverage):
    first = coverage[0]
    start = first.body.index(LINE)
    url = reverse("quotes:span_trail", args=[first.pk])
    response = viewer_client.get(url, {"start": start, "end": start + len(LINE)})
    assert response.status_code == 200
    assert "In 2 articles" in response.content.decode()
    for bad in ({}, {"start": "x", "end": "9"}, {"start": "²", "end": "3"}, {"start": "5"}):
        response = viewer_client.get(url, bad)
        assert response.status_code == 400
        assert "two whole numbers" in response.content.decode()
    for bad in ({"start": 5, "end": 5}, {"start": 0, "end": 10_000}, {"start": 9, "end": 2}):
        response = viewer_client.get(url, bad)
        assert response.status_code == 400
        assert "is not a span of this article" in response.content.decode()
    assert viewer_client.get(reverse("quotes:span_trail", args=[999999])).status_code == 404
    assert viewer_client.get(reverse("quotes:trail", args=[999999])).status_code == 404


def test_suggestion_cards_link_to_their_trail(editor_client, coverage):
    second = coverage[1]
    Suggestion.objects.filter(article=second).delete()
    start = second.body.index("WE WILL")
    Suggestion.objects.create(
        article=second, start=start, end=start + 80, exact=second.body[start : start + 80],
        kind="direct", speaker_name="", confidence=0.9,
    )  # fmt: skip
    html = editor_client.get(second.get_absolute_url()).content.decode()
    url = reverse("quotes:span_trail", args=[second.pk])
    assert f'{url}?start={start}&amp;end={start + 80}"' in html


@pytest.mark.parametrize("copies", [2, 20])
def test_the_trail_page_costs_the_same_queries_however_many_repeat_it(
    viewer_client, governor, copies, django_assert_num_queries
):
    articles = [
        make_article(
            f"Story {n}: “{LINE}”, said the governor.",
            outlet=f"Outlet {n}",
            published=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(copies)
    ]
    quote = tag(articles[0], governor)
    for article in articles[1:]:
        tag(article, governor)
    url = reverse("quotes:trail", args=[quote.pk])
    viewer_client.get(url)  # the session and roles, as on any page
    # Session and user; the quote; the trail: windows, matches, dates, bodies; the
    # credits: quotes, suggestions (the extractor's "the governor" names nobody).
    with django_assert_num_queries(9):
        response = viewer_client.get(url)
    assert f"In {copies} articles" in response.content.decode()
