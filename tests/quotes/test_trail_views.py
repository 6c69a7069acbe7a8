import datetime

import pytest
from django.core.cache import caches
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
    suggestion = Suggestion.objects.create(
        article=second, start=start, end=start + 80, exact=second.body[start : start + 80],
        kind="direct", speaker_name="Governor Ortiz", confidence=0.9,
    )  # fmt: skip
    html = viewer_client.get(reverse("quotes:trail", args=[quote.pk])).content.decode()
    assert "Credited to different speakers" not in html
    Suggestion.objects.filter(article=second).exclude(pk=suggestion.pk).delete()
    suggestion.speaker_name = "Someone Else"
    suggestion.save()
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
    viewer_client.get(reverse("quotes:article", args=[articles[0].pk]))  # session, roles
    caches["default"].clear()
    # Session and user; the quote; the trail's counter and the trail: windows, matches,
    # dates, bodies; the credits' counters and the credits: quotes, suggestions (the
    # extractor's "the governor" names nobody).
    with django_assert_num_queries(11):
        response = viewer_client.get(url)
    assert f"In {copies} articles" in response.content.decode()
    # Read again, the trail and its credits are kept: only their counters are read.
    with django_assert_num_queries(5):
        again = viewer_client.get(url)
    shown = response.content.decode()
    assert again.content.decode().count("<tr") == shown.count("<tr") == copies + 1


def test_a_speakers_statements_repeated_most(viewer_client, governor, django_assert_num_queries):
    other_line = "The budget for the new schools will double within the next three years"
    home = make_article(
        f"The governor said: “{LINE}.” Later: “{other_line}.” And “short words only here”.",
        published=datetime.date(2024, 1, 1),
    )
    widely = tag(home, governor)
    less = tag(home, governor, other_line)
    tag(home, governor, "short words only here")
    for n in range(3):
        make_article(f"Outlet {n} repeats: {LINE}.")
    make_article(f"One outlet repeats: {other_line.replace('double', 'triple')}.")
    make_article(f"And one more: {other_line}.")
    again = make_article(f"Copied: “{LINE}”.")
    tag(again, governor)  # the same statement tagged twice counts once

    url = reverse("quotes:speaker_repeated", args=[governor.pk])
    viewer_client.get(reverse("sources:speaker", args=[governor.pk]))
    # Session and user, the speaker, its counters; the quotes, the index rows.
    with django_assert_num_queries(6):
        response = viewer_client.get(url, headers={"HX-Request": "true"})
    with django_assert_num_queries(4):  # kept: the counters say it is current
        viewer_client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Repeated most across outlets" in html and "<html" not in html
    first, second = html.index(widely.exact[:20]), html.index(less.exact[:20])
    assert first < second
    assert "in 4 other articles" in html and "in 1 other article" in html
    assert html.count(reverse("quotes:trail", args=[widely.pk])) == 1
    assert reverse("quotes:trail", args=[less.pk]) in html
    assert "short words only" not in html
    # Kept until an article's text is saved: a new repeat shows up at once.
    make_article(f"Yet another outlet: {other_line}.")
    html = viewer_client.get(url).content.decode()
    assert "in 2 other articles" in html and "<html" in html


def test_a_speaker_page_loads_the_repeated_region(viewer_client, governor):
    html = viewer_client.get(reverse("sources:speaker", args=[governor.pk])).content.decode()
    assert reverse("quotes:speaker_repeated", args=[governor.pk]) in html
    assert viewer_client.get(reverse("quotes:speaker_repeated", args=[999999])).status_code == 404


def test_articles_sharing_only_part_of_the_words_are_counted_apart(editor_client, coverage):
    _, _, quote = coverage
    make_article(
        "A columnist wrote that the plan to rebuild every bridge in the valley was a fantasy.",
        title="Columnist doubts",
        outlet="Hill Times",
        published=datetime.date(2024, 2, 20),
    )
    panel = editor_client.get(reverse("quotes:edit", args=[quote.pk])).content.decode()
    # The earliest article holding all the words, not the column's six shared words.
    assert "Also in 1 article, first in Valley Post on 1 Mar 2024; part of them in 1 more." in panel
    page = editor_client.get(reverse("quotes:trail", args=[quote.pk])).content.decode()
    assert (
        "In 3 articles, first in Hill Times on 20 Feb 2024: 2 with all the words, "
        "verbatim or nearly, and 1 with part of them." in page
    )
