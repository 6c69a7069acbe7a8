import json

import pytest
from django.urls import reverse

from apps.claims.models import Claim, Stance
from apps.quotes.models import Quote
from tests.conftest import csv_rows, make_article, make_quote, make_user


@pytest.fixture
def quote(db):
    article = make_article("The minister said “we never agreed to it”.", title="Minister")
    start = article.body.index("“")
    return make_quote(article, start, start + len("“we never agreed to it”"))


@pytest.fixture
def claim(db):
    return Claim.objects.create(text="The minister agreed to the plan")


def users():
    return {role: make_user(f"u-{role}", role) for role in ("editor", "reviewer", "viewer")}


def as_role(client, people, role):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])
    return client


# --- claims -------------------------------------------------------------------


def test_only_reviewers_create_and_edit_claims(client, claim):
    people = users()
    create = reverse("claims:claim_create")
    edit = reverse("claims:claim_edit", args=[claim.pk])
    for role, expected in (("anonymous", 302), ("viewer", 403), ("editor", 403)):
        as_role(client, people, role)
        assert client.post(create, {"text": "New claim"}).status_code == expected, role
        assert client.post(edit, {"text": "Changed"}).status_code == expected, role
    assert list(Claim.objects.values_list("text", flat=True)) == ["The minister agreed to the plan"]
    as_role(client, people, "reviewer")
    assert client.post(create, {"text": "New claim"}).status_code == 302
    assert client.post(edit, {"text": "The minister agreed"}).status_code == 302
    assert Claim.objects.filter(text="New claim", created_by=people["reviewer"]).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required"),
        ("x" * 301, "at most 300"),
        ("THE MINISTER AGREED TO THE PLAN", "already exists"),
    ],
)
def test_bad_claims_are_refused_with_400(reviewer_client, claim, text, message):
    response = reviewer_client.post(reverse("claims:claim_create"), {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Claim.objects.count() == 1


# --- stances -------------------------------------------------------------------


def stance_url(quote):
    return reverse("claims:quote_stances", args=[quote.pk])


def test_editor_records_and_changes_a_stance_from_the_quote_panel(editor_client, quote, claim):
    response = editor_client.post(
        stance_url(quote),
        {"claim": f"{claim.text} (#{claim.pk})", "position": "denies"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Stance recorded" in response.content.decode()
    stance = Stance.objects.get()
    assert (stance.position, stance.status, stance.created_by.username) == (
        "denies",
        "draft",
        "edna",
    )
    editor_client.post(
        stance_url(quote), {"claim": claim.text, "position": "qualifies", "note": "Partly"}
    )
    stance.refresh_from_db()
    assert (stance.position, stance.note) == ("qualifies", "Partly")
    assert Stance.objects.count() == 1
    assert stance.history.count() == 2


def test_editors_cannot_create_claims_inline_but_reviewers_can(client, quote):
    people = users()
    as_role(client, people, "editor")
    response = client.post(
        stance_url(quote), {"claim": "A brand new claim", "new_claim": "on", "position": "affirms"}
    )
    assert response.status_code == 400
    assert "No claim" in response.content.decode()
    assert Claim.objects.count() == 0
    as_role(client, people, "reviewer")
    response = client.post(
        stance_url(quote), {"claim": "A brand new claim", "new_claim": "on", "position": "affirms"}
    )
    assert response.status_code == 302
    assert Stance.objects.get().claim.text == "A brand new claim"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"claim": "", "position": "affirms"}, "This field is required"),
        ({"claim": "Unknown claim", "position": "affirms"}, "No claim"),
        ({"claim": "The minister agreed to the plan", "position": "maybe"}, "valid choice"),
        (
            {"claim": "The minister agreed to the plan", "position": "affirms", "note": "n" * 2001},
            "at most 2000",
        ),
    ],
)
def test_bad_stances_are_refused_with_400(editor_client, quote, claim, payload, message):
    response = editor_client.post(stance_url(quote), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Stance.objects.count() == 0


def test_stance_role_matrix(client, quote, claim):
    people = users()
    stance = Stance.objects.create(quote=quote, claim=claim, position="affirms")
    record = (stance_url(quote), {"claim": claim.text, "position": "denies"})
    delete = (reverse("claims:stance_delete", args=[stance.pk]), {})
    for role, expected in (("anonymous", 302), ("viewer", 403)):
        as_role(client, people, role)
        assert client.post(*record).status_code == expected
        assert client.post(*delete).status_code == expected
    assert Stance.objects.get().position == "affirms"
    as_role(client, people, "viewer")
    assert client.get(stance_url(quote)).status_code == 200  # reading is for everyone
    as_role(client, people, "reviewer")
    assert client.post(*delete).status_code == 302
    assert not Stance.objects.exists()
    assert Stance.history.filter(history_type="-").count() == 1


def test_edit_panel_loads_the_stances_section(editor_client, quote):
    html = editor_client.get(reverse("quotes:edit", args=[quote.pk])).content.decode()
    assert f'hx-get="{stance_url(quote)}"' in html


# --- review ----------------------------------------------------------------------


def review_url(kind, pk, action):
    return reverse("claims:review_action", args=[kind, pk, action])


def test_review_workflow_draft_submitted_approved_with_history(client, quote):
    people = users()
    as_role(client, people, "editor")
    assert client.post(review_url("quote", quote.pk, "approve")).status_code == 403
    assert client.post(review_url("quote", quote.pk, "submit")).status_code == 302
    quote.refresh_from_db()
    assert quote.status == "submitted"
    as_role(client, people, "reviewer")
    queue = client.get(reverse("claims:review"))
    assert quote.exact in queue.content.decode()
    assert (
        client.post(
            review_url("quote", quote.pk, "approve"), headers={"HX-Request": "true"}
        ).status_code
        == 200
    )
    quote.refresh_from_db()
    assert (quote.status, quote.reviewed_by.username) == ("approved", "u-reviewer")
    reasons = list(
        quote.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons[-2:] == ["Submitted for review", "Approved"]


def test_rejection_needs_a_reason_and_the_editor_sees_it(client, quote):
    people = users()
    quote.created_by = people["editor"]
    quote.status = "submitted"
    quote.save()
    as_role(client, people, "reviewer")
    refused = client.post(
        review_url("quote", quote.pk, "reject"), {"reason": "  "}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    assert "Say why" in refused.content.decode()
    quote.refresh_from_db()
    assert quote.status == "submitted"
    client.post(
        review_url("quote", quote.pk, "reject"),
        {f"reason_quote_{quote.pk}": "Wrong speaker: it was the deputy."},
    )
    quote.refresh_from_db()
    assert (quote.status, quote.review_reason) == ("rejected", "Wrong speaker: it was the deputy.")
    as_role(client, people, "editor")
    mine = client.get(reverse("claims:review")).content.decode()
    assert "Wrong speaker: it was the deputy." in mine
    article_page = client.get(quote.article.get_absolute_url()).content.decode()
    assert "Wrong speaker: it was the deputy." in article_page


def test_editing_approved_work_sends_it_back_to_draft(editor_client, quote):
    quote.status = "approved"
    quote.save()
    editor_client.post(
        reverse("quotes:update", args=[quote.pk]),
        {
            "text": quote.exact,
            "start": quote.start,
            "end": quote.end,
            "kind": "direct",
            "cue": "said",
            "version": quote.version,
        },
    )
    quote.refresh_from_db()
    assert quote.status == "draft"


def test_bulk_approve_and_reject(client, quote, claim):
    people = users()
    stance = Stance.objects.create(quote=quote, claim=claim, position="denies", status="submitted")
    Quote.objects.filter(pk=quote.pk).update(status="submitted")
    items = [f"quote:{quote.pk}", f"stance:{stance.pk}", "bogus:1", "quote:abc"]
    as_role(client, people, "editor")
    assert (
        client.post(reverse("claims:review_bulk"), {"action": "approve", "item": items}).status_code
        == 403
    )
    as_role(client, people, "reviewer")
    client.post(reverse("claims:review_bulk"), {"action": "reject", "item": items, "reason": ""})
    assert Stance.objects.get().status == "submitted"  # no reason, nothing rejected
    client.post(reverse("claims:review_bulk"), {"action": "approve", "item": items})
    assert Quote.objects.get().status == "approved"
    assert Stance.objects.get().status == "approved"


def test_review_queue_is_closed_to_viewers_and_unknown_actions_are_404(client, quote):
    people = users()
    as_role(client, people, "viewer")
    assert client.get(reverse("claims:review")).status_code == 403
    assert client.post(review_url("quote", quote.pk, "approve")).status_code == 403
    as_role(client, people, "reviewer")
    assert client.post(review_url("article", quote.pk, "approve")).status_code == 404
    assert client.post(review_url("quote", quote.pk, "publish")).status_code == 404
    assert (
        client.post(
            review_url("quote", 999999, "approve"), headers={"HX-Request": "true"}
        ).status_code
        == 404
    )


# --- exports -------------------------------------------------------------------------


def test_contradictions_csv_lists_both_sides_and_the_kind(viewer_client, seeded):
    rows = csv_rows(viewer_client.get(reverse("claims:contradictions_csv")))
    assert {r["type"] for r in rows} == {"internal", "external"}
    release = next(
        r for r in rows if r["denying_text"] == '"purportedly excludes foreign Daesh terrorists,"'
    )
    assert release["type"] == "external"
    assert release["affirming_speaker"] == "BBC"
    assert release["denying_source"].startswith("Coalition press release")


def test_claims_json_ld_is_schema_org_claims_with_quotations(viewer_client, seeded):
    response = viewer_client.get(reverse("claims:claims_jsonld"))
    document = json.loads(response.content)
    assert document["@context"] == "https://schema.org"
    claims = {c["name"]: c for c in document["@graph"]}
    assert len(claims) == Claim.objects.count()
    foreign = claims["Foreign fighters left Raqqa under the deal"]
    assert foreign["@type"] == "Claim"
    release = next(a for a in foreign["appearance"] if a["text"].startswith('"purportedly'))
    assert release["@type"] == "Quotation"
    assert release["creator"]["name"] == "Combined Joint Task Force – Operation Inherent Resolve"
    assert release["isBasedOn"]["name"].startswith("Coalition press release")
    assert {"@type": "PropertyValue", "name": "stance", "value": "denies"} in release[
        "additionalProperty"
    ]


def test_a_refused_claim_edit_keeps_the_saved_claim_and_its_statements_on_the_page(
    reviewer_client, seeded
):
    claim = Claim.objects.filter(stances__isnull=False).first()
    statement = claim.stances.first().quote.exact
    response = reviewer_client.post(
        reverse("claims:claim_edit", args=[claim.pk]), {"description": "Why"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required" in html
    assert f"<h1>{claim.text}</h1>" in html.replace("&#x27;", "'")
    assert statement[:40].replace('"', "&quot;") in html
