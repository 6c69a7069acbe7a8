"""A claim's page is a workspace: likely statements and a search to add them from,
each recorded with one click (affirms, denies or qualifies), several at once too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.claims.models import Claim, Stance
from apps.core.versions import cache as derived_cache
from apps.quotes.models import Quote
from tests.conftest import make_article, make_quote

HTMX = {"HX-Request": "true"}


@pytest.fixture
def claim(seeded):
    return Claim.objects.create(text="Civilians only departed Raqqa in the convoy")


def panel_url(claim):
    return reverse("claims:claim_statements", args=[claim.pk])


def test_the_menu_leads_to_the_claims(viewer_client, db):
    html = viewer_client.get(reverse("articles:list")).content.decode()
    assert f'<a href="{reverse("claims:claims")}"' in html
    html = viewer_client.get(reverse("claims:claims")).content.decode()
    assert f'<a href="{reverse("claims:claims")}" aria-current="page">Claims</a>' in html


def test_a_new_claim_offers_the_quotes_sharing_its_words(editor_client, claim):
    html = editor_client.get(claim.get_absolute_url()).content.decode()
    assert "Add statements" in html and "Likely statements" in html
    offered = editor_client.get(claim.get_absolute_url()).context["adding"]["rows"]
    texts = [quote.exact.lower() for quote, _ in offered]
    assert texts and all(
        any(w in text for w in ("civilian", "depart", "raqqa", "convoy", "only")) for text in texts
    )
    assert any("civilians to depart raqqa" in text for text in texts)


def test_one_click_records_a_stance_with_its_note_and_takes_the_quote_off_the_list(
    editor_client, claim
):
    quote = Quote.objects.filter(exact__contains="civilians to depart Raqqa").first()
    response = editor_client.post(
        panel_url(claim),
        {"row": f"{quote.pk}:affirms", f"note-{quote.pk}": "the release's own words"},
        headers=HTMX,
    )
    assert response.status_code == 200
    stance = Stance.objects.get(claim=claim, quote=quote)
    assert (stance.position, stance.note) == ("affirms", "the release's own words")
    html = response.content.decode()
    assert 'id="claim-body" hx-swap-oob="true"' in html  # the statements, brought up to date
    assert "1 statement recorded as affirms." in html
    assert f'value="{quote.pk}:affirms"' not in html  # no longer a likely statement
    page = editor_client.get(claim.get_absolute_url()).content.decode()
    assert "Affirming (1)" in page


def test_ticked_quotes_are_linked_together(editor_client, claim):
    quotes = list(Quote.objects.filter(article__isnull=False).order_by("pk")[:3])
    response = editor_client.post(
        panel_url(claim),
        {"quote": [q.pk for q in quotes], "position": "denies", "note": "all three"},
        headers=HTMX,
    )
    assert response.status_code == 200
    linked = Stance.objects.filter(claim=claim)
    assert sorted(linked.values_list("quote_id", flat=True)) == [q.pk for q in quotes]
    assert set(linked.values_list("position", "note")) == {("denies", "all three")}
    assert "3 statements recorded as denies." in response.content.decode()


def test_searching_lists_quotes_and_says_which_are_linked(editor_client, claim):
    quote = Quote.objects.filter(speaker__name="Ryan Dillon").first()
    Stance.objects.create(claim=claim, quote=quote, position="qualifies")
    response = editor_client.get(panel_url(claim), {"q": "Dillon"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="add-statements"')
    assert "linked: qualifies" in html
    shown = {q.pk for q, _ in response.context["adding"]["rows"]}
    assert quote.pk in shown
    assert shown <= set(
        Quote.objects.filter(speaker__name="Ryan Dillon").values_list("pk", flat=True)
    ) | set(Quote.objects.filter(exact__icontains="dillon").values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"row": "1:believes"}, 400, "Choose affirms, denies or qualifies."),
        ({"position": "affirms"}, 400, "Tick at least one quote to link."),
        ({"quote": ["x1"], "position": "affirms"}, 400, "Tick at least one quote to link."),
        ({"quote": ["999999"], "position": "denies"}, 409, "nothing was linked"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_links_nothing(
    editor_client, claim, data, status, message
):
    response = editor_client.post(panel_url(claim), data, headers=HTMX)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Stance.objects.filter(claim=claim).exists()


def test_a_deleted_quote_among_ticked_ones_links_none_of_them(editor_client, claim):
    kept = Quote.objects.order_by("pk").first()
    response = editor_client.post(
        panel_url(claim), {"quote": [kept.pk, 999999], "position": "affirms"}, headers=HTMX
    )
    assert response.status_code == 409
    assert not Stance.objects.filter(claim=claim).exists()


def test_viewers_neither_see_the_panel_nor_may_link(viewer_client, claim):
    html = viewer_client.get(claim.get_absolute_url()).content.decode()
    assert "Add statements" not in html
    quote = Quote.objects.first()
    assert viewer_client.get(panel_url(claim)).status_code == 403
    response = viewer_client.post(panel_url(claim), {"row": f"{quote.pk}:affirms"})
    assert response.status_code == 403
    assert not Stance.objects.filter(claim=claim).exists()


def test_without_htmx_linking_redirects_to_the_claim(editor_client, claim):
    quote = Quote.objects.order_by("pk").first()
    response = editor_client.post(panel_url(claim), {"row": f"{quote.pk}:qualifies"})
    assert response.status_code == 302 and response.url == claim.get_absolute_url()
    assert Stance.objects.filter(claim=claim, quote=quote, position="qualifies").exists()


def _panel_queries(client, claim):
    derived_cache.clear()  # built from scratch each time
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(panel_url(claim), headers=HTMX).status_code == 200
    return len(ctx.captured_queries)


def test_likely_statements_cost_the_same_queries_as_the_archive_grows(editor_client, db):
    claim = Claim.objects.create(text="Budget talks stalled over tax")
    article = make_article("budget talks stalled " * 30)
    make_quote(article, 0, 20)
    few = _panel_queries(editor_client, claim)
    for i in range(1, 25):
        make_quote(article, i * 21, i * 21 + 20)
    assert _panel_queries(editor_client, claim) == few
    assert len(editor_client.get(panel_url(claim), headers=HTMX).context["adding"]["rows"]) == 15
