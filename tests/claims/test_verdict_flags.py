"""Quotes altered or not found in their source's original, flagged and filtered where
editors and reviewers read: the article page, the review queue, the board."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.claims.models import Claim, Stance
from apps.quotes.models import Quote
from apps.sources.models import Source, Speaker
from tests.conftest import make_article, make_quote

ORIGINAL = (
    "Statement of the coalition.\n\nWe will not let the fighters leave Raqqa with their "
    "weapons. Every convoy is watched from the air."
)
WORDS = {
    "verbatim": "We will not let the fighters leave Raqqa with their weapons",
    "altered": "We will not let the fighters leave Tabqa with their weapons",
    "not_found": "The coalition never negotiated with anyone in that city at all",
}


@pytest.fixture
def release(db):
    original = make_article(ORIGINAL, title="Coalition statement")
    return Source.objects.create(
        title="Coalition statement", kind=Source.Kind.STATEMENT, article=original
    )


@pytest.fixture
def claim(db):
    return Claim.objects.create(text="Fighters left Raqqa with their weapons")


def quoted(verdict: str, source, claim=None, n: int = 0, report=None) -> Quote:
    words = WORDS[verdict]
    if report is None:
        report = make_article(f"The coalition said “{words}” on Tuesday.", title=f"{verdict} {n}")
    start = report.body.index(words)
    speaker = Speaker.objects.get_or_create(name="Col. Ryan Dillon")[0]
    quote = make_quote(
        report, start, start + len(words), source=source, speaker=speaker, status="submitted"
    )
    assert quote.verdict == verdict
    if claim is not None:
        Stance.objects.create(quote=quote, claim=claim, position="denies", status="submitted")
    return quote


@pytest.fixture
def three(release, claim):
    return {v: quoted(v, release, claim) for v in WORDS}


def flags(html: str) -> list[str]:
    return re.findall(r'class="badge verdict-flag verdict-flag-(\w+)"[^>]*>([^<]+)<', html)


# --- the article page ------------------------------------------------------------------


@pytest.fixture
def report(release):
    body = " ".join(f"The coalition said “{words}”." for words in WORDS.values())
    article = make_article(body, title="Report on the deal")
    for verdict in WORDS:
        quoted(verdict, release, report=article)
    return article


def test_the_article_page_flags_altered_and_not_found_quotes(viewer_client, report):
    page = viewer_client.get(report.get_absolute_url()).text
    # Each in its side-panel item, which the hover card copies.
    assert sorted(flags(page)) == [("altered", "Altered"), ("not_found", "Not in source")]
    assert "2</strong> altered or not in source" in page


@pytest.mark.parametrize(
    "value, shown",
    [("flagged", {"altered", "not_found"}), ("altered", {"altered"}), ("not_found", {"not_found"})],
)
def test_the_article_page_lists_only_the_verdict_asked_for(viewer_client, report, value, shown):
    page = viewer_client.get(report.get_absolute_url(), {"verdict": value}).text
    panel = page[page.index('id="quote-groups"') :]
    items = re.findall(r'<li class="quote-item" id="qi-(\d+)"', panel)
    verdicts = set(Quote.objects.filter(pk__in=items).values_list("verdict", flat=True))
    assert verdicts == shown
    assert "Show every quote" in panel
    highlighted = set(re.findall(r'<mark class="hl [^"]*" data-q="(\d+)"', page))
    assert highlighted == {str(pk) for pk in report.quotes.values_list("pk", flat=True)}


def test_an_unknown_verdict_on_the_article_page_is_ignored_with_a_message(viewer_client, report):
    response = viewer_client.get(report.get_absolute_url(), {"verdict": "<b>fake</b>"})
    assert response.status_code == 200
    assert "Unknown verdict filter “&lt;b&gt;fake&lt;/b&gt;” ignored" in response.text
    panel = response.text[response.text.index('id="quote-groups"') :]
    assert len(re.findall(r'<li class="quote-item" id="qi-', panel)) == 3


# --- the review queue ------------------------------------------------------------------


def test_the_review_queue_flags_and_filters(reviewer_client, three):
    url = reverse("claims:review")
    page = reviewer_client.get(url).text
    assert ("altered", "Altered") in flags(page) and ("not_found", "Not in source") in flags(page)
    only = reviewer_client.get(url, {"verdict": "altered"}).text
    rows = set(re.findall(r'id="review-quote-(\d+)"', only))
    assert rows == {str(three["altered"].pk)}
    stances = re.findall(r'id="review-stance-(\d+)"', only)
    assert stances == [str(three["altered"].stances.get().pk)]
    flagged = reviewer_client.get(url, {"verdict": "flagged"}).text
    rows = set(re.findall(r'id="review-quote-(\d+)"', flagged))
    assert rows == {str(three["altered"].pk), str(three["not_found"].pk)}


def test_an_unknown_verdict_in_the_queue_is_ignored_with_a_message(reviewer_client, three):
    response = reviewer_client.get(reverse("claims:review"), {"verdict": "bogus"})
    assert response.status_code == 200
    assert "Unknown verdict filter “bogus” ignored" in response.text
    assert len(set(re.findall(r'id="review-quote-(\d+)"', response.text))) == 3


def test_the_filtered_queue_costs_the_same_queries_for_more_flagged_quotes(
    reviewer_client, release
):
    url = reverse("claims:review")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert reviewer_client.get(url, {"verdict": "flagged"}).status_code == 200
        return len(ctx.captured_queries)

    quoted("altered", release, n=1)
    few = count()
    for n in range(2, 7):
        quoted("altered", release, n=n)
        quoted("not_found", release, n=n)
    assert count() == few


# --- the board -------------------------------------------------------------------------


def test_the_board_flags_statement_lines(viewer_client, three):
    page = viewer_client.get(reverse("claims:board")).text
    assert ("altered", "Altered") in flags(page)
    assert ("not_found", "Not in source") in flags(page)


def test_the_board_filtered_to_altered_quotes_shows_only_those(viewer_client, three, claim):
    other = Claim.objects.create(text="A claim with faithful quotes only")
    quoted("verbatim", three["verbatim"].source, other, n=9)
    page = viewer_client.get(reverse("claims:board"), {"verdict": "altered"}).text
    assert claim.text in page and other.text not in page
    assert WORDS["altered"][:40] in page
    assert WORDS["verbatim"][:40] not in page and WORDS["not_found"][:40] not in page
    assert 'value="altered" selected' in page


def test_an_unknown_verdict_on_the_board_is_ignored_with_a_message(viewer_client, three):
    response = viewer_client.get(reverse("claims:board"), {"verdict": "all"})
    assert response.status_code == 200
    assert "Unknown verdict filter “all” ignored" in response.text
    assert WORDS["verbatim"][:40] in response.text


def test_a_kept_board_card_shows_a_verdict_changed_by_linking_an_original(viewer_client, claim):
    source = Source.objects.create(title="Statement without text", kind=Source.Kind.STATEMENT)
    words = WORDS["altered"]
    report = make_article(f"They said “{words}” then.", title="Report")
    start = report.body.index(words)
    speaker = Speaker.objects.create(name="Col. Ryan Dillon")
    quote = make_quote(
        report, start, start + len(words), source=source, speaker=speaker, status="submitted"
    )
    Stance.objects.create(quote=quote, claim=claim, position="denies", status="submitted")
    url = reverse("claims:board")
    assert flags(viewer_client.get(url).text) == []  # the card is now kept
    source.article = make_article(ORIGINAL, title="Coalition statement")
    source.save()
    assert flags(viewer_client.get(url).text) == [("altered", "Altered")]
    assert flags(viewer_client.get(url, {"verdict": "altered"}).text) == [("altered", "Altered")]
