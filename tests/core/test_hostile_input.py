import pytest
from django.urls import reverse

from apps.claims.models import Stance


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "sources:speaker_options", {"q": "Dil\x00lon"}),
        ("get", "claims:claim_options", {"q": "\x00"}),
        ("get", "claims:board", {"status": "approved\x00"}),
        (
            "post",
            "claims:review_bulk",
            {"action": "reject", "reason": "bad\x00", "item": "quote:1"},
        ),
    ],
)
def test_nul_characters_are_refused_with_400(reviewer_client, seeded, method, name, data):
    before = list(Stance.objects.values_list("id", "status"))
    response = getattr(reviewer_client, method)(reverse(name), data)
    assert response.status_code == 400
    assert b"NUL" in response.content
    assert list(Stance.objects.values_list("id", "status")) == before


def test_nul_in_a_review_reason_never_reaches_the_database(reviewer_client, seeded):
    quote = seeded.quotes.first()
    url = reverse("claims:review_action", args=["quote", quote.pk, "reject"])
    assert reviewer_client.post(url, {"reason": "x\x00y"}).status_code == 400
    quote.refresh_from_db()
    assert quote.status == "approved"
