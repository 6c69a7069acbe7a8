"""Problems the permission matrix and the fuzzing found, kept fixed."""

import pytest
from django.urls import reverse

from .support import send


def test_a_viewer_posting_to_bulk_review_without_an_action_is_refused(world):
    outcome = send(world, "viewer", "POST", reverse("claims:review_bulk"), {})
    assert outcome.status == 403
    assert outcome.changed == []


@pytest.mark.parametrize("number", ["²", "①", str(2**63), "9" * 40])
@pytest.mark.parametrize("name", ["article", "speaker", "organization"])
def test_board_filters_ignore_ids_int_cannot_read_or_no_database_holds(world, name, number):
    outcome = send(world, "viewer", "GET", reverse("claims:board"), {name: number})
    assert outcome.status == 200


@pytest.mark.parametrize("item", ["quote:²", f"stance:{2**63}", "quote:" + "9" * 40])
def test_bulk_review_skips_ids_int_cannot_read_or_no_database_holds(world, item):
    data = {"action": "approve", "item": [item, f"quote:{world.submitted_quote.pk}"]}
    outcome = send(world, "reviewer", "POST", reverse("claims:review_bulk"), data)
    assert outcome.status == 302


@pytest.mark.parametrize("number", ["²", "①", "9" * 40])
def test_quotes_csv_ignores_an_article_id_int_cannot_read(world, number):
    outcome = send(world, "viewer", "GET", reverse("quotes:quotes_csv"), {"article": number})
    assert outcome.status == 200


@pytest.mark.parametrize("name", ["speaker", "organization"])
def test_search_ignores_a_speaker_id_int_cannot_read(world, name):
    outcome = send(world, "viewer", "GET", reverse("quotes:search"), {"q": "deal", name: "²"})
    assert outcome.status == 200


@pytest.mark.parametrize(
    "target", [" ", "claims:board", "https://evil.example/", "/\\evil.example"]
)
def test_a_refused_review_decision_never_redirects_off_site_or_to_a_view_name(world, target):
    # Approved work cannot be submitted: the refusal path used `next` unchecked.
    url = reverse("claims:review_action", args=["quote", world.quote.pk, "submit"])
    outcome = send(world, "editor", "POST", url, {"next": target})
    assert (outcome.status, outcome.location) == (302, reverse("claims:review"))


def test_a_review_decision_never_redirects_off_site(world):
    url = reverse("claims:review_action", args=["quote", world.submitted_quote.pk, "approve"])
    outcome = send(world, "reviewer", "POST", url, {"next": "/\\evil.example"})
    assert (outcome.status, outcome.location) == (302, reverse("claims:review"))
